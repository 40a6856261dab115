import { AvsPolicy, CardChecks, policyDecision } from '../card-features/avs-checks';
import { Payment } from '../payments/payment.entity';
import { PaymentStatus } from '../payments/payment-status';

export const AVS_VOID_CODE = 'RISK_REJECT';
export const AVS_VOID_MESSAGE = 'Authorization voided: the AVS/CVV checks failed your policy (avs_policy VOID).';

/** What the merchant's policy does to an authorization settled outside its pay call (notification, inquiry). */
export interface SettlementVerdict {
  decision: 'ACCEPT' | 'REVIEW' | 'VOID';
  /** Merged into the settlement's own changes: the decision is written in the same statement. */
  changes: Partial<Payment>;
  /** The timeline row recording the decision. */
  event: { type: string; detail: Record<string, unknown> } | null;
}

/**
 * The policy applied where the authorization is settled, so that what the merchant is told is decided
 * together with the settlement: VOID on a manual-capture hold answers F RISK_REJECT and asks for the cancel
 * at once (the caller sends it, reconciliation resends it); REVIEW — or VOID on an automatic capture, which
 * cannot be voided — flags the payment, so its notice already carries `reviewRequired`.
 */
export function settlementVerdict(
  policy: AvsPolicy,
  to: PaymentStatus,
  changes: Partial<Payment>,
  cancelRequestedAt: Date | null,
): SettlementVerdict {
  const info = changes.paymentResultInfo ?? {};
  const checks = info.checks as CardChecks | undefined;
  const decision = checks ? policyDecision(checks, policy) : 'ACCEPT';
  if (decision === 'ACCEPT') return { decision, changes: {}, event: null };
  if (decision === 'VOID' && to === 'AUTHORIZED') {
    return {
      decision,
      changes: { resultStatus: 'F', resultCode: AVS_VOID_CODE, resultMessage: AVS_VOID_MESSAGE, cancelRequestedAt: cancelRequestedAt ?? new Date() },
      event: { type: 'CANCEL_REQUESTED', detail: { avsPolicy: policy, checks } },
    };
  }
  return {
    decision: 'REVIEW',
    changes: { paymentResultInfo: { ...info, reviewRequired: true } },
    event: { type: 'REVIEW_REQUIRED', detail: { checks, policy } },
  };
}
