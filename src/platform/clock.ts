/**
 * The gateway's time for what the test kit's clock may move (like Stripe's test clocks): authorization expiry
 * (the expiry worker), the merchant-notification retry schedule (the outbox), reconciliation coming due and a
 * never-reached operation's retry window. Everything else (logs, audit, signatures' Request-Time) reads real time.
 *
 * Real time plus an offset that only grows, and only in a process whose configuration allowed it
 * (TEST_KIT_CONTROLS=true, which the configuration refuses unless the acquirer is the bundled sandbox): a row
 * stamped with the database's real now() is thus never in this clock's future. SQL on these paths takes
 * `sqlNow()` as a parameter: the database's now() unless the test kit moved the clock.
 */
let offsetMs = 0;
let movable = false;

/** Now, by this clock (real time unless the test kit moved it). */
export function clockNow(): Date {
  return new Date(Date.now() + offsetMs);
}

/**
 * This clock's time as a SQL parameter: null while it is real time, so the statement reads the database's own
 * now() (`coalesce($n::timestamptz, now())`) — leases, due times and expiry then compare against one clock
 * whatever the hosts' clocks say (several instances, a database on another host). Only a moved test clock
 * puts the process's time into SQL.
 */
export function sqlNow(): Date | null {
  return offsetMs === 0 ? null : clockNow();
}

/** Milliseconds since the epoch, by this clock. */
export function clockMs(): number {
  return Date.now() + offsetMs;
}

/** Called at start-up when the configuration allows the test kit's controls (TEST_KIT_CONTROLS). */
export function allowTestClock(): void {
  movable = true;
}

/** Moves the clock forward by `ms`; returns the offset from real time. Refused unless allowTestClock() ran. */
export function advanceTestClock(ms: number): number {
  if (!movable) throw new Error('the clock is moved only by the test kit (TEST_KIT_CONTROLS=true, bundled sandbox)');
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 10 * 366 * 86_400_000) throw new RangeError('advance by 0 … 10 years of milliseconds');
  offsetMs += ms;
  return offsetMs;
}

/** Back to real time (the test kit's stop(); unit tests). */
export function resetTestClock(): void {
  offsetMs = 0;
}
