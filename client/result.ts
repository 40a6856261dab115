import type { WireResult } from './wire-types';

/*
 * What a call came to, as a union on `status` that a caller must narrow before reading an answer:
 *   S  the operation succeeded: `answer` is the verified, signed answer.
 *   F  final failure (declined, refused): `code` says why; never retried with the same id.
 *   U  not known yet: the answer said U (3DS pending, upstream unsure) or no trustworthy answer came
 *      after the bounded retries. Never a failure: retry with the same `requestId`, inquire, or wait for
 *      the notification.
 */
export type Result<A> = Succeeded<A> | Failed<A> | Unknown<A>;

export interface Succeeded<A> {
  readonly status: 'S';
  readonly code: string;
  readonly message: string;
  readonly answer: A;
}

export interface Failed<A> {
  readonly status: 'F';
  readonly code: string;
  readonly message: string;
  readonly answer: A;
}

export interface Unknown<A> {
  readonly status: 'U';
  readonly code: string;
  readonly message: string;
  /** ANSWERED: a signed U answer (e.g. PAYMENT_IN_PROCESS with normalUrl). NO_ANSWER: nothing trustworthy came. */
  readonly cause: 'ANSWERED' | 'NO_ANSWER';
  /** Present only when cause is ANSWERED. */
  readonly answer?: A;
  /** The idempotency id to retry with (paymentRequestId, captureRequestId, refundRequestId), when the API has one. */
  readonly requestId?: string;
  /** For NO_ANSWER: what each attempt met (timeouts, resets, unsigned or mis-signed answers). */
  readonly attempts?: readonly string[];
}

/** A verified answer as a Result; an answer without a valid `result` is treated as no answer by the caller. */
export function resultOf<A extends { result: WireResult }>(answer: A, requestId?: string): Result<A> {
  const { resultStatus: status, resultCode: code } = answer.result;
  const message = answer.result.resultMessage ?? '';
  if (status === 'S') return { status, code, message, answer };
  if (status === 'F') return { status, code, message, answer };
  return { status: 'U', code, message, cause: 'ANSWERED', answer, ...(requestId !== undefined && { requestId }) };
}

export function isWireResult(v: unknown): v is WireResult {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.resultCode === 'string' && (r.resultStatus === 'S' || r.resultStatus === 'F' || r.resultStatus === 'U') && (r.resultMessage === undefined || typeof r.resultMessage === 'string');
}
