import type { AcquirerInfo, PaymentResultInfo } from './answer-models';
import type {
  CancelRequestShape as CancelRequestDto,
  CaptureRequestShape as CaptureRequestDto,
  InquiryPaymentRequestShape as InquiryPaymentRequestDto,
  InquiryRefundRequestShape as InquiryRefundRequestDto,
  PayRequestShape as PayRequestDto,
  RefundRequestShape as RefundRequestDto,
} from './request-types';

export type { AcquirerInfo, CreditPayPlan, PaymentResultInfo, ThreeDSResult } from './answer-models';

/*
 * The wire shapes, in Antom's field names. Requests are the shapes of the classes the gateway validates with
 * (src/antom/requests/*.dto.ts, copied in request-types.ts and held to them by test/client/request-types-match.ts),
 * so a field the gateway would refuse as the wrong type does not compile here. Fields the gateway refuses outright
 * (F PARAM_ILLEGAL: sub-merchants, refund details, asynchronous refunds) are left out of the types.
 * Answers and notifications follow the gateway's views (src/payments/payment-view.ts, lifecycle-views.ts),
 * which follow Antom's SDK models; every answer field is optional because an answer may say little.
 */

export interface Amount {
  currency: string;
  /** Integer minor units as a string: "1999" = EUR 19.99. */ value: string;
}
export interface WireResult {
  resultCode: string;
  resultStatus: 'S' | 'F' | 'U';
  resultMessage: string;
}

export type PayRequest = Omit<PayRequestDto, 'merchant' | 'productCode'> & {
  /** Always CASHIER_PAYMENT; filled in when absent. */ productCode?: 'CASHIER_PAYMENT';
};
export type InquiryPaymentRequest = InquiryPaymentRequestDto;
export type CaptureRequest = CaptureRequestDto;
export type CancelRequest = CancelRequestDto;
export type RefundRequest = Omit<RefundRequestDto, 'refundDetails'>;
export type InquiryRefundRequest = InquiryRefundRequestDto;

/** POST /v1/cards: the card (`paymentMethodMetaData`, as in pay) stored in the gateway's vault for a token. */
export interface StoreCardRequest {
  paymentMethodMetaData: Record<string, unknown>;
  isCardOnFile?: boolean;
}
export interface DeleteCardRequest {
  cardToken: string;
}
export interface CollectSessionRequest {
  parentOrigin?: string;
  isCardOnFile?: boolean;
}

/** Antom's CardInfo: the masked card, never more. */
export interface CardInfo {
  cardNo?: string;
  cardBrand?: string;
  cardToken?: string;
  issuingCountry?: string;
  funding?: string;
  paymentMethodRegion?: string;
  threeDSResult?: Record<string, unknown>;
  avsResultRaw?: string;
  cvvResultRaw?: string;
}

/** The fields of a pay answer, whatever its result (PayAnswer narrows them by `result.resultStatus`). */
export interface PayAnswerFields {
  result: WireResult;
  paymentRequestId?: string;
  paymentId?: string;
  paymentAmount?: Amount;
  actualPaymentAmount?: Amount;
  paymentCreateTime?: string;
  paymentTime?: string;
  authExpiryTime?: string;
  /** Where to send the buyer when the answer is U PAYMENT_IN_PROCESS (3DS, hosted card page). */
  normalUrl?: string;
  redirectActionForm?: { method?: string; parameters?: string; redirectUrl?: string; actionFormType?: string };
  challengeActionForm?: Record<string, unknown>;
  /** What the issuer and scheme said (AVS, CVV, 3DS, refusal codes), the masked card: Antom's PaymentResultInfo. */
  paymentResultInfo?: PaymentResultInfo;
  /** The acquirer's ids and raw result: Antom's AcquirerInfo. */
  acquirerInfo?: AcquirerInfo;
}

