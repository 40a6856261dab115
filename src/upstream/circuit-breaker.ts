import CircuitBreaker from 'opossum';

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface BreakerOptions {
  /** Calls in the rolling window before the error rate is judged at all. */
  minCalls: number;
  /** Open → half-open after this long; one trial call then decides. */
  resetMs: number;
  onStateChange?(state: CircuitState): void;
}

/** Thrown inside the breaker so a missing answer counts as a failure; never escapes the client. */
export class NoAnswerError extends Error {}

/**
 * A fail-fast guard around upstream attempts (opossum): while Antom is down, calls return at once
 * instead of each waiting a full timeout, and the merchant learns the result is unknown sooner.
 * opossum keeps only process-local counters, which is what a breaker should do: each instance judges
 * its own view of the network.
 */
export class UpstreamBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(opts: BreakerOptions) {
    this.breaker = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
      timeout: false, // undici enforces the timeouts, per attempt
      errorThresholdPercentage: 50,
      volumeThreshold: opts.minCalls,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      resetTimeout: opts.resetMs,
    });
    const changed = () => opts.onStateChange?.(this.state());
    this.breaker.on('open', changed);
    this.breaker.on('halfOpen', changed);
    this.breaker.on('close', changed);
  }

  state(): CircuitState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Attempts and failures (no trustworthy answer) in the rolling window; calls refused while open not counted. */
  recent(): { calls: number; failures: number } {
    const st = this.breaker.stats;
    return { calls: st.successes + st.failures, failures: st.failures };
  }

  /** Rejects with `isOpenError` at once while open. */
  run<T>(action: () => Promise<T>): Promise<T> {
    return this.breaker.fire(action) as Promise<T>;
  }

  isOpenError(e: unknown): boolean {
    return (e as { code?: string })?.code === 'EOPENBREAKER';
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
