import * as http from 'node:http';
import * as https from 'node:https';
import { KeyObject } from 'node:crypto';
import { isWireResult, Result, resultOf } from './result';
import { privateKeyOf, publicKeyOf, signatureHeader, verifySignatureHeader } from './signing';
import { NoAnswerError, post, WireAnswer } from './transport';
import type {
  CancelAnswer, CancelRequest, CaptureAnswer, CaptureRequest, CollectSessionAnswer, CollectSessionRequest, DeleteCardAnswer, DeleteCardRequest,
  InquiryPaymentAnswer, InquiryPaymentRequest, InquiryRefundAnswer, InquiryRefundRequest, PayAnswer, PayRequest, RefundAnswer, RefundRequest,
  StoreCardAnswer, StoreCardRequest, WireResult,
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
}

/** An answer that cannot be trusted is no answer: the request may or may not have been processed. */
class UntrustedAnswer extends Error {}

/**
 * A merchant's client for the gateway's API, which is Antom's: every call signed with the merchant's
 * key, every answer's signature checked over the exact bytes before it is parsed, a request without a
 * trustworthy answer resent with the same body and request id (Antom's idempotency makes that safe) up to
 * `retries` times, and each outcome a `Result` (S / F / U) the caller narrows on `status`.
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
   * same bytes, only Request-Time and the signature are new.
   */
  async call<A extends { result: WireResult }>(api: string, body: object, requestId?: string): Promise<Result<A>> {
    const path = `${this.prefix}/${api}`;
    const url = new URL(this.baseUrl + path);
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const attempts: string[] = [];
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      try {
        const answer = await this.attempt<A>(url, path, bytes);
        return resultOf(answer, requestId);
      } catch (e) {
        if (!(e instanceof NoAnswerError || e instanceof UntrustedAnswer)) throw e;
        attempts.push(e.message);
      }
    }
    return {
      status: 'U', code: 'NO_ANSWER', cause: 'NO_ANSWER', attempts,
      message: `No trustworthy answer after ${attempts.length} attempt(s); retry with the same request id or inquire.`,
      ...(requestId !== undefined && { requestId }),
    };
  }

  /** Releases the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async attempt<A>(url: URL, path: string, bytes: Buffer): Promise<A> {
    const time = String(Date.now());
    const headers = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': this.clientId,
      'request-time': time,
      signature: signatureHeader({ path, clientId: this.clientId, time, body: bytes }, this.privateKey, this.keyVersion),
    };
    return this.trusted<A>(await post(url, headers, bytes, this.timeoutMs, this.agent), path);
  }

  /** Signature first, over the raw bytes; only a verified answer is parsed. */
  private trusted<A>(res: WireAnswer, path: string): A {
    if (res.status !== 200) throw new UntrustedAnswer(`HTTP ${res.status} without a signed answer`);
    // Antom's SDKs verify over the client id they sent (an answer need not echo it); one naming another is refused.
    const echoed = header(res, 'client-id');
    if (echoed !== undefined && echoed !== this.clientId) throw new UntrustedAnswer('answer for another client-id');
    const time = header(res, 'response-time');
    if (!time || !verifySignatureHeader(header(res, 'signature'), { path, clientId: this.clientId, time, body: res.raw }, this.serverKey)) {
      throw new UntrustedAnswer('answer without a valid signature');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.raw.toString('utf8'));
    } catch {
      throw new UntrustedAnswer('signed answer that is not JSON');
    }
    if (!parsed || typeof parsed !== 'object' || !isWireResult((parsed as { result?: unknown }).result)) throw new UntrustedAnswer('signed answer without a result');
    return parsed as A;
  }
}

function header(res: WireAnswer, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
