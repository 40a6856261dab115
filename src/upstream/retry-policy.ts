import type { UpstreamOutcome } from './upstream-outcome';

/** Signed answers that mean "not done yet, send the same request again" (contract §5). */
const RETRYABLE_CODES = new Set(['UNKNOWN_EXCEPTION', 'REQUEST_TRAFFIC_EXCEED_LIMIT']);

/**
 * Resend when nothing trustworthy came back (timeout, network error, 5xx, unverifiable signature) or
 * Antom explicitly asked for a retry. Not when the breaker kept the request home (nothing was sent, and
 * the breaker is open precisely so we stop sending), nor on a non-200 that is not a server error.
 */
export function isRetryable(o: UpstreamOutcome<unknown>): boolean {
  if (o.kind === 'no-answer') return !o.notSent && !/^HTTP [1-4]\d\d$/.test(o.reason);
  const r = (o.body as { result?: { resultStatus?: unknown; resultCode?: unknown } })?.result;
  return r?.resultStatus === 'U' && RETRYABLE_CODES.has(String(r.resultCode));
}

/** Exponential backoff with ±25 % jitter, so many gateway instances do not resend in lock-step. */
export function backoffMs(baseMs: number, attempt: number, random: () => number = Math.random): number {
  const exp = baseMs * 2 ** attempt;
  return Math.round(exp * (0.75 + random() * 0.5));
}
