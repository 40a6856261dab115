import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { GatewayConfig } from '../config/gateway-config';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { clockMs } from '../platform/clock';
import { LOGGER } from '../platform/logging/logger.tokens';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { captureKnown, payKnown } from './acquirer-knows';
import { applyAutomaticCapture, awaitsAutomaticCapture, findAutoCaptureTarget } from './automatic-capture';
import { AVS_VOID_CODE } from './avs-verdict';
import { paymentResultNotice } from './merchant-notices';
import { OperationRedrive } from './operation-redrive';
import { PayRedrive } from './pay-redrive';

/**
 * Settles what the gateway does not know yet by asking the acquirer: payments left UNKNOWN (no answer),
 * pending a buyer action, or received and never sent (a crash); captures and refunds without a final
 * result; cancels that did not go through; and successes that arrived after a cancel (voided again).
 * A pay, capture or refund the acquirer never received is not resent here — the merchant's same-id retry
 * does that (PayRedrive, OperationRedrive) — and is closed F PROCESS_FAIL only once the merchant's retry
 * window (RETRY_WINDOW_SECONDS) is over and nothing sent can still arrive.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly outbox: OutboxService,
    private readonly settlement: AcquirerAnswersService,
    private readonly upstream: PaymentProcessor,
    private readonly payRedrive: PayRedrive,
    private readonly operationRedrive: OperationRedrive,
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
    const known = payKnown(await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId }));
    if (known.kind === 'not-there') return this.neverReached(p);
    if (known.kind === 'final') {
      const { payment, policyVoid } = await this.settlement.settlePay(p.id, { kind: 'answer', body: known.answer }, 'INQUIRY');
      if (policyVoid) await this.resendCancel(payment);
    } else if (
      known.kind === 'pending' &&
      p.status === 'PENDING_ACTION' &&
      clockMs() - p.createdAt.getTime() > this.config.PENDING_ACTION_TIMEOUT_SECONDS * 1000
    ) {
      await this.payments.requestCancelOnce(p.id);
      await this.resendCancel({ ...p, cancelRequestedAt: new Date() } as Payment);
    }
  }

  /**
   * The acquirer has no such payment. Within the merchant's retry window its same-id retry resends it; after
   * it, and once nothing sent can still arrive, it never happened (PayRedrive.closeIfNeverReached). Until
   * then the next look is when that can be decided.
   */
  private async neverReached(p: Payment): Promise<void> {
    const lookAgainAt = await this.payRedrive.closeIfNeverReached(p);
    if (lookAgainAt) await this.payments.reconcileBy(p.id, lookAgainAt);
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

  /** Open captures, from one inquiry of the payment: final ones applied, never-arrived ones closed after the window. */
  private async settleCaptures(p: Payment): Promise<void> {
    const open = await this.operations.openCaptures(p.id);
    if (open.length === 0) return;
    const outcome = await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId });
    for (const c of open) {
      const lookAgainAt = await this.operationRedrive.settleCapture(p, c, captureKnown(outcome, c.id));
      if (lookAgainAt) await this.payments.reconcileBy(p.id, lookAgainAt);
    }
  }

  private async settleRefunds(p: Payment): Promise<void> {
    const open = await this.operations.openRefunds(p.id);
    for (const r of open) {
      const { lookAgainAt } = await this.operationRedrive.settleRefund(p, r);
      if (lookAgainAt) await this.payments.reconcileBy(p.id, lookAgainAt);
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
    await applyAutomaticCapture(this.db, t, {
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      captureId: c.transactionId,
      captureTime: c.transactionTime,
      captureAmount: c.transactionAmount,
    });
  }

  /** Claims due payments across instances (SKIP LOCKED) and pushes their next look into the future first. */
  async runDue(limit = 20): Promise<number> {
    const lease = this.config.RECONCILE_INTERVAL_SECONDS;
    const ids = await this.payments.claimDueForReconcile(lease, limit);
    for (const id of ids) {
      await this.settle(id).catch((e: unknown) =>
        this.logger.warn({ paymentId: id, err: e instanceof Error ? e.message : String(e) }, 'reconciliation failed; will retry'),
      );
    }
    return ids.length;
  }
}
