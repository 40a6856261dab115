import { loadConfig } from '../config/gateway-config';
import { FakeLeases } from './redrive.fakes';
import { isStale, mayResend, neverReachedIsFinal, redriveTiming, underLease, windowEnd } from './redrive-timing';

const t = redriveTiming(loadConfig({}, { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_TOTAL_BUDGET_MS: '4000', RETRY_WINDOW_SECONDS: '300' }));

describe('re-drive timing', () => {
  it('reads the configuration: in flight 3 × timeout + 5 s, the window, a lease for an inquiry and a resend', () => {
    expect(t).toEqual({ inFlightMs: 8000, retryWindowMs: 300_000, leaseMs: 13_000, intervalMs: 1000, staleMs: 9000 });
  });

  it('a retry may resend until the window ends; the window is never shorter than the in-flight time', () => {
    const now = Date.now();
    expect(mayResend(new Date(now - 299_000), now, t)).toBe(true);
    expect(mayResend(new Date(now - 300_000), now, t)).toBe(false);
    const short = { ...t, retryWindowMs: 1000 };
    expect(windowEnd(new Date(now), short)).toBe(now + 8000);
  });

  it('"never reached" is final only after the window, and once the last re-drive ended the in-flight time ago', () => {
    const now = Date.now();
    const before = (ms: number) => new Date(now - ms);
    expect(neverReachedIsFinal(before(200_000), null, now, t)).toBe(false); // inside the window
    expect(neverReachedIsFinal(before(301_000), null, now, t)).toBe(true); // never re-driven
    expect(neverReachedIsFinal(before(301_000), before(7000), now, t)).toBe(false); // a resend 7 s ago may still arrive
    expect(neverReachedIsFinal(before(301_000), before(8000), now, t)).toBe(true);
  });

  it('a first call without its answer written is over after the upstream budget and a margin', () => {
    const now = Date.now();
    expect(isStale(new Date(now - 9000), now, t)).toBe(false);
    expect(isStale(new Date(now - 9001), now, t)).toBe(true);
  });
});

describe('underLease', () => {
  it('runs one re-drive per row at a time and per interval; releases even when the re-drive throws', async () => {
    const leases = new FakeLeases();
    let release!: () => void;
    const first = underLease(
      leases,
      'payment',
      'p1',
      t,
      () =>
        new Promise<string>((r) => {
          release = () => r('first');
        }),
    );
    await Promise.resolve();
    expect(await underLease(leases, 'payment', 'p1', t, async () => 'second')).toBeNull(); // held
    expect(await underLease(leases, 'payment', 'p2', t, async () => 'other row')).toBe('other row');
    release();
    expect(await first).toBe('first');
    expect(await underLease(leases, 'payment', 'p1', t, async () => 'too soon')).toBeNull(); // within the interval
    leases.endedAgo('payment', 'p1', 1);
    await expect(
      underLease(leases, 'payment', 'p1', t, async () => {
        throw new Error('upstream');
      }),
    ).rejects.toThrow('upstream');
    expect(leases.until.get('payment:p1')).toBeGreaterThan(Date.now()); // released a short interval ahead, not held
    expect(leases.until.get('payment:p1')).toBeLessThanOrEqual(Date.now() + t.intervalMs);
  });

  it('hands the drive the lease its claim replaced', async () => {
    const leases = new FakeLeases();
    expect(await underLease(leases, 'capture', 'c1', t, async (previous) => previous)).toBeNull();
    leases.endedAgo('capture', 'c1', 5000);
    const previous = await underLease(leases, 'capture', 'c1', t, async (p) => p);
    expect(Date.now() - previous!.getTime()).toBeGreaterThanOrEqual(5000);
  });
});
