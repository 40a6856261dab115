import { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { Closed, Id, Opt, StringEnum, Time } from './kit';
import {
  AcquirerInfo,
  AnswerAmount,
  CardInfo,
  ChallengeActionForm,
  PaymentResultInfo,
  ProcessingStatus,
  RedirectActionForm,
  Result,
  Transaction,
} from './models';

/*
 * The payment APIs' answers (Go SDK responsePay.AlipayPayResponse, AlipayPayQueryResponse, AlipayCaptureResponse,
 * AlipayPayCancelResponse, AlipayRefundResponse, AlipayInquiryRefundResponse, AlipayPayUpdateAmountResponse):
 * the subset of each model's fields the gateway fills, with the model's JSON types. Built by
 * src/payments/payment-view.ts and lifecycle-views.ts.
 */

/** What the pay answer and the inquiry both say of the payment itself. */
export const PAYMENT_FIELDS = {
  paymentRequestId: Opt(Id("The merchant's id of the payment.")),
  paymentId: Opt(Id("The gateway's id of the payment (gwp_…).")),
  paymentAmount: Opt(AnswerAmount),
  paymentCreateTime: Opt(Time),
  paymentTime: Opt(Time),
  actualPaymentAmount: Opt(AnswerAmount),
  authExpiryTime: Opt(Time),
  paymentResultInfo: Opt(PaymentResultInfo),
  acquirerInfo: Opt(AcquirerInfo),
};

/** What a payment waiting for the buyer tells the merchant to do. */
export const ACTION_FIELDS = {
  normalUrl: Opt(Type.String({ description: 'Where the buyer goes to complete the payment (PAYMENT_IN_PROCESS).' })),
  redirectActionForm: Opt(RedirectActionForm),
  challengeActionForm: Opt(ChallengeActionForm),
};

export const PayAnswer = Closed(
  'PayAnswer',
  "The pay answer (an idempotent replay gives the same answer). U PAYMENT_IN_PROCESS carries the buyer's next step.",
  {
    result: Result,
    ...PAYMENT_FIELDS,
    ...ACTION_FIELDS,
  },
);
export type PayAnswer = Static<typeof PayAnswer>;

export const InquiryPaymentAnswer = Closed(
  'InquiryPaymentAnswer',
  "The inquiry answer: `result` says the inquiry worked; the payment's own outcome is paymentStatus and paymentResultCode.",
  {
    result: Result,
    paymentStatus: Opt(StringEnum(['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING'])),
    paymentResultCode: Opt(Type.String()),
    paymentResultMessage: Opt(Type.String()),
    ...PAYMENT_FIELDS,
    redirectActionForm: Opt(RedirectActionForm),
    cardInfo: Opt(CardInfo),
    transactions: Opt(Type.Array(Transaction)),
  },
);
export type InquiryPaymentAnswer = Static<typeof InquiryPaymentAnswer>;
export type TransactionView = Static<typeof Transaction>;

export const CAPTURE_FIELDS = {
  captureRequestId: Opt(Id("The merchant's id of the capture.")),
  captureId: Opt(Id("The gateway's id of the capture (gwc_…).")),
  paymentId: Opt(Id('The payment captured.')),
  captureAmount: Opt(AnswerAmount),
  captureTime: Opt(Time),
  acquirerReferenceNo: Opt(Type.String({ maxLength: 64, description: "The acquirer's reference of the capture." })),
};

export const CaptureAnswer = Closed('CaptureAnswer', 'The capture answer.', { result: Result, ...CAPTURE_FIELDS });
export type CaptureAnswer = Static<typeof CaptureAnswer>;

export const CancelAnswer = Closed('CancelAnswer', 'The cancel answer.', {
  result: Result,
  paymentId: Opt(Id('The payment cancelled.')),
  paymentRequestId: Opt(Id("The merchant's id of it.")),
  cancelTime: Opt(Time),
});
export type CancelAnswer = Static<typeof CancelAnswer>;

export const REFUND_FIELDS = {
  refundRequestId: Opt(Id("The merchant's id of the refund.")),
  refundId: Opt(Id("The gateway's id of the refund.")),
  paymentId: Opt(Id('The payment refunded.')),
  refundAmount: Opt(AnswerAmount),
  refundTime: Opt(Time),
};

export const RefundAnswer = Closed('RefundAnswer', 'The refund answer.', { result: Result, ...REFUND_FIELDS });
export type RefundAnswer = Static<typeof RefundAnswer>;

export const InquiryRefundAnswer = Closed('InquiryRefundAnswer', 'The refund inquiry answer.', {
  result: Result,
  refundId: Opt(Id("The gateway's id of the refund.")),
  refundRequestId: Opt(Id("The merchant's id of the refund.")),
  refundAmount: Opt(AnswerAmount),
  refundStatus: Opt(ProcessingStatus),
  refundTime: Opt(Time),
  refundResultCode: Opt(Type.String()),
});
export type InquiryRefundAnswer = Static<typeof InquiryRefundAnswer>;

export const UpdateAmountAnswer = Closed(
  'UpdateAmountAnswer',
  'The updateAmount answer (AlipayPayUpdateAmountResponse): U while the acquirer decides, final in notifyPayment UPDATE_AMOUNT_RESULT. A replay answers the same.',
  {
    result: Result,
    updateRequestId: Opt(Id("The merchant's id of the update.")),
    paymentId: Opt(Id('The payment updated.')),
    amount: Opt(AnswerAmount),
  },
);
export type UpdateAmountAnswer = Static<typeof UpdateAmountAnswer>;
