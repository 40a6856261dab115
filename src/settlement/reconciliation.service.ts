import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config';
import { LOGGER } from '../platform/logging/logger.tokens';
import { Payment } from '../payments/payment.entity';
import { SettlementService } from './settlement.service';
import { UpstreamCancelAnswer, UpstreamInquiryAnswer, UpstreamRefundAnswer, inquiryAsPayAnswer } from '../antom/answers';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AVS_VOID_CODE } from './avs-verdict';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { paymentResultNotice } from './merchant-notices';
import { applyAutomaticCapture, awaitsAutomaticCapture, findAutoCaptureTarget } from './automatic-capture';

/**
 * Settles what the gateway does not know yet by asking the acquirer: payments left UNKNOWN (no answer),
 * pending a buyer action, or received and never sent (a crash); captures and refunds without a final
 * result; cancels that did not go through; and successes that arrived after a cancel (voided again).
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly outbox: OutboxService,
    private readonly settlement: SettlementService,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async settle(paymentId: string): Promise<void> {
    const p = await this.payments.findById(paymentId);
    if (!p) return;
    if (p.cancelRequestedAt && (p.status !== 'CANCELLED' || p.nextReconcileAt)) return this.resendCancel(p);
    if (['RECEIVED', 'UNKNOWN', 'PENDING_ACTION'].includes(p.status)) await this.inquirePayment(p);
    await this.settleCaptures(p);
    await this.settleRefunds(p);
    await this.payments.finishReconcile(p.id);
  }

  /** Our payment id (the paymentRequestId we sent upstream) for an acquirer paymentId, asked of the acquirer. */
  async ourPaymentIdFor(upstreamPaymentId: string): Promise<string | null> {
    const outcome = await this.upstream.inquiryPayment({ paymentId: upstreamPaymentId });
    const id = outcome.kind === 'answer' ? (outcome.body as { paymentRequestId?: unknown }).paymentRequestId : undefined;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : null;
  }

  private async inquirePayment(p: Payment): Promise<void> {
    const outcome = await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId });
    if (outcome.kind === 'no-answer') return;
    const a = outcome.body;
    if (a.result?.resultCode === 'ORDER_NOT_EXIST') return this.neverReached(p);
    const asPay = a.result?.resultStatus === 'S' ? inquiryAsPayAnswer(a) : null;
    if (asPay) {
      const { payment, policyVoid } = await this.settlement.settlePay(p.id, { kind: 'answer', body: asPay }, 'INQUIRY');
      if (policyVoid) await this.resendCancel(payment);
    } else if (p.status === 'PENDING_ACTION' && Date.now() - p.createdAt.getTime() > this.config.PENDING_ACTION_TIMEOUT_SECONDS * 1000) {
      await this.payments.requestCancelOnce(p.id);
      await this.resendCancel({ ...p, cancelRequestedAt: new Date() } as Payment);
    }
  }

  /** The acquirer has no such payment: once our own call can no longer be in flight, it never happened. */
  private async neverReached(p: Payment): Promise<void> {
    const inFlightWindowMs = this.config.UPSTREAM_TIMEOUT_MS * 3 + 5000;
    if (Date.now() - p.createdAt.getTime() < inFlightWindowMs) return;
    await this.settlement.applyPayOutcome(p.id, { kind: 'answer', body: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL', resultMessage: 'The payment never reached the acquirer.' } } }, 'RECONCILIATION');
  }

  /**
   * The cancel of an authorization the merchant's AVS policy voided as it settled (settlement decided it
   * and asked for the cancel in the same statement): sent right away by whoever settled it.
   */
  async finishPolicyVoid(paymentId: string): Promise<void> {
    const p = await this.payments.findById(paymentId);
    if (p?.cancelRequestedAt && p.status !== 'CANCELLED') await this.resendCancel(p);
  }

  private async resendCancel(p: Payment): Promise<void> {
    const outcome = await this.upstream.cancel({ paymentRequestId: p.id }, { paymentId: p.paymentId });
    const notThere = outcome.kind === 'answer' && outcome.body.result?.resultCode === 'ORDER_NOT_EXIST' && ['RECEIVED', 'UNKNOWN'].includes(p.status);
    await this.settlement.applyCancelOutcome(p.id, notThere ? { kind: 'answer', body: { result: { resultStatus: 'S' } } } : outcome);
    if (p.resultCode === AVS_VOID_CODE) await this.releaseVoidNotice(p.id);
  }

  /**
   * An AVS void's F notice was written held with the authorization: it goes out once the cancel was
   * tried (as on the pay path; an unanswered cancel is resent, the merchant is told F already).
   */
  private async releaseVoidNotice(paymentId: string): Promise<void> {
    const p = await this.payments.findById(paymentId);
    if (!p) return;
    await this.outbox.releaseHeld(this.db, paymentResultNotice(p));
  }

  private async settleCaptures(p: Payment): Promise<void> {
    const open = await this.operations.openCaptures(p.id);
    if (open.length === 0) return;
    const outcome = await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId });
    if (outcome.kind === 'no-answer') return;
    for (const c of open) {
      const t = (outcome.body.transactions ?? []).find((x) => x.transactionType === 'CAPTURE' && x.transactionRequestId === c.id);
      const status = t?.transactionStatus;
      if (status === 'SUCCESS' || status === 'FAIL') {
        await this.settlement.applyCaptureOutcome(c.id, { kind: 'answer', body: { result: { resultStatus: status === 'SUCCESS' ? 'S' : 'F', resultCode: status === 'SUCCESS' ? 'SUCCESS' : 'PROCESS_FAIL' }, captureId: t?.transactionId, captureTime: t?.transactionTime } });
      }
    }
  }

  private async settleRefunds(p: Payment): Promise<void> {
    const open = await this.operations.openRefunds(p.id);
    for (const r of open) {
      const outcome = await this.upstream.inquiryRefund({ refundRequestId: r.id }, { paymentId: p.paymentId });
      if (outcome.kind === 'answer' && outcome.body.result?.resultStatus === 'S' && outcome.body.refundStatus !== 'PROCESSING') {
        await this.settlement.applyRefundOutcome(r.id, outcome);
      }
    }
  }

  /**
   * An automatic-capture payment whose capture notification has not arrived yet (a refund right after
   * the pay): the capture is asked of the acquirer and booked now, as its notification would book it.
   */
  async bookAutomaticCapture(paymentId: string): Promise<void> {
    const t = await findAutoCaptureTarget(this.db, { id: paymentId });
    if (!t || !awaitsAutomaticCapture(t)) return;
    const outcome = await this.upstream.inquiryPayment({ paymentRequestId: paymentId });
    if (outcome.kind === 'no-answer') return;
    const c = (outcome.body.transactions ?? []).find((x) => x.transactionType === 'CAPTURE' && x.transactionStatus === 'SUCCESS');
    if (!c) return;
    await applyAutomaticCapture(this.db, t, { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, captureId: c.transactionId, captureTime: c.transactionTime, captureAmount: c.transactionAmount });
  }

  /** Claims due payments across instances (SKIP LOCKED) and pushes their next look into the future first. */
  async runDue(limit = 20): Promise<number> {
    const lease = this.config.RECONCILE_INTERVAL_SECONDS;
    const ids = await this.payments.claimDueForReconcile(lease, limit);
    for (const id of ids) {
      await this.settle(id).catch((e: unknown) => this.logger.warn({ paymentId: id, err: e instanceof Error ? e.message : String(e) }, 'reconciliation failed; will retry'));
    }
    return ids.length;
  }
}
