import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NOTIFY_ACK } from '../antom/notify-ack';
import { parseSignatureHeader, verify } from '../antom/signature';
import { Capture } from '../capture/capture.entity';
import { Refund } from '../capture/capture.entity';
import { ReconciliationService } from '../inquiry/reconciliation.service';
import { LOGGER } from '../platform/logging/logger.tokens';
import { Payment } from '../payments/payment.entity';
import { SettlementService } from '../settlement/settlement.service';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from '../upstream/upstream-credentials';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
    if (!body) return { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'malformed body' } };
    const key = dedupeKey(body);
    const seen: unknown[] = await this.db.query(`SELECT 1 FROM notification_in WHERE dedupe_key = $1`, [key]);
    if (seen.length === 0) {
      await this.apply(body);
      await this.db.query(`INSERT INTO notification_in (dedupe_key, notify_type) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [key, String(body.notifyType).slice(0, 32)]);
    }
    return NOTIFY_ACK;
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
        if (isId(b.paymentRequestId)) await this.settlement.applyPayOutcome(b.paymentRequestId, { kind: 'answer', body: b }, 'NOTIFICATION').catch(notOurs);
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
    const ourId = (await this.db.getRepository(Payment).findOneBy({ upstreamPaymentId: b.paymentId }))?.id ?? (await this.reconciliation.ourPaymentIdFor(b.paymentId));
    const p = ourId ? await this.db.getRepository(Payment).findOneBy({ id: ourId }) : null;
    if (!p) return;
    if (!['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(p.status)) await this.reconciliation.settle(p.id);
    await this.settlement.applyAutomaticCapture(p.id, b);
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

function notOurs(e: unknown): void {
  if (!(e instanceof Error && e.message === 'payment not found')) throw e;
}
