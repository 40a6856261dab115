import { GatewayConfig } from '../config/gateway-config';
import type { RedriveTable } from '../payments/redrive-lease.repository';

/** A row is re-driven at most once per this interval; a retry in between replays the stored answer. */
export const REDRIVE_INTERVAL_MS = 1000;

/**
 * The clocks of a U answer's re-drive, from the configuration. The rules they serve:
 *  - the merchant's same-id retry may resend what the acquirer never received until the retry window
 *    ends (`mayResend`);
 *  - "the acquirer has no such request" becomes final (F PROCESS_FAIL, never reached the acquirer) only
 *    after the window, and only once neither the first call nor the last resend can still arrive
 *    (`neverReachedIsFinal`): a request that arrived late would be a charge the merchant was told failed.
 */
export interface RedriveTiming {
  /** After a call of ours ended, how long its request could still reach the acquirer (3 × UPSTREAM_TIMEOUT_MS + 5 s, as before). */
  inFlightMs: number;
  /** RETRY_WINDOW_SECONDS. */
  retryWindowMs: number;
  /** A re-drive's lease: an inquiry and a resend, each within the upstream budget, and a margin. */
  leaseMs: number;
  intervalMs: number;
  /** A first call without its answer written after this long is over (its process died): re-drivable. */
  staleMs: number;
}

type TimingConfig = Pick<GatewayConfig, 'UPSTREAM_TIMEOUT_MS' | 'UPSTREAM_TOTAL_BUDGET_MS' | 'RETRY_WINDOW_SECONDS'>;

export function redriveTiming(c: TimingConfig): RedriveTiming {
  return {
    inFlightMs: c.UPSTREAM_TIMEOUT_MS * 3 + 5000,
    retryWindowMs: c.RETRY_WINDOW_SECONDS * 1000,
    leaseMs: 2 * c.UPSTREAM_TOTAL_BUDGET_MS + 5000,
    intervalMs: REDRIVE_INTERVAL_MS,
    staleMs: c.UPSTREAM_TOTAL_BUDGET_MS + 5000,
  };
}

/** The end of the retry window of an operation made at `createdAt` (never before its first call could arrive). */
export function windowEnd(createdAt: Date, t: RedriveTiming): number {
  return createdAt.getTime() + Math.max(t.retryWindowMs, t.inFlightMs);
}

/** The merchant's retry may still send it to the acquirer. */
export function mayResend(createdAt: Date, now: number, t: RedriveTiming): boolean {
  return now < windowEnd(createdAt, t);
}

/**
 * The acquirer's "no such request" may be taken as final: the window is over and the last re-drive's
 * lease (`previous`, from the claim that now holds it) ended at least the in-flight time ago.
 */
export function neverReachedIsFinal(createdAt: Date, previous: Date | null, now: number, t: RedriveTiming): boolean {
  return now >= windowEnd(createdAt, t) && (previous === null || previous.getTime() + t.inFlightMs <= now);
}

/** A first call made at `since` with nothing written back is over: the acquirer's answer was lost with its process. */
export function isStale(since: Date, now: number, t: RedriveTiming): boolean {
  return now - since.getTime() > t.staleMs;
}

/** The lease store (RedriveLeaseRepository) as `underLease` uses it. */
export interface Leases {
  claim(table: RedriveTable, id: string, leaseMs: number): Promise<{ claimed: boolean; previous: Date | null }>;
  release(table: RedriveTable, id: string, intervalMs: number): Promise<void>;
}

/**
 * Runs `drive` holding the row's re-drive lease, released (a short interval ahead) whatever happens; null
 * when another re-drive holds it or ran within the interval. `previous`: the lease the claim replaced.
 */
export async function underLease<T>(
  leases: Leases,
  table: RedriveTable,
  id: string,
  t: RedriveTiming,
  drive: (previous: Date | null) => Promise<T>,
): Promise<T | null> {
  const claim = await leases.claim(table, id, t.leaseMs);
  if (!claim.claimed) return null;
  try {
    return await drive(claim.previous);
  } finally {
    await leases.release(table, id, t.intervalMs);
  }
}
