import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaptureService } from '../operations/capture.service';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardChecks, checksFailed, policyDecision } from '../card-features/avs-checks';
import { AVS_VOID_CODE, AVS_VOID_MESSAGE } from '../card-features/avs-verdict';
import { paymentResultNotice } from './merchant-notices';
import { OutboundNotification, OutboxService } from '../notifications/outbox/outbox.service';
import { releaseHeldNoticeSql } from '../notifications/outbox/outbox-sql';
import { sql, withCtes } from '../platform/database/sql';

export { AVS_VOID_CODE } from '../card-features/avs-verdict';

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
    private readonly lifecycle: CaptureService,
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
   * call is in flight, see `SettlementService.policyHere`) is released now, not when its hold passes.
   */
  async apply(merchant: MerchantIdentity, p: Payment): Promise<Payment> {
    const checks = p.paymentResultInfo?.checks as CardChecks | undefined;
    if (!checksFailed(checks) || !['AUTHORIZED', 'SUCCEEDED'].includes(p.status)) return p;
    // Settlement decided already (an inquiry settled it first): its caller sends the void, not this one.
    if (p.resultCode === AVS_VOID_CODE || p.paymentResultInfo?.reviewRequired === true) return p;
    const decision = policyDecision(checks, merchant.avsPolicy);
    if (decision === 'VOID' && p.status === 'AUTHORIZED' && !p.cancelRequestedAt) return this.voidNow(merchant, p);
    if (decision !== 'ACCEPT' && !p.cancelRequestedAt) {
      await this.db.transaction(async (tx) => {
        await tx.query(`UPDATE payment SET payment_result_info = payment_result_info || '{"reviewRequired": true}'::jsonb WHERE id = $1`, [p.id]);
        await this.payments.event(tx, p.id, 'REVIEW_REQUIRED', p.status, p.status, null, { checks, policy: merchant.avsPolicy });
      });
      p = (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
    }
    await this.releaseHeld(paymentResultNotice(p));
    return p;
  }

  private async voidNow(merchant: MerchantIdentity, p: Payment): Promise<Payment> {
    await this.decideVoid(p);
    await this.lifecycle.cancel(merchant, { paymentId: p.paymentId }).catch(() => undefined); // U: reconciliation finishes the void
    await this.db.query(`UPDATE payment SET result_status = 'F', result_code = $2, result_message = $3 WHERE id = $1`, [p.id, AVS_VOID_CODE, AVS_VOID_MESSAGE]);
    const voided = (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
    const notice = paymentResultNotice(voided);
    // Normally the pay path wrote the notice held (see willVoid): release it with the F body.
    if (await this.releaseHeld(notice)) return (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
    // Otherwise its hold passed already (or there is none): rewrite it while it is undelivered, or queue
    // the F one if there is none.
    await this.outbox.enqueue(this.db.manager, notice);
    await this.db.query(`UPDATE merchant_notification SET body = $2 WHERE dedupe_key = $1 AND status = 'PENDING'`, [notice.dedupeKey, JSON.stringify(notice.payload)]);
    return (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
  }

  /**
   * The decision written before the cancel goes upstream, in one transaction: F RISK_REJECT, the cancel
   * asked for with its reconciliation due, and the held notice's body rewritten to F. A process that dies
   * during the cancel then leaves a void that reconciliation resends and a notice that can only say F.
   * (10 s: SettlementService.nextReconcile('UNKNOWN') at most; the cancel's own write sets it again.)
   */
  private async decideVoid(p: Payment): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE payment SET result_status = 'F', result_code = $2, result_message = $3, cancel_requested_at = coalesce(cancel_requested_at, now()),
                next_reconcile_at = now() + interval '10 seconds' WHERE id = $1`,
        [p.id, AVS_VOID_CODE, AVS_VOID_MESSAGE],
      );
      const notice = paymentResultNotice((await tx.findOneBy(Payment, { id: p.id }))!);
      await tx.query(`UPDATE merchant_notification SET body = $2 WHERE dedupe_key = $1 AND status = 'PENDING'`, [notice.dedupeKey, JSON.stringify(notice.payload)]);
    });
  }

  private async releaseHeld(notice: OutboundNotification): Promise<boolean> {
    const { release, event } = releaseHeldNoticeSql(notice);
    const s = withCtes([['released', release], ['ev', event]], sql('SELECT count(*)::int AS n FROM released'));
    const rows: Array<{ n: number }> = await this.db.query(s.text, s.values);
    return rows[0]?.n === 1;
  }
}
