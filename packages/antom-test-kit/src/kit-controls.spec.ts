import { kitControls, toMs } from './kit-controls';

describe('the kit controls', () => {
  it('clock.advance takes milliseconds or a duration, summed', () => {
    expect(toMs(1500)).toBe(1500);
    expect(toMs({ days: 7, minutes: -30 })).toBe(7 * 86_400_000 - 30 * 60_000);
    expect(toMs({ hours: 1, seconds: 2, ms: 3 })).toBe(3_602_003);
  });

  it('reach the kit server’s routes', async () => {
    const calls: unknown[][] = [];
    const k = kitControls(async (...args) => {
      calls.push(args);
      return [];
    });
    await k.clock.advance({ days: 1 });
    await k.settleNow();
    await k.settle('order-1');
    await k.complete3ds('gwp_1', 'fail');
    expect(calls).toEqual([
      ['POST', '/kit/clock/advance', { ms: 86_400_000 }],
      ['POST', '/kit/settle', {}],
      ['POST', '/kit/settle', { ref: 'order-1' }],
      ['POST', '/kit/sandbox/complete-3ds', { ref: 'gwp_1', action: 'fail' }],
    ]);
  });
});
