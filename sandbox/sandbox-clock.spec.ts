import { SandboxClock } from './sandbox-clock';

describe('the sandbox clock', () => {
  it('starts at real time and only moves forward, each instance on its own', () => {
    const a = new SandboxClock();
    const b = new SandboxClock();
    expect(a.advance(7 * 86_400_000)).toBe(7 * 86_400_000);
    expect(a.now().getTime() - Date.now()).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(b.offset).toBe(0);
    for (const bad of [-1, 0.5, Number.POSITIVE_INFINITY]) expect(() => a.advance(bad)).toThrow(RangeError);
  });
});