/** S: authorized (and captured, for AUTOMATIC): the gateway's `paymentId` is always there. */
export interface PaySucceededAnswer extends PayAnswerFields {
  result: WireResult & { resultStatus: 'S' };
  paymentId: string;
  paymentRequestId: string;
}
/** F: declined or refused, final (`paymentResultInfo.refusalCodeRaw`, `merchantAdviceCode` say more on a decline). */
export interface PayFailedAnswer extends PayAnswerFields {
  result: WireResult & { resultStatus: 'F' };
}
/** U: not known yet: PAYMENT_IN_PROCESS with `normalUrl` (3DS, hosted page), or the acquirer unsure. */
export interface PayUnknownAnswer extends PayAnswerFields {
  result: WireResult & { resultStatus: 'U' };
}
/** A pay answer, narrowed by `result.resultStatus` (and so by the client's `Result` status): `paymentId` is a string on S. */
export type PayAnswer = PaySucceededAnswer | PayFailedAnswer | PayUnknownAnswer;

export interface InquiryPaymentAnswer extends Omit<PayAnswerFields, 'normalUrl' | 'challengeActionForm'> {
  /** The payment's own state; `result` only says whether the inquiry worked. */
  paymentStatus?: 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED' | 'PENDING';
  paymentResultCode?: string;
  paymentResultMessage?: string;
  cardInfo?: CardInfo;
  transactions?: Array<{
    transactionType?: string;
    transactionStatus?: string;
    transactionRequestId?: string;
    transactionId?: string;
    transactionAmount?: Amount;
    transactionTime?: string;
    transactionResult?: WireResult;
  }>;
}

export interface CaptureAnswer {
  result: WireResult;
  captureRequestId?: string;
  captureId?: string;
  paymentId?: string;
  captureAmount?: Amount;
  captureTime?: string;
  acquirerReferenceNo?: string;
}

export interface CancelAnswer {
  result: WireResult;
  paymentId?: string;
  paymentRequestId?: string;
  cancelTime?: string;
}

export interface RefundAnswer {
  result: WireResult;
  refundRequestId?: string;
  refundId?: string;
  paymentId?: string;
  refundAmount?: Amount;
  refundTime?: string;
}

export interface InquiryRefundAnswer {
  result: WireResult;
  refundId?: string;
  refundRequestId?: string;
  refundAmount?: Amount;
  refundStatus?: 'SUCCESS' | 'FAIL' | 'PROCESSING';
  refundTime?: string;
  refundResultCode?: string;
}

export interface StoreCardAnswer {
  result: WireResult;
  cardToken?: string;
  cardBin?: string;
  lastFour?: string;
  cardBrand?: string;
  cardBrands?: string[];
  onFile?: boolean;
  tokenExpiryTime?: string;
}
export interface DeleteCardAnswer {
  result: WireResult;
  cardToken?: string;
  deleted?: boolean;
}
export interface CollectSessionAnswer {
  result: WireResult;
  sessionId?: string;
  collectUrl?: string;
  expiryTime?: string;
}

/*
 * Notifications, as Antom sends them and the gateway relays them (src/acquirer-answers/merchant-notices.ts,
 * src/vaulting/vaulting-views.ts). notifyPayment, notifyCapture and notifyRefund carry a `notifyType`;
 * notifyVaulting and notifyDispute carry none (as Antom's), so those two declare `notifyType?: undefined`
 * and the union still narrows on it: `n.notifyType === 'PAYMENT_RESULT'` is a payment's result, and
 * `n.notifyType === undefined` is a vaulting (`n.vaultingRequestId !== undefined`) or a dispute
 * (`n.disputeId !== undefined`). The handler also names the kind (`NotificationMeta.kind`).
 */

/** notifyPayment, notifyType PAYMENT_RESULT: the pay answer's fields and the card. */
export interface PaymentResultNotification extends Omit<PayAnswerFields, 'normalUrl' | 'redirectActionForm' | 'challengeActionForm'> {
  notifyType: 'PAYMENT_RESULT';
  cardInfo?: CardInfo;
}
/**
 * notifyPayment, notifyType PAYMENT_PENDING (Antom, for some payment methods; the gateway does not send it):
 * the buyer has paid and the result is still to come. Its `result` S is NOT the payment's success.
 */
