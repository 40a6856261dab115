import type { WireResult } from './wire-types';

/*
 * What a call came to, as a union on `status` that a caller must narrow before reading an answer:
 *   S  the operation succeeded: `answer` is the verified, signed answer to this very request.
 *   F  final failure (declined, refused): `code` says why; never retried with the same id.
 *   U  not known yet, for one of three causes (`cause`):
 *        ANSWERED       a signed U answer (3DS pending, upstream unsure): `answer` says more (normalUrl).
 *        NO_ANSWER      no trustworthy answer after the bounded retries: none came, or each was unsigned,
 *                       mis-signed, stale (Response-Time outside the window), or named other ids than this
 *                       request's (an answer replayed from another call). `attempts` says what each met.
 *        NOT_DELIVERED  the last attempt met a signed transport refusal (`code` is one of
 *                       TRANSPORT_REFUSAL_CODES: INVALID_SIGNATURE, KEY_NOT_FOUND, …). It is about the
 *                       request, not the payment, and anyone holding only the Client-Id can obtain one from
 *                       the gateway (or Antom) to serve as an answer, so it is never reported as F: the
 *                       payment may have gone through. Check the keys and Client-Id if it persists.
 *      Never a failure: retry with the same `requestId`, inquire, or wait for the notification.
 */
export type Result<A> = Succeeded<A> | Failed<A> | Unknown<A>;

/**
 * The members of an answer type whose `result.resultStatus` can be `S` (or F, U): an answer typed as a union
 * on it (PayAnswer) narrows with the Result's status, so `r.status === 'S'` gives `r.answer.paymentId: string`.
 * Answers typed with a plain WireResult stay as they are.
 */
export type AnswerOn<A, S extends 'S' | 'F' | 'U'> = A extends { result: { resultStatus: infer R } } ? (S extends R ? A : never) : A;

export interface Succeeded<A> {
  readonly status: 'S';
  readonly code: string;
  readonly message: string;
  readonly answer: AnswerOn<A, 'S'>;
}

export interface Failed<A> {
  readonly status: 'F';
  readonly code: string;
  readonly message: string;
  readonly answer: AnswerOn<A, 'F'>;
}

export type UnknownCause = 'ANSWERED' | 'NO_ANSWER' | 'NOT_DELIVERED';

export interface Unknown<A> {
  readonly status: 'U';
  /** The answer's code (ANSWERED), `NO_ANSWER`, or the refusal's code (NOT_DELIVERED, a TransportRefusalCode). */
  readonly code: string;
  readonly message: string;
  /** See the union's comment: a signed U answer, nothing trustworthy, or a signed transport refusal. */
  readonly cause: UnknownCause;
  /** Present only when cause is ANSWERED (a refusal's body is not the API's answer: its code and message are above). */
  readonly answer?: AnswerOn<A, 'U'>;
  /** The idempotency id to retry with (paymentRequestId, captureRequestId, refundRequestId), when the API has one. */
  readonly requestId?: string;
  /** For NO_ANSWER and NOT_DELIVERED: what each attempt met (timeouts, resets, unsigned, stale or unbound answers, refusals). */
  readonly attempts?: readonly string[];
}

/**
 * Result codes that refuse the request before it is processed (authentication, access, rate, transport), in
 * Antom's words and the gateway's (src/antom/result-codes.ts): "not delivered", never a final word on the
 * payment. REQUEST_TRAFFIC_EXCEED_LIMIT is answered U, the others F.
 */
export const TRANSPORT_REFUSAL_CODES = [
  'INVALID_SIGNATURE',
  'KEY_NOT_FOUND',
  'INVALID_CLIENT',
  'ACCESS_DENIED',
  'REQUEST_TRAFFIC_EXCEED_LIMIT',
  'REQUEST_TIME_EXPIRED',
  'MEDIA_TYPE_NOT_ACCEPTABLE',
  'NO_INTERFACE_DEF',
] as const;
export type TransportRefusalCode = (typeof TRANSPORT_REFUSAL_CODES)[number];

export function isTransportRefusal(code: string): code is TransportRefusalCode {
  return (TRANSPORT_REFUSAL_CODES as readonly string[]).includes(code);
}

/**
 * A verified, fresh answer bound to its request as a Result; the caller has already set aside transport
 * refusals (isTransportRefusal) and answers without a valid `result`.
 */
export function resultOf<A extends { result: WireResult }>(answer: A, requestId?: string): Result<A> {
  const { resultStatus: status, resultCode: code } = answer.result;
  const message = answer.result.resultMessage ?? '';
  // The answer's own resultStatus is the one narrowed on: it is the member AnswerOn picks.
  if (status === 'S') return { status, code, message, answer: answer as AnswerOn<A, 'S'> };
  if (status === 'F') return { status, code, message, answer: answer as AnswerOn<A, 'F'> };
  return { status: 'U', code, message, cause: 'ANSWERED', answer: answer as AnswerOn<A, 'U'>, ...(requestId !== undefined && { requestId }) };
}

export function isWireResult(v: unknown): v is WireResult {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.resultCode === 'string' &&
    (r.resultStatus === 'S' || r.resultStatus === 'F' || r.resultStatus === 'U') &&
    (r.resultMessage === undefined || typeof r.resultMessage === 'string')
  );
}
