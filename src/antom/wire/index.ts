import { Static, TSchema } from '@sinclair/typebox';

import { CardDeleteAnswer, CardStoreAnswer, CollectSessionAnswer, ConsultAnswer, GetCardInfoAnswer, InquireInstallmentAnswer } from './card-answers';
import { AcceptDisputeAnswer, DownloadDisputeEvidenceAnswer, SupplyDefenseDocumentAnswer } from './dispute-answers';
import {
  CaptureResultNotification,
  DisputeNotification,
  NotifyAck,
  PaymentResultNotification,
  RefundResultNotification,
  UpdateAmountResultNotification,
  VaultingResultNotification,
} from './notifications';
import {
  CancelAnswer,
  CaptureAnswer,
  InquiryPaymentAnswer,
  InquiryRefundAnswer,
  PayAnswer,
  RefundAnswer,
  UpdateAmountAnswer,
} from './payment-answers';
import { InquireVaultingAnswer, VaultingSessionAnswer, VaultPaymentMethodAnswer } from './vaulting-answers';

export * from './card-answers';
export * from './dispute-answers';
export * from './notifications';
export * from './payment-answers';
export * from './vaulting-answers';
export { AnswerAmount, Result } from './models';

/**
 * The answer of every merchant API, by its path after the prefix (as the controllers register it). The
 * controllers return `AnswerOf<path>`, the OpenAPI document serves `MERCHANT_ANSWERS[path]`: one entry, one truth.
 */
export const MERCHANT_ANSWERS = {
  'payments/pay': PayAnswer,
  'payments/inquiryPayment': InquiryPaymentAnswer,
  'payments/capture': CaptureAnswer,
  'payments/cancel': CancelAnswer,
  'payments/refund': RefundAnswer,
  'payments/inquiryRefund': InquiryRefundAnswer,
  'payments/updateAmount': UpdateAmountAnswer,
  'payments/getCardInfo': GetCardInfoAnswer,
  'payments/inquireInstallment': InquireInstallmentAnswer,
  'payments/consult': ConsultAnswer,
  'payments/acceptDispute': AcceptDisputeAnswer,
  'payments/supplyDefenseDocument': SupplyDefenseDocumentAnswer,
  'payments/downloadDisputeEvidence': DownloadDisputeEvidenceAnswer,
  cards: CardStoreAnswer,
  'cards/delete': CardDeleteAnswer,
  'cards/collectSession': CollectSessionAnswer,
  'vaults/createVaultingSession': VaultingSessionAnswer,
  'vaults/vaultPaymentMethod': VaultPaymentMethodAnswer,
  'vaults/inquireVaulting': InquireVaultingAnswer,
} satisfies Record<string, TSchema>;

export type MerchantApi = keyof typeof MERCHANT_ANSWERS;
/** The answer type of one merchant API (what its controller method returns). */
export type AnswerOf<A extends MerchantApi> = Static<(typeof MERCHANT_ANSWERS)[A]>;

/** The notifications the gateway sends, by Antom's names (the OpenAPI document's webhooks). */
export const MERCHANT_NOTIFICATIONS = {
  notifyPayment: PaymentResultNotification,
  notifyCapture: CaptureResultNotification,
  notifyVaulting: VaultingResultNotification,
  notifyPaymentUpdateAmount: UpdateAmountResultNotification,
  notifyDispute: DisputeNotification,
  notifyRefund: RefundResultNotification,
} satisfies Record<string, TSchema>;

/** Every notification body the outbox sends. */
export type MerchantNotification =
  | PaymentResultNotification
  | CaptureResultNotification
  | RefundResultNotification
  | UpdateAmountResultNotification
  | DisputeNotification
  | VaultingResultNotification;

export { NotifyAck as NotifyAckSchema };
