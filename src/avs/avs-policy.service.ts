import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaptureService } from '../capture/capture.service';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardChecks, policyDecision } from './avs-checks';
import { paymentResultNotice } from '../settlement/merchant-notices';

export const AVS_VOID_CODE = 'RISK_REJECT';

/**
 * Applies the merchant's AVS/CVV policy to a fresh authorization. VOID cancels a manual-capture hold at
 * once and answers F RISK_REJECT; REVIEW (or VOID on an automatic capture, which cannot be voided) flags
 * the payment for a person to look at.
 */
@Injectable()
export class AvsPolicyService {
  constructor(private readonly db: DataSource, private readonly payments: PaymentsRepository, private readonly lifecycle: CaptureService) {}

  async apply(merchant: MerchantIdentity, p: Payment): Promise<Payment> {
    const checks = p.paymentResultInfo?.checks as CardChecks | undefined;
    if (!checks || !['AUTHORIZED', 'SUCCEEDED'].includes(p.status)) return p;
    const decision = policyDecision(checks, merchant.avsPolicy);
    if (decision === 'ACCEPT') return p;
    if (decision === 'VOID' && p.status === 'AUTHORIZED') {
      await this.lifecycle.cancel(merchant, { paymentId: p.paymentId }).catch(() => undefined); // U: reconciliation finishes the void
      await this.db.query(`UPDATE payment SET result_status = 'F', result_code = $2, result_message = $3 WHERE id = $1`, [
        p.id, AVS_VOID_CODE, 'Authorization voided: the AVS/CVV checks failed your policy (avs_policy VOID).',
      ]);
      // The PAYMENT_RESULT notice was queued as S when the authorization settled: a merchant acting on it
      // would ship a voided order. Rewrite it while it is still undelivered, so both roads say F.
      const voided = (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
      await this.db.query(`UPDATE merchant_notification SET body = $2 WHERE dedupe_key = $1 AND status = 'PENDING'`, [
        paymentResultNotice(voided).dedupeKey, JSON.stringify(paymentResultNotice(voided).payload),
      ]);
    } else {
      await this.db.transaction(async (tx) => {
        await tx.query(`UPDATE payment SET payment_result_info = payment_result_info || '{"reviewRequired": true}'::jsonb WHERE id = $1`, [p.id]);
        await this.payments.event(tx, p.id, 'REVIEW_REQUIRED', p.status, p.status, null, { checks, policy: merchant.avsPolicy });
      });
    }
    return (await this.db.getRepository(Payment).findOneBy({ id: p.id }))!;
  }
}
