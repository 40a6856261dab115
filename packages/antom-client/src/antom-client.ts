import { KeyObject } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

import { DEFAULT_TIME_WINDOW_MS, staleness } from './header-time';
import { isTransportRefusal, isWireResult, Result, resultOf } from './result';
import { privateKeyOf, publicKeyOf, signatureHeader, verifySignatureHeader } from './signing';
import { NoAnswerError, post, WireAnswer } from './transport';
import type {
  CancelAnswer,
  CancelRequest,
  CaptureAnswer,
  CaptureRequest,
  CollectSessionAnswer,
  CollectSessionRequest,
  DeleteCardAnswer,
  DeleteCardRequest,
  InquiryPaymentAnswer,
  InquiryPaymentRequest,
  InquiryRefundAnswer,
  InquiryRefundRequest,
  PayAnswer,
  PayRequest,
  RefundAnswer,
  RefundRequest,
  StoreCardAnswer,
  StoreCardRequest,
  WireResult,
} from './wire-types';

export interface AntomClientOptions {
  /** The gateway (`http://127.0.0.1:8080`) or Antom itself (`https://open-sea-global.alipay.com`). */
  baseUrl: string;
  clientId: string;
  /** The merchant's RSA private key: PKCS#8 PEM or bare base64 DER. */
  privateKey: string | KeyObject;
  /** The key answers are signed with: the gateway's `gatewayPublicKey`, or Antom's public key. */
  serverPublicKey: string | KeyObject;
  /**
   * Path prefix of every API. Default as Antom's SDKs: `/ams/sandbox/api/v1` for a `SANDBOX_` client id,
   * else `/ams/api/v1` (the gateway serves both).
   */
  pathPrefix?: string;
  /** Per attempt, connect to last byte. Default 45 s: above the gateway's whole upstream budget (40 s). */
  timeoutMs?: number;
  /** Resends of the same request (same body, same request id) after no trustworthy answer. Default 2. */
  retries?: number;
  /** First wait before a resend, doubled each time, with jitter. Default 300 ms. */
  retryBackoffMs?: number;
  keyVersion?: string;
  /**
   * How far an answer's signed Response-Time may lie from the local clock, either way, before the answer is
   * refused as a replay (treated as no answer: resent). Default 5 minutes; `Infinity` turns the check off.
   * Keep the clock synchronised (NTP): a clock off by more than this refuses every answer.
   */
  responseTimeWindowMs?: number;
}

/** An answer that cannot be trusted is no answer: the request may or may not have been processed. */
class UntrustedAnswer extends Error {}

/**
 * The ids an answer is bound to its request by: each one the request carries (top level, a string) must,
 * when the answer names it too, be the same. Antom's answers echo them: pay paymentRequestId, capture
 * captureRequestId and paymentId, refund refundRequestId and paymentId, cancel and inquiryPayment
 * paymentRequestId / paymentId, inquiryRefund refundRequestId / refundId, the vaulting, dispute and
 * updateAmount APIs their ids, the gateway's deleteCard cardToken. An id the request does not carry (the
 * paymentId a pay answer introduces) binds nothing.
 */
const ECHOED_IDS = [
  'paymentRequestId',
  'paymentId',
  'captureRequestId',
  'captureId',
  'refundRequestId',
  'refundId',
  'updateRequestId',
  'vaultingRequestId',
  'disputeId',
  'cardToken',
] as const;

/**
 * A merchant's client for the gateway's API, which is Antom's: every call signed with the merchant's
 * key, every answer's signature checked over the exact bytes before it is parsed, a request without a
 * trustworthy answer resent with the same body and request id (Antom's idempotency makes that safe) up to
 * `retries` times, and each outcome a `Result` (S / F / U) the caller narrows on `status`.
 *
 * An answer is trusted only when it is bound to the request it answers, since Antom's signature covers the
 * path, the client id, the Response-Time and the body, not the request: its Response-Time must lie within
 * `responseTimeWindowMs` of the local clock (no replay of an old answer), and every id the request carries
 * that the answer echoes (paymentRequestId, captureRequestId, refundRequestId, paymentId, …) must be the
 * same (no answer of another call). One that is not is treated as no answer (resent, then U NO_ANSWER).
 * A signed transport refusal (INVALID_SIGNATURE, KEY_NOT_FOUND, INVALID_CLIENT, ACCESS_DENIED,
 * REQUEST_TRAFFIC_EXCEED_LIMIT, …: `TRANSPORT_REFUSAL_CODES`) says the request was not processed; anyone
 * with the Client-Id can obtain one, so it is resent too and ends as U NOT_DELIVERED, never as F.
 */
