/*
 * antom-client: a merchant's TypeScript client for this gateway's API, which is Antom's
 * (the same code works against Antom: base URL, client id and keys are settings). docs/client-and-kit.md.
 */
export { AntomClient } from './antom-client';
export type { AntomClientOptions } from './antom-client';
export type { Result, Succeeded, Failed, Unknown, UnknownCause, TransportRefusalCode, AnswerOn } from './result';
export { TRANSPORT_REFUSAL_CODES, isTransportRefusal } from './result';
export { NotificationHandler, NOTIFY_ACK_BODY, notificationKind } from './notifications';
export type {
  NotificationHandlerOptions,
  NotificationMeta,
  NotificationReply,
  FastifyLike,
  FastifyRequestLike,
  FastifyReplyLike,
} from './notifications';
export { signatureHeader, verifySignatureHeader, contentToSign, privateKeyOf, publicKeyOf } from './signing';
export type { SignedParts } from './signing';
export type {
  Amount,
  WireResult,
  PayRequest,
  InquiryPaymentRequest,
  CaptureRequest,
  CancelRequest,
  RefundRequest,
  InquiryRefundRequest,
  StoreCardRequest,
  DeleteCardRequest,
  CollectSessionRequest,
  CardInfo,
  PayAnswer,
  PayAnswerFields,
  PaySucceededAnswer,
  PayFailedAnswer,
  PayUnknownAnswer,
  PaymentResultInfo,
  AcquirerInfo,
  ThreeDSResult,
  CreditPayPlan,
  InquiryPaymentAnswer,
  CaptureAnswer,
  CancelAnswer,
  RefundAnswer,
  InquiryRefundAnswer,
  StoreCardAnswer,
  DeleteCardAnswer,
  CollectSessionAnswer,
  PaymentResultNotification,
  PaymentPendingNotification,
  CaptureResultNotification,
  UpdateAmountResultNotification,
  RefundResultNotification,
  VaultingResultNotification,
  VaultedPaymentMethodDetail,
  DisputeNotification,
  Notification,
  NotifyType,
  NotificationKind,
} from './wire-types';
