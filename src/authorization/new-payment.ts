import { randomUUID } from 'node:crypto';

import { PayRequestDto } from '../antom/requests/pay.dto';
import { CreditPayPlan } from '../card-features/credit-pay-plan';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';

/** What a pay path knows of the card when it creates the payment: masked view only. */
export interface NewPaymentCard {
  cardId: string | null;
  bin: string | null;
  last4: string | null;
  brand: string | null;
  /** The starting `paymentResultInfo`: masked card, the gateway's token, the installment plan. */
  resultInfo: Record<string, unknown>;
}

/**
 * The RECEIVED payment row every pay path (raw card, vault token, acquirer token, hosted form) inserts.
 * `nextReconcileAt` is set from the start: if this process dies before the answer is stored, the
 * reconciliation job picks the payment up from there.
 */
export function newPaymentRow(
  merchant: MerchantIdentity,
  req: PayRequestDto,
  requestHash: string,
  card: NewPaymentCard,
  firstReconcileSeconds: number,
): Payment {
  return Object.assign(new Payment(), {
    id: randomUUID(),
    paymentId: `gwp_${randomUUID().replace(/-/g, '')}`,
    merchantId: merchant.id,
    paymentRequestId: req.paymentRequestId,
    requestHash,
    status: 'RECEIVED',
    captureMode: req.paymentFactor?.captureMode ?? 'AUTOMATIC',
    currency: req.paymentAmount.currency,
    amount: BigInt(req.paymentAmount.value),
    authorizedAmount: 0n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    cardId: card.cardId,
    cardBin: card.bin,
    cardLast4: card.last4,
    cardBrand: card.brand,
    referenceOrderId: req.order.referenceOrderId,
    orderDescription: req.order.orderDescription,
    referenceBuyerId: req.order.buyer?.referenceBuyerId ?? null,
    clientIp: (req.env ?? req.order.env)?.clientIp ?? null,
    paymentNotifyUrl: req.paymentNotifyUrl ?? merchant.notifyUrl,
    paymentRedirectUrl: req.paymentRedirectUrl,
    paymentResultInfo: card.resultInfo,
    createdAt: new Date(),
    nextReconcileAt: new Date(Date.now() + firstReconcileSeconds * 1000),
  } satisfies Partial<Payment>);
}

/** The installment plan, echoed in the result from the start. */
export function planInfo(plan: CreditPayPlan | undefined): { creditPayPlan?: CreditPayPlan } {
  return plan ? { creditPayPlan: plan } : {};
}