export interface PaymentPendingNotification extends Omit<PaymentResultNotification, 'notifyType'> {
  notifyType: 'PAYMENT_PENDING';
}
/** notifyCapture. */
export interface CaptureResultNotification extends CaptureAnswer {
  notifyType: 'CAPTURE_RESULT';
}
/** notifyPayment, notifyType UPDATE_AMOUNT_RESULT: an updateAmount's final result; `paymentAmount` is the new total. */
export interface UpdateAmountResultNotification {
  notifyType: 'UPDATE_AMOUNT_RESULT';
  result: WireResult;
  paymentRequestId?: string;
  paymentId?: string;
  updateRequestId?: string;
  paymentAmount?: Amount;
  authExpiryTime?: string;
}
/** notifyRefund. */
export interface RefundResultNotification extends RefundAnswer {
  notifyType: 'REFUND_RESULT';
  refundStatus?: 'SUCCESS' | 'FAIL';
}

/** A vaulted card as the vaulting APIs and notifyVaulting show it: masked, with the token to pay with. */
export interface VaultedPaymentMethodDetail {
  paymentMethodDetailType?: string;
  paymentMethodType?: string;
  card?: { cardToken?: string; brand?: string; bin?: string; lastFour?: string; maskedCardNo?: string };
}
/** notifyVaulting: a vaulting's final result. Antom's has no notifyType. */
export interface VaultingResultNotification {
  notifyType?: undefined;
  disputeId?: undefined;
  result: WireResult;
  vaultingRequestId: string;
  vaultingStatus?: 'SUCCESS' | 'FAIL' | 'PROCESSING';
  paymentMethodDetail?: VaultedPaymentMethodDetail;
  vaultingCreateTime?: string;
}
/** notifyDispute (Antom's AlipayDisputeNotify, relayed with the gateway's ids): no notifyType, and no `result`. */
export interface DisputeNotification {
  notifyType?: undefined;
  vaultingRequestId?: undefined;
  disputeId: string;
  disputeNotificationType:
    'DISPUTE_CREATED' | 'DISPUTE_JUDGED' | 'DISPUTE_CANCELLED' | 'DEFENSE_SUPPLIED' | 'DEFENSE_DUE_ALERT' | 'DISPUTE_ACCEPTED' | 'RDR_RESOLVED';
  paymentRequestId?: string;
  paymentId?: string;
  captureId?: string;
  disputeTime?: string;
  /** As the acquirer sent it: minor units as a string, or a JSON integer. */
  disputeAmount?: { currency: string; value: string | number };
  disputeReasonMsg?: string;
  disputeJudgedTime?: string;
  disputeJudgedAmount?: { currency: string; value: string | number };
  disputeJudgedResult?: 'ACCEPT_BY_CUSTOMER' | 'ACCEPT_BY_MERCHANT' | 'VALIDATE_SUCCESS' | 'VALIDATE_FAIL';
  defenseDueTime?: string;
  disputeReasonCode?: string;
  disputeSource?: string;
  arn?: string;
  disputeAcceptReason?: 'MERCHANT_ACCEPTED' | 'TIMEOUT' | 'MANUAL_PROCESSING_ACCEPTED';
  disputeAcceptTime?: string;
  disputeType?: string;
  defendable?: boolean;
  autoDefendReason?: string;
}

export type Notification =
  | PaymentResultNotification
  | PaymentPendingNotification
  | CaptureResultNotification
  | UpdateAmountResultNotification
  | RefundResultNotification
  | VaultingResultNotification
  | DisputeNotification;
/** The notifyType values (notifyVaulting and notifyDispute have none). */
export type NotifyType = NonNullable<Notification['notifyType']>;
/** Every kind of notification the handler accepts: the notifyTypes, and VAULTING_RESULT and DISPUTE for the two without. */
export type NotificationKind = NotifyType | 'VAULTING_RESULT' | 'DISPUTE';