export class AntomClient {
  readonly clientId: string;
  readonly baseUrl: string;
  private readonly privateKey: KeyObject;
  private readonly serverKey: KeyObject;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly keyVersion: string;
  private readonly responseTimeWindowMs: number;
  private readonly agent: http.Agent;

  constructor(opts: AntomClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.clientId = opts.clientId;
    this.privateKey = privateKeyOf(opts.privateKey);
    this.serverKey = publicKeyOf(opts.serverPublicKey);
    this.prefix = (opts.pathPrefix ?? (opts.clientId.startsWith('SANDBOX_') ? '/ams/sandbox/api/v1' : '/ams/api/v1')).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 45_000;
    this.retries = Math.max(0, Math.min(opts.retries ?? 2, 10));
    this.backoffMs = opts.retryBackoffMs ?? 300;
    this.keyVersion = opts.keyVersion ?? '1';
    this.responseTimeWindowMs = opts.responseTimeWindowMs ?? DEFAULT_TIME_WINDOW_MS;
    if (!(this.responseTimeWindowMs > 0)) throw new Error('responseTimeWindowMs must be a positive number of milliseconds (or Infinity)');
    const agentOpts = { keepAlive: true, maxSockets: 32 };
    this.agent = this.baseUrl.startsWith('https:') ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  pay(req: PayRequest): Promise<Result<PayAnswer>> {
    return this.call<PayAnswer>('payments/pay', { ...req, productCode: req.productCode ?? 'CASHIER_PAYMENT' }, req.paymentRequestId);
  }

  inquiryPayment(req: InquiryPaymentRequest): Promise<Result<InquiryPaymentAnswer>> {
    return this.call<InquiryPaymentAnswer>('payments/inquiryPayment', req);
  }

  capture(req: CaptureRequest): Promise<Result<CaptureAnswer>> {
    return this.call<CaptureAnswer>('payments/capture', req, req.captureRequestId);
  }

  cancel(req: CancelRequest): Promise<Result<CancelAnswer>> {
    return this.call<CancelAnswer>('payments/cancel', req, req.paymentRequestId ?? req.paymentId);
  }

  refund(req: RefundRequest): Promise<Result<RefundAnswer>> {
    return this.call<RefundAnswer>('payments/refund', req, req.refundRequestId);
  }

  inquiryRefund(req: InquiryRefundRequest): Promise<Result<InquiryRefundAnswer>> {
    return this.call<InquiryRefundAnswer>('payments/inquiryRefund', req);
  }

  /** The gateway's card vault (not an Antom API): a card stored for a token to pay with as `paymentMethodId`. */
  storeCard(req: StoreCardRequest): Promise<Result<StoreCardAnswer>> {
    return this.call<StoreCardAnswer>('cards', req);
  }

  deleteCard(req: DeleteCardRequest): Promise<Result<DeleteCardAnswer>> {
    return this.call<DeleteCardAnswer>('cards/delete', req);
  }

  /** A hosted card-collection session: the buyer types the card on the gateway's page, never the merchant's. */
  collectSession(req: CollectSessionRequest): Promise<Result<CollectSessionAnswer>> {
    return this.call<CollectSessionAnswer>('cards/collectSession', req);
  }

  /**
   * Any API under the prefix (`payments/pay`). The body is serialised once: every resend carries the
   * same bytes, only Request-Time and the signature are new. The answer is bound to the body's ids
   * (ECHOED_IDS) and checked for freshness; a transport refusal is resent, then U NOT_DELIVERED.
   */
  async call<A extends { result: WireResult }>(api: string, body: object, requestId?: string): Promise<Result<A>> {
    const path = `${this.prefix}/${api}`;
    const url = new URL(this.baseUrl + path);
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const sent = idsOf(body);
    const attempts: string[] = [];
    let refusal: WireResult | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      refusal = undefined;
      try {
        const answer = await this.attempt<A>(url, path, bytes, sent);
        if (!isTransportRefusal(answer.result.resultCode)) return resultOf(answer, requestId);
        refusal = answer.result;
        attempts.push(
          `signed transport refusal ${answer.result.resultStatus} ${answer.result.resultCode}: not processed (or not this request's answer)`,
        );
      } catch (e) {
        if (!(e instanceof NoAnswerError || e instanceof UntrustedAnswer)) throw e;
        attempts.push(e.message);
      }
    }
    if (refusal) {
      return {
        status: 'U',
        code: refusal.resultCode,
        cause: 'NOT_DELIVERED',
        attempts,
        message:
          `${refusal.resultMessage ?? ''} (a transport refusal: not a final answer about the operation; retry with the same request id or inquire)`.trim(),
        ...(requestId !== undefined && { requestId }),
      };
    }
    return {
      status: 'U',
      code: 'NO_ANSWER',
      cause: 'NO_ANSWER',
      attempts,
      message: `No trustworthy answer after ${attempts.length} attempt(s); retry with the same request id or inquire.`,
      ...(requestId !== undefined && { requestId }),
    };
  }

