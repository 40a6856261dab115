import type { InquiryPaymentRequestDto, PayRequestDto } from '../src/antom/requests/pay.dto';
import type { CancelRequestDto, CaptureRequestDto, InquiryRefundRequestDto, RefundRequestDto } from '../src/antom/requests/lifecycle.dto';

/*
 * The wire shapes, in Antom's field names. Requests are the very classes the gateway validates with
 * (src/antom/requests/*.dto.ts, by `import type`: nothing of the gateway is loaded at run time), so a field
 * the gateway would refuse as the wrong type does not compile here. Fields the gateway refuses outright
 * (F PARAM_ILLEGAL: sub-merchants, refund details, asynchronous refunds) are left out of the types.
 * Answers and notifications follow the gateway's views (src/payments/payment-view.ts, lifecycle-views.ts),
 * which follow Antom's SDK models; every answer field is optional because an answer may say little.
 */

export interface Amount { currency: string; /** Integer minor units as a string: "1999" = EUR 19.99. */ value: string }
export interface WireResult { resultCode: string; resultStatus: 'S' | 'F' | 'U'; resultMessage: string }

export type PayRequest = Omit<PayRequestDto, 'merchant' | 'productCode'> & { /** Always CASHIER_PAYMENT; filled in when absent. */ productCode?: 'CASHIER_PAYMENT' };
export type InquiryPaymentRequest = InquiryPaymentRequestDto;
export type CaptureRequest = CaptureRequestDto;
export type CancelRequest = CancelRequestDto;
export type RefundRequest = Omit<RefundRequestDto, 'refundDetails'>;
export type InquiryRefundRequest = InquiryRefundRequestDto;

/** POST /v1/cards: the card (`paymentMethodMetaData`, as in pay) stored in the gateway's vault for a token. */
export interface StoreCardRequest { paymentMethodMetaData: Record<string, unknown>; isCardOnFile?: boolean }
export interface DeleteCardRequest { cardToken: string }
export interface CollectSessionRequest { parentOrigin?: string; isCardOnFile?: boolean }

/** Antom's CardInfo: the masked card, never more. */
export interface CardInfo {
  cardNo?: string; cardBrand?: string; cardToken?: string; issuingCountry?: string; funding?: string; paymentMethodRegion?: string;
  threeDSResult?: Record<string, unknown>; avsResultRaw?: string; cvvResultRaw?: string;
}

export interface PayAnswer {
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
  paymentResultInfo?: Record<string, unknown>;
  acquirerInfo?: Record<string, unknown>;
}

export interface InquiryPaymentAnswer extends Omit<PayAnswer, 'normalUrl' | 'challengeActionForm'> {
  /** The payment's own state; `result` only says whether the inquiry worked. */
  paymentStatus?: 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED' | 'PENDING';
  paymentResultCode?: string;
  paymentResultMessage?: string;
  cardInfo?: CardInfo;
  transactions?: Array<{
    transactionType?: string; transactionStatus?: string; transactionRequestId?: string; transactionId?: string;
    transactionAmount?: Amount; transactionTime?: string; transactionResult?: WireResult;
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

export interface CancelAnswer { result: WireResult; paymentId?: string; paymentRequestId?: string; cancelTime?: string }

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
  cardToken?: string; cardBin?: string; lastFour?: string; cardBrand?: string; cardBrands?: string[]; onFile?: boolean; tokenExpiryTime?: string;
}
export interface DeleteCardAnswer { result: WireResult; cardToken?: string; deleted?: boolean }
export interface CollectSessionAnswer { result: WireResult; sessionId?: string; collectUrl?: string; expiryTime?: string }

/** notifyPayment: the pay answer's fields and the card. */
export interface PaymentResultNotification extends Omit<PayAnswer, 'normalUrl' | 'redirectActionForm' | 'challengeActionForm'> {
  notifyType: 'PAYMENT_RESULT';
  cardInfo?: CardInfo;
}
/** notifyCapture. */
export interface CaptureResultNotification extends CaptureAnswer { notifyType: 'CAPTURE_RESULT' }
/** notifyRefund. */
export interface RefundResultNotification extends RefundAnswer { notifyType: 'REFUND_RESULT'; refundStatus?: 'SUCCESS' | 'FAIL' }

export type Notification = PaymentResultNotification | CaptureResultNotification | RefundResultNotification;
export type NotifyType = Notification['notifyType'];
