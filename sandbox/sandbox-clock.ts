/**
 * The sandbox acquirer's time for what a test clock may move: authorization expiry, dispute deadlines, late
 * authorizations and asynchronous refunds coming due, and its notification retry schedule. Real time plus an
 * offset that only grows (POST /sandbox/control/clock, which the test kit's `clock.advance` calls together
 * with the gateway's clock): a row stamped with the database's real now() is never in the clock's future.
 * Times only shown in answers (paymentCreateTime, captureTime …) stay real.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Moves the clock forward by `ms` (0 … 10 years); returns the new offset. */
  advance(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > 10 * 366 * 86_400_000) throw new RangeError('advance by 0 … 10 years of milliseconds');
    this.offsetMs += ms;
    return this.offsetMs;
  }
}
