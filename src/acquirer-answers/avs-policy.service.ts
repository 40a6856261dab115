import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CardChecks, checksFailed, policyDecision } from '../card-features/avs-checks';
import { MerchantIdentity } from '../merchants/merchants.service';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { AVS_VOID_CODE, AVS_VOID_MESSAGE } from './avs-verdict';
import { paymentResultNotice } from './merchant-notices';
import { ReconciliationService } from './reconciliation.service';

export { AVS_VOID_CODE } from './avs-verdict';

/**
 * Applies the merchant's AVS/CVV policy to a fresh authorization, in its pay call. VOID cancels a
 * manual-capture hold at once and answers F RISK_REJECT; REVIEW (or VOID on an automatic capture, which
 * cannot be voided) flags the payment for a person to look at. An authorization settled later (after a
 * PENDING_ACTION or UNKNOWN answer) gets the same policy from settlement (`settlementVerdict`).
 */
@Injectable()
export class AvsPolicyService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly reconciliation: ReconciliationService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Whether `apply` will void this fresh authorization: then its S notice must never be queued (the
   * pay path asks before it writes the settlement), or a merchant acting on it would ship a voided order.
   */
  willVoid(merchant: MerchantIdentity, p: Payment): boolean {
    const checks = p.paymentResultInfo?.checks as CardChecks | undefined;
    return !!checks && p.status === 'AUTHORIZED' && policyDecision(checks, merchant.avsPolicy) === 'VOID';
  }

  /**
   * Passing checks cost nothing here (the hot path's statement count). Failed ones: whatever this call
   * decides, the notice a notification may have written held for it (settlement holds it while the pay
   * call is in flight, see `AcquirerAnswersService.policyHere`) is released now, not when its hold passes.
   */
  async apply(merchant: MerchantIdentity, p: Payment): Promise<Payment> {
    const checks = p.paymentResultInfo?.checks as CardChecks | undefined;
    if (!checksFailed(checks) || !['AUTHORIZED', 'SUCCEEDED'].includes(p.status)) return p;
    // Settlement decided already (an inquiry settled it first): its caller sends the void, not this one.
    if (p.resultCode === AVS_VOID_CODE || p.paymentResultInfo?.reviewRequired === true) return p;
    const decision = policyDecision(checks, merchant.avsPolicy);
    if (decision === 'VOID' && p.status === 'AUTHORIZED' && !p.cancelRequestedAt) return this.voidNow(p);
    if (decision !== 'ACCEPT' && !p.cancelRequestedAt) {
      await this.db.transaction((tx) => this.payments.flagForReview(tx, p, { checks, policy: merchant.avsPolicy }));
      p = await this.payments.reload(p.id);
    }
    await this.outbox.releaseHeld(this.db, paymentResultNotice(p));
    return p;
  }

  private async voidNow(p: Payment): Promise<Payment> {
    await this.decideVoid(p);
    // The cancel, as reconciliation sends it; no answer (or an error): reconciliation finishes the void.
    await this.reconciliation.finishPolicyVoid(p.id).catch(() => undefined);
    await this.payments.answerFailed(this.db, p.id, AVS_VOID_CODE, AVS_VOID_MESSAGE);
    const voided = await this.payments.reload(p.id);
    const notice = paymentResultNotice(voided);
    // Normally the pay path wrote the notice held (see willVoid): release it with the F body.
    if (await this.outbox.releaseHeld(this.db, notice)) return await this.payments.reload(p.id);
    // Otherwise its hold passed already (or there is none): rewrite it while it is undelivered, or queue
    // the F one if there is none.
    await this.outbox.enqueue(this.db.manager, notice);
    await this.outbox.rewritePending(this.db, notice);
    return await this.payments.reload(p.id);
  }

  /**
   * The decision written before the cancel goes upstream, in one transaction: F RISK_REJECT, the cancel
   * asked for with its reconciliation due, and the held notice's body rewritten to F. A process that dies
   * during the cancel then leaves a void that reconciliation resends and a notice that can only say F.
   * (10 s: AcquirerAnswersService.nextReconcile('UNKNOWN') at most; the cancel's own write sets it again.)
   */
  private async decideVoid(p: Payment): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.payments.decideVoid(tx, p, AVS_VOID_CODE, AVS_VOID_MESSAGE, 10);
      await this.outbox.rewritePending(tx, paymentResultNotice(await this.payments.reload(p.id, tx)));
    });
  }
}
