import { createHash, randomUUID } from 'node:crypto';
import { CancelAnswer, CaptureAnswer, InquiryRefundAnswer, RefundAnswer } from '../antom/wire';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { upstreamUnknownCode } from '../antom/result-codes';
import { GatewayConfig } from '../config/gateway-config';
import { CancelRequestDto, CaptureRequestDto, InquiryRefundRequestDto, RefundRequestDto } from '../antom/requests/lifecycle.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository, eventInsert } from '../payments/payments.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { SettlementService } from '../settlement/settlement.service';
import { ReconciliationService } from '../settlement/reconciliation.service';
import { UpstreamCancelAnswer, UpstreamCaptureAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { PaymentProcessor } from '../upstream/payment-processor';
import { crashPoint } from '../platform/crash-hook';
import { Capture, Refund } from '../payments/capture.entity';
import { cancelResponse, captureResponse, inquiryRefundResponse, refundResponse } from '../payments/lifecycle-views';
import { guardCancel, guardCapture, guardRefund } from '../payments/operation-guards';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { AmountUpdateService } from './amount-update.service';
import { OperationRedrive } from '../settlement/operation-redrive';
import { upstreamCapture, upstreamRefund } from './upstream-operation-requests';

const TWIN_WAIT_MS = 10_000;

/**
 * Capture, cancel (void) and refund. Each runs: lock the payment + guard + reserve (one transaction) →
 * upstream → settle (one transaction). The row lock serialises concurrent operations on one payment,
 * so two captures can never reserve the same money.
 */
@Injectable()
export class CaptureService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly settlement: SettlementService,
    private readonly reconciliation: ReconciliationService,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    private readonly amountUpdates: AmountUpdatesRepository,
    private readonly amountUpdate: AmountUpdateService,
    private readonly redrive: OperationRedrive,
  ) {}

  async capture(merchant: MerchantIdentity, req: CaptureRequestDto): Promise<CaptureAnswer> {
    const amount = BigInt(req.captureAmount.value);
    const hash = keyHash(req.paymentId, req.captureAmount.currency, req.captureAmount.value);
    const known = await this.payments.findByPaymentId(merchant.id, req.paymentId);
    if (known) await this.amountUpdate.settlePending(known.id); // an update left open is resolved first
    const prepared = await this.db.transaction(async (tx) => {
      const p = await this.lockPayment(tx, merchant.id, { paymentId: req.paymentId });
      const existing = await this.operations.findCapture({ merchantId: merchant.id, captureRequestId: req.captureRequestId }, tx);
      if (existing) return { p, c: sameRequest(existing, hash), replay: true };
      // Not final: the authorized amount is about to change (the acquirer is answering an updateAmount).
      if (await this.amountUpdates.inFlight(tx, p.id)) throw new AntomError('UNKNOWN_EXCEPTION', 'An amount update of this payment is in process; retry the capture with the same captureRequestId shortly.');
      guardCapture(p, req.captureAmount.currency, amount, await this.operations.reserved(tx, 'capture', p.id));
      const c = Object.assign(new Capture(), {
        id: randomUUID(), captureId: `gwc_${randomUUID().replace(/-/g, '')}`, merchantId: merchant.id, paymentId: p.id,
        captureRequestId: req.captureRequestId, requestHash: hash, currency: p.currency, amount, isLast: req.isLastCapture === true,
        automatic: false, status: 'PROCESSING',
      });
      await this.operations.reserve(tx, c, eventInsert([p.id, 'CAPTURE_REQUESTED', p.status, p.status, amount, { captureRequestId: req.captureRequestId, isLastCapture: c.isLast }]), this.config.RECONCILE_FIRST_DELAY_SECONDS);
      return { p, c, replay: false };
    });
    if (prepared.replay) return this.replayCapture(prepared.p, await this.waitFinal(prepared.c));
    const outcome = await this.upstream.capture(upstreamCapture(prepared.p, prepared.c));
    crashPoint('after-upstream-capture'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const { payment, capture } = await this.settlement.applyCaptureOutcome(prepared.c.id, outcome);
    return captureResponse(payment, capture);
  }

  async cancel(merchant: MerchantIdentity, req: CancelRequestDto): Promise<CancelAnswer> {
    if (!req.paymentId && !req.paymentRequestId) throw new AntomError('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.');
    const p = await this.db.transaction(async (tx) => {
      const locked = await this.lockPayment(tx, merchant.id, req);
      if (guardCancel(locked) === 'ALREADY') return locked;
      await this.payments.requestCancel(tx, locked, this.settlement.nextReconcile('UNKNOWN'));
      return locked;
    });
    if (p.status === 'CANCELLED') return cancelResponse(p);
    const outcome = await this.upstream.cancel({ paymentRequestId: p.id, ...(p.upstreamPaymentId ? { paymentId: p.upstreamPaymentId } : {}) });
    const after = await this.settlement.applyCancelOutcome(p.id, neverReachedCountsAsCancelled(p, outcome));
    if (after.status === 'CANCELLED') return cancelResponse(after);
    const ids = { paymentId: p.paymentId, paymentRequestId: p.paymentRequestId };
    // The acquirer's refusal keeps its code (CANCEL_WINDOW_EXCEED, ORDER_IS_CLOSED, …) and message.
    if (outcome.kind === 'answer' && outcome.body.result?.resultStatus === 'F') throw AntomError.upstreamRefusal(outcome.body.result, 'ORDER_STATUS_INVALID', ids);
    const code = upstreamUnknownCode('cancel', outcome.kind === 'answer' ? outcome.body.result?.resultCode : undefined);
    throw new AntomError(code, 'The cancel result is unknown; it will be retried. Inquire the payment later.', ids);
  }

  async refund(merchant: MerchantIdentity, req: RefundRequestDto): Promise<RefundAnswer> {
    const amount = BigInt(req.refundAmount.value);
    await this.captureBeforeRefund(merchant, req.paymentId);
    const hash = keyHash(req.paymentId, req.refundAmount.currency, req.refundAmount.value);
    const prepared = await this.db.transaction(async (tx) => {
      const p = await this.lockPayment(tx, merchant.id, { paymentId: req.paymentId });
      const existing = await this.operations.findRefund({ merchantId: merchant.id, refundRequestId: req.refundRequestId }, tx);
      if (existing) return { p, r: sameRequest(existing, hash), replay: true };
      guardRefund(p, req.refundAmount.currency, amount, await this.operations.reserved(tx, 'refund', p.id));
      const upstreamCaptureId = await this.captureToRefund(tx, merchant.id, p, req.captureId);
      const r = Object.assign(new Refund(), {
        id: randomUUID(), refundId: `gwr_${randomUUID().replace(/-/g, '')}`, merchantId: merchant.id, paymentId: p.id,
        refundRequestId: req.refundRequestId, requestHash: hash, currency: p.currency, amount,
        reason: req.refundReason ?? null, notifyUrl: req.refundNotifyUrl ?? null, status: 'PROCESSING',
      });
      await this.operations.reserve(tx, r, eventInsert([p.id, 'REFUND_REQUESTED', p.status, p.status, amount, { refundRequestId: req.refundRequestId }]), this.config.RECONCILE_FIRST_DELAY_SECONDS);
      return { p, r, upstreamCaptureId, replay: false as const };
    });
    if (prepared.replay) return this.replayRefund(merchant.id, prepared.p, await this.waitFinal(prepared.r), req);
    const outcome = await this.upstream.refund(upstreamRefund(prepared.p, prepared.r, req, prepared.upstreamCaptureId ?? null));
    const { payment, refund } = await this.settlement.applyRefundOutcome(prepared.r.id, outcome);
    return refundResponse(payment, refund);
  }

  /**
   * The same captureRequestId again: the stored answer, a capture left U re-driven first (OperationRedrive:
   * inquired, resent as first sent if the acquirer never received it, its result applied).
   */
  private async replayCapture(p: Payment, c: Capture): Promise<CaptureAnswer> {
    if (!this.redrive.captureRedrivable(c)) return captureResponse(p, c);
    const r = await this.redrive.redriveCapture(p, c, (current) => this.upstream.capture(upstreamCapture(p, current)));
    return r ? captureResponse(r.payment, r.capture) : captureResponse(p, (await this.operations.reload(c)) ?? c);
  }

  /** The same refundRequestId again: as `replayCapture`; the resend carries this request's captureId, reference and async flag. */
  private async replayRefund(merchantId: string, p: Payment, r: Refund, req: RefundRequestDto): Promise<RefundAnswer> {
    if (!this.redrive.refundRedrivable(r)) return refundResponse(p, r);
    const resend = async (current: Refund) => {
      const captureId = req.captureId ? await this.db.transaction((tx) => this.captureToRefund(tx, merchantId, p, req.captureId)) : null;
      return this.upstream.refund(upstreamRefund(p, current, req, captureId));
    };
    const d = await this.redrive.redriveRefund(p, r, resend);
    return d ? refundResponse(d.payment, d.refund) : refundResponse(p, (await this.operations.reload(r)) ?? r);
  }

  async inquiryRefund(merchant: MerchantIdentity, req: InquiryRefundRequestDto): Promise<InquiryRefundAnswer> {
    if (!req.refundId && !req.refundRequestId) throw new AntomError('PARAM_ILLEGAL', 'refundId or refundRequestId is required.');
    const where = req.refundId ? { merchantId: merchant.id, refundId: req.refundId } : { merchantId: merchant.id, refundRequestId: req.refundRequestId };
    let r = await this.operations.findRefund(where);
    if (!r) throw new AntomError('ORDER_NOT_EXIST', 'No refund with this id for this merchant.');
    const p = r.status === 'PROCESSING' ? await this.payments.findById(r.paymentId) : null;
    // What the acquirer knows, applied as reconciliation applies it: its "no such refund" is not a failed
    // refund until the retry window is over and nothing sent can still arrive.
    if (p) r = (await this.redrive.settleRefund(p, r)).refund;
    return inquiryRefundResponse(r);
  }

  /** The acquirer's id of the capture a refund names (`captureId`): one successful capture of this payment, else F naming it. */
  private async captureToRefund(tx: EntityManager, merchantId: string, p: Payment, captureId: string | undefined): Promise<string | null> {
    if (!captureId) return null;
    const c = await this.operations.findCapture({ merchantId, captureId, paymentId: p.id }, tx);
    if (!c || c.status !== 'SUCCESS') throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter captureId: not a successful capture of this payment.');
    return c.upstreamCaptureId;
  }

  /**
   * A refund needs a booked capture. Right after an automatic-capture pay the acquirer's capture
   * notification may not have arrived: the capture is asked for and booked first, so the refund is not
   * refused for a condition that passes by itself (what is still missing then answers U, see guardRefund).
   */
  private async captureBeforeRefund(merchant: MerchantIdentity, paymentId: string): Promise<void> {
    const p = await this.payments.findByPaymentId(merchant.id, paymentId);
    if (p?.captureMode === 'AUTOMATIC' && p.status === 'SUCCEEDED' && p.capturedAmount === 0n) await this.reconciliation.bookAutomaticCapture(p.id);
  }

  private async lockPayment(tx: EntityManager, merchantId: string, ids: { paymentId?: string; paymentRequestId?: string }): Promise<Payment> {
    const where = ids.paymentId ? { merchantId, paymentId: ids.paymentId } : { merchantId, paymentRequestId: ids.paymentRequestId! };
    const locked = await tx.findOne(Payment, { where, lock: { mode: 'pessimistic_write' } });
    if (!locked) throw new AntomError('ORDER_NOT_EXIST', 'No payment with this id for this merchant.');
    return locked;
  }

  /** A twin of this request is in flight: wait briefly for its final answer, else answer U (safe to retry). */
  private async waitFinal<T extends Capture | Refund>(row: T): Promise<T> {
    const deadline = Date.now() + TWIN_WAIT_MS;
    let current = row;
    while (current.status === 'PROCESSING' && current.resultStatus === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = (await this.operations.reload(row)) ?? current;
    }
    return current;
  }
}

function keyHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

function sameRequest<T extends { requestHash: string }>(existing: T, hash: string): T {
  if (existing.requestHash !== hash) throw new AntomError('REPEAT_REQ_INCONSISTENT', 'This request id was used before with a different payment or amount.');
  return existing;
}

/**
 * Abandoning a payment the acquirer never saw (our pay request never arrived): its "order does not
 * exist" means there is nothing to void, so the cancel succeeds locally.
 */
function neverReachedCountsAsCancelled(p: Payment, outcome: Awaited<ReturnType<PaymentProcessor['cancel']>>) {
  const body = outcome.kind === 'answer' ? (outcome.body as UpstreamCancelAnswer) : undefined;
  if (body?.result?.resultCode === 'ORDER_NOT_EXIST' && ['RECEIVED', 'UNKNOWN'].includes(p.status)) {
    return { kind: 'answer' as const, body: { result: { resultStatus: 'S', resultCode: 'SUCCESS' } } };
  }
  return outcome as typeof outcome & { body: UpstreamCancelAnswer };
}
