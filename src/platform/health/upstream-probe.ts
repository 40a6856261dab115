/** The acquirer as /health reports it: one word for a load balancer or an alert, the why for a person. */
export interface UpstreamHealth {
  /** `up`; `degraded` (the breaker is trying again, or calls failed lately); `down` (breaker open or unreachable). */
  state: 'up' | 'degraded' | 'down';
  breaker: 'closed' | 'half-open' | 'open';
  /** Upstream attempts in the breaker's rolling window (10 s), and how many of them got no trustworthy answer. */
  recentCalls: number;
  recentFailures: number;
  /** Why it is not `up`, in words. */
  reason?: string;
}

/** Implemented by the upstream module; lets health report the acquirer without importing it. */
export abstract class UpstreamProbe {
  abstract health(): Promise<UpstreamHealth>;
}
