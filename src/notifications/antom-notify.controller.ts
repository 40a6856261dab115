import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NOTIFY_ACK } from '../antom/notify-ack';
import { parseSignatureHeader, verify } from '../antom/signature';
import { Capture } from '../capture/capture.entity';
import { GatewayConfig } from '../config/gateway-config';
import { reconcileInstead, staleNotifyTime } from './notify-freshness';
import { Refund } from '../capture/capture.entity';
import { ReconciliationService } from '../inquiry/reconciliation.service';
import { LOGGER } from '../platform/logging/logger.tokens';
import { PaymentStatus, isFinalStatus } from '../payments/payment-status';
import { applyAutomaticCapture, awaitsAutomaticCapture, findAutoCaptureTarget } from '../settlement/automatic-capture';
import { SettlementService } from '../settlement/settlement.service';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from '../upstream/upstream-credentials';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Final states that a PAYMENT_RESULT with resultStatus S agrees with. */
const SUCCESS_STATES: PaymentStatus[] = ['AUTHORIZED', 'SUCCEEDED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];
/** An automatic-capture payment in these states needs no settling before its capture is booked. */
const SETTLED_AUTOMATIC: PaymentStatus[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/**
 * Antom → gateway notifications. Verified before parsing; an unverifiable one is not trusted (we inquire
 * instead) and not acknowledged, so a genuine one is sent again. Duplicates are acknowledged and ignored.
 */
@Controller()
export class AntomNotifyController {
  constructor(
    private readonly db: DataSource,
    private readonly settlement: SettlementService,
    private readonly reconciliation: ReconciliationService,
    @Inject(UPSTREAM_CREDENTIALS) private readonly creds: UpstreamCredentials,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: GatewayConfig,
  ) {}

  @Post('/antom/notify')
  @HttpCode(200)
  async receive(@Req() req: FastifyRequest): Promise<object> {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = parse(raw);
    if (!this.verified(req, raw)) {
      this.logger.warn({ notifyType: body?.notifyType }, 'notification with a bad or missing signature: not trusted, inquiring instead');
      await this.inquireInstead(body);
      return { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'signature verification failed' } };
    }
    const stale = staleNotifyTime(headerOf(req, 'request-time'), this.config.NOTIFY_REQUEST_TIME_WINDOW_SECONDS ?? this.config.REQUEST_TIME_WINDOW_SECONDS);
    if (stale) {
      // Signed, but old or undated: a replay is never applied. Acknowledged all the same (any other answer
      // is resent for ever); the payment is reconciled by inquiry instead.
      this.logger.warn({ notifyType: String(body?.notifyType).slice(0, 32), reason: stale }, 'notification not applied: inquiring instead');
      await reconcileInstead(this.db, body);
      return NOTIFY_ACK;
    }
    if (!body) return { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'malformed body' } };
    // Acknowledged only once applied (or proven already applied): an error here is not an ack, so Antom resends.
    if (!(await this.settledFromState(body))) await this.applyOnce(body);
    return NOTIFY_ACK;
  }

  /**
   * The common notifications, decided from the payment's own state in one read and at most one write:
   * a result the payment already shows needs nothing (no dedupe row either — the state proves it), a
   * first result is applied under the guards of its write. False: the general path must take it.
   */
  private async settledFromState(b: Body): Promise<boolean> {
    if (b.notifyType === 'PAYMENT_RESULT') return this.paymentResult(b);
    if (b.notifyType === 'CAPTURE_RESULT') return this.captureResult(b);
    if (b.notifyType === 'REFUND_RESULT' && isId(b.refundRequestId)) {
      const r: { status: string }[] = await this.db.query(`SELECT status FROM refund WHERE id = $1`, [b.refundRequestId]);
      return r.length === 0 || r[0].status !== 'PROCESSING'; // unknown, or settled already (its answer was first)
    }
    return false;
  }

  private async paymentResult(b: Body): Promise<boolean> {
    const said = b.result?.resultStatus;
    if (!isId(b.paymentRequestId) || (said !== 'S' && said !== 'F')) return false;
    const rows: { status: PaymentStatus }[] = await this.db.query(`SELECT status FROM payment WHERE id = $1`, [b.paymentRequestId]);
    if (rows.length === 0) return true; // not one of ours: nothing to apply
    const status = rows[0].status;
    if (isFinalStatus(status)) return said === 'S' ? SUCCESS_STATES.includes(status) : status === 'FAILED'; // else (e.g. S after a cancel) the general path
    // Still PROCESSING/UNKNOWN: this result settles it (under the row lock, once however many roads race).
    await this.settlePayment(b.paymentRequestId, b);
    await this.remember(b); // a copy arriving after a later change (an AVS void) is still a duplicate
    return true;
  }

  /** A payment result, and the void the merchant's AVS policy may have decided with it (reconciliation resends it if this one fails). */
  private async settlePayment(id: string, b: Body): Promise<void> {
    const settled = await this.settlement.settlePay(id, { kind: 'answer', body: b }, 'NOTIFICATION').catch(notOurs);
    if (!settled?.policyVoid) return;
    await this.reconciliation.finishPolicyVoid(id).catch((e: unknown) => this.logger.warn({ paymentId: id, err: e instanceof Error ? e.message : String(e) }, 'AVS policy void not sent; reconciliation will resend it'));
  }

  private async captureResult(b: Body): Promise<boolean> {
    if (isId(b.captureRequestId)) {
      const c: { status: string }[] = await this.db.query(`SELECT status FROM capture WHERE id = $1`, [b.captureRequestId]);
      if (c.length > 0) return c[0].status === 'SUCCESS' || c[0].status === 'FAIL'; // settled already; else the general path
    }
    if (typeof b.paymentId !== 'string') return true; // nothing to book
    const t = await findAutoCaptureTarget(this.db, { upstreamPaymentId: b.paymentId });
    // Not found: it overtook our pay answer; not settled yet: it must be first. Both take the general path.
    if (!t || !SETTLED_AUTOMATIC.includes(t.status)) return false;
    if (!awaitsAutomaticCapture(t)) return true; // booked already (a duplicate, or the other road was first)
    if (b.result?.resultStatus !== 'S') return false; // a failed automatic capture: recorded once by the general path
    await applyAutomaticCapture(this.db, t, b);
    return true;
  }

  /** The general path: every other notification is applied once, remembered in notification_in. */
  private async applyOnce(b: Body): Promise<void> {
    const seen: unknown[] = await this.db.query(`SELECT 1 FROM notification_in WHERE dedupe_key = $1`, [dedupeKey(b)]);
    if (seen.length > 0) return;
    await this.apply(b);
    await this.remember(b);
  }

  private async remember(b: Body): Promise<void> {
    await this.db.query(`INSERT INTO notification_in (dedupe_key, notify_type) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [dedupeKey(b), String(b.notifyType).slice(0, 32)]);
  }

  private verified(req: FastifyRequest, raw: Buffer): boolean {
    const h = (n: string) => (Array.isArray(req.headers[n]) ? req.headers[n]![0] : (req.headers[n] as string | undefined));
    const sig = parseSignatureHeader(h('signature'));
    const time = h('request-time');
    const clientId = h('client-id');
    if (!sig || !time || clientId !== this.creds.clientId) return false;
    return verify({ path: req.url, clientId, time, body: raw }, sig.signature, this.creds.acquirerPublicKey);
  }

  private async apply(b: Body): Promise<void> {
    switch (b.notifyType) {
      case 'PAYMENT_RESULT':
        if (isId(b.paymentRequestId)) await this.settlePayment(b.paymentRequestId, b);
        return;
      case 'CAPTURE_RESULT':
        return this.applyCapture(b);
      case 'REFUND_RESULT':
        if (isId(b.refundRequestId) && (await this.db.getRepository(Refund).existsBy({ id: b.refundRequestId }))) {
          await this.settlement.applyRefundOutcome(b.refundRequestId, { kind: 'answer', body: b });
        }
        return;
      default:
        return; // PAYMENT_PENDING and future types: nothing to settle
    }
  }

  private async applyCapture(b: Body): Promise<void> {
    if (isId(b.captureRequestId) && (await this.db.getRepository(Capture).existsBy({ id: b.captureRequestId }))) {
      await this.settlement.applyCaptureOutcome(b.captureRequestId, { kind: 'answer', body: b });
      return;
    }
    // captureMode AUTOMATIC: the acquirer captured on its own; the capture proves the authorization.
    if (typeof b.paymentId !== 'string') return;
    // The capture notice can overtake our own pay answer: then we do not know the acquirer's paymentId yet.
    let t = await findAutoCaptureTarget(this.db, { upstreamPaymentId: b.paymentId });
    if (!t) {
      const ourId = await this.reconciliation.ourPaymentIdFor(b.paymentId);
      t = ourId ? await findAutoCaptureTarget(this.db, { id: ourId }) : null;
    }
    if (!t) return;
    if (!SETTLED_AUTOMATIC.includes(t.status)) {
      await this.reconciliation.settle(t.id);
      t = await findAutoCaptureTarget(this.db, { id: t.id });
    }
    if (t) await applyAutomaticCapture(this.db, t, b);
  }

  private async inquireInstead(body: Body | null): Promise<void> {
    const id = body?.paymentRequestId;
    if (isId(id)) await this.db.query(`UPDATE payment SET next_reconcile_at = now() WHERE id = $1`, [id]);
  }
}

function parse(raw: Buffer): Body | null {
  try {
    const v = JSON.parse(raw.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

function dedupeKey(b: Body): string {
  const id = b.captureRequestId ?? b.refundRequestId ?? b.paymentRequestId ?? b.paymentId ?? '';
  return `${String(b.notifyType)}:${String(id)}:${String(b.result?.resultStatus)}`.slice(0, 200);
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

function notOurs(e: unknown): undefined {
  if (!(e instanceof Error && e.message === 'payment not found')) throw e;
  return undefined;
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