  /** Releases the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async attempt<A extends { result: WireResult }>(url: URL, path: string, bytes: Buffer, sent: ReadonlyArray<[string, string]>): Promise<A> {
    const time = String(Date.now());
    const headers = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': this.clientId,
      'request-time': time,
      signature: signatureHeader({ path, clientId: this.clientId, time, body: bytes }, this.privateKey, this.keyVersion),
    };
    return this.trusted<A>(await post(url, headers, bytes, this.timeoutMs, this.agent), path, sent);
  }

  /** Signature first, over the raw bytes; only a verified, fresh answer is parsed, then bound to the request's ids. */
  private trusted<A extends { result: WireResult }>(res: WireAnswer, path: string, sent: ReadonlyArray<[string, string]>): A {
    if (res.status !== 200) throw new UntrustedAnswer(`HTTP ${res.status} without a signed answer`);
    // Antom's SDKs verify over the client id they sent (an answer need not echo it); one naming another is refused.
    const echoed = header(res, 'client-id');
    if (echoed !== undefined && echoed !== this.clientId) throw new UntrustedAnswer('answer for another client-id');
    const time = header(res, 'response-time');
    if (!time || !verifySignatureHeader(header(res, 'signature'), { path, clientId: this.clientId, time, body: res.raw }, this.serverKey)) {
      throw new UntrustedAnswer('answer without a valid signature');
    }
    // Signed, so the signer wrote it: an answer signed long ago (or "later") is a replay, whoever relays it.
    const stale = staleness(time, this.responseTimeWindowMs);
    if (stale) throw new UntrustedAnswer(`answer with a stale Response-Time: ${stale}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.raw.toString('utf8'));
    } catch {
      throw new UntrustedAnswer('signed answer that is not JSON');
    }
    if (!parsed || typeof parsed !== 'object' || !isWireResult((parsed as { result?: unknown }).result))
      throw new UntrustedAnswer('signed answer without a result');
    const fields = parsed as Record<string, unknown>;
    for (const [field, value] of sent) {
      if (fields[field] !== undefined && fields[field] !== null && fields[field] !== value)
        throw new UntrustedAnswer(`answer for another ${field} (not this request's)`);
    }
    return parsed as A;
  }
}

/** The request's ids an answer must not contradict (ECHOED_IDS). */
function idsOf(body: object): Array<[string, string]> {
  const b = body as Record<string, unknown>;
  return ECHOED_IDS.filter((f) => typeof b[f] === 'string').map((f) => [f, b[f] as string]);
}

function header(res: WireAnswer, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
