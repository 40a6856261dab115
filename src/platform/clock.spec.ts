import { advanceTestClock, allowTestClock, clockMs, clockNow, resetTestClock, sqlNow } from './clock';

describe('the gateway clock', () => {
  afterEach(() => resetTestClock());

  it('is real time, and refuses to move unless the test kit was allowed (TEST_KIT_CONTROLS)', () => {
    const before = Date.now();
    expect(clockMs()).toBeGreaterThanOrEqual(before);
    expect(clockNow().getTime()).toBeLessThanOrEqual(Date.now());
    expect(() => advanceTestClock(1000)).toThrow(/only by the test kit/);
  });

  it("hands SQL no time of its own while real (the database's now() decides), the moved time once moved", () => {
    expect(sqlNow()).toBeNull();
    allowTestClock();
    advanceTestClock(60_000);
    expect(sqlNow()!.getTime() - Date.now()).toBeGreaterThan(59_000);
    resetTestClock();
    expect(sqlNow()).toBeNull();
  });

  it('once allowed, moves forward only, by whole milliseconds, and goes back to real time on reset', () => {
    allowTestClock();
    expect(advanceTestClock(86_400_000)).toBe(86_400_000);
    expect(advanceTestClock(1000)).toBe(86_401_000);
    expect(clockMs() - Date.now()).toBeGreaterThanOrEqual(86_400_000);
    for (const bad of [-1, 1.5, Number.NaN, 11 * 366 * 86_400_000]) expect(() => advanceTestClock(bad)).toThrow(RangeError);
    resetTestClock();
    expect(Math.abs(clockMs() - Date.now())).toBeLessThan(1000);
  });
});
