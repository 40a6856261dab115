import { Static, Type } from '@sinclair/typebox';

import { Closed, Const, Id, Opt, StringEnum, Text, Time } from './kit';
import { AnswerAmount, CardInfo, Result, VaultedPaymentMethodDetail } from './models';
import { ACTION_FIELDS, CAPTURE_FIELDS, PAYMENT_FIELDS, REFUND_FIELDS } from './payment-answers';

/*
 * The notifications the gateway sends the merchant, in Antom's shapes (Go SDK request/notify: AlipayPayResultNotify,
 * AlipayCaptureResultNotify, AlipayRefundNotify, AlipayVaultingNotify, AlipayDisputeNotify), with the gateway's ids.
 * Built by src/settlement/merchant-notices.ts and src/vaulting/vaulting-views.ts from the same views as the answers.
 */

const { normalUrl: _n, redirectActionForm: _r, ...PAY_NOTICE_ACTION } = ACTION_FIELDS;

export const PaymentResultNotification = Closed('PaymentResultNotification', 'notifyPayment: the final result of a payment.', {
  notifyType: Const('PAYMENT_RESULT'),
  result: Result,
  ...PAYMENT_FIELDS,
  ...PAY_NOTICE_ACTION,
  cardInfo: Opt(CardInfo),
});
export type PaymentResultNotification = Static<typeof PaymentResultNotification>;

export const CaptureResultNotification = Closed(
  'CaptureResultNotification',
  "notifyCapture: the final result of a capture (a merchant's or the automatic one).",
  {
    notifyType: Const('CAPTURE_RESULT'),
    result: Result,
    ...CAPTURE_FIELDS,
  },
);
export type CaptureResultNotification = Static<typeof CaptureResultNotification>;

export const RefundResultNotification = Closed('RefundResultNotification', 'notifyRefund: the final result of a refund.', {
  notifyType: Const('REFUND_RESULT'),
  result: Result,
  ...REFUND_FIELDS,
  refundStatus: Opt(StringEnum(['SUCCESS', 'FAIL'])),
});
export type RefundResultNotification = Static<typeof RefundResultNotification>;

export const UpdateAmountResultNotification = Closed(
  'UpdateAmountResultNotification',
  "notifyPayment UPDATE_AMOUNT_RESULT: an amount update's final result; paymentAmount is the new total.",
  {
    notifyType: Const('UPDATE_AMOUNT_RESULT'),
    result: Result,
    paymentRequestId: Opt(Id("The merchant's id of the payment.")),
    paymentId: Id("The gateway's id of the payment (gwp_…)."),
    updateRequestId: Id("The merchant's id of the update."),
    paymentAmount: AnswerAmount,
    authExpiryTime: Opt(Time),
  },
);
export type UpdateAmountResultNotification = Static<typeof UpdateAmountResultNotification>;

export const VaultingResultNotification = Closed(
  'VaultingResultNotification',
  "notifyVaulting: a vaulting's final result (Antom's has no notifyType).",
  {
    result: Result,
    vaultingRequestId: Id("The merchant's id of the vaulting."),
    vaultingStatus: Const('SUCCESS'),
    paymentMethodDetail: VaultedPaymentMethodDetail,
    vaultingCreateTime: Opt(Time),
  },
);
export type VaultingResultNotification = Static<typeof VaultingResultNotification>;

/** A relayed time: ISO 8601 as settlement/dispute-notice.ts accepts it (seconds and the offset's colon optional, so no `date-time` format). */
const RelayedTime = Type.String({
  maxLength: 64,
  pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d',
  description: 'ISO 8601 with offset, as the acquirer sent it.',
});

/** An amount relayed as the acquirer sent it (settlement/dispute-notice.ts checked it): value a string of minor units, or the integer the parser also accepts. */
const RelayedAmount = Type.Object({
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  value: Type.Union([Type.String(), Type.Integer()], { description: 'Minor units; a string as Antom sends it, passed on as the acquirer sent it.' }),
});

/** The fields of the acquirer's AlipayDisputeNotify the gateway relays as they came. */
const DISPUTE_RELAYED = {
  disputeNotificationType: StringEnum([
    'DISPUTE_CREATED',
    'DISPUTE_JUDGED',
    'DISPUTE_CANCELLED',
    'DEFENSE_SUPPLIED',
    'DEFENSE_DUE_ALERT',
    'DISPUTE_ACCEPTED',
    'RDR_RESOLVED',
  ]),
  disputeTime: Opt(RelayedTime),
  disputeAmount: Opt(RelayedAmount),
  disputeReasonMsg: Opt(Text(256)),
  disputeJudgedTime: Opt(RelayedTime),
  disputeJudgedAmount: Opt(RelayedAmount),
  disputeJudgedResult: Opt(StringEnum(['ACCEPT_BY_CUSTOMER', 'ACCEPT_BY_MERCHANT', 'VALIDATE_SUCCESS', 'VALIDATE_FAIL'])),
  defenseDueTime: Opt(RelayedTime),
  disputeReasonCode: Opt(Text(64)),
  disputeSource: Opt(Text(64)),
  arn: Opt(Text(64)),
  disputeAcceptReason: Opt(StringEnum(['MERCHANT_ACCEPTED', 'TIMEOUT', 'MANUAL_PROCESSING_ACCEPTED'])),
  disputeAcceptTime: Opt(RelayedTime),
  disputeType: Opt(Text(64)),
  defendable: Opt(Type.Boolean()),
  autoDefendReason: Opt(Text(256)),
};
export const DisputeRelayed = Type.Object(DISPUTE_RELAYED);
export type DisputeRelayed = Static<typeof DisputeRelayed>;

export const DisputeNotification = Closed(
  'DisputeNotification',
  "notifyDispute (AlipayDisputeNotify, no notifyType as Antom's): the acquirer's notice with the gateway's ids.",
  {
    paymentRequestId: Opt(Id("The merchant's id of the payment.")),
    paymentId: Id("The gateway's id of the payment (gwp_…)."),
    disputeId: Id("The gateway's id of the dispute (gwd_…)."),
    captureId: Opt(Id("The gateway's id of the capture disputed (gwc_…).")),
    ...DISPUTE_RELAYED,
  },
);
export type DisputeNotification = Static<typeof DisputeNotification>;

/** The receiver's acknowledgement (open: a receiver may say more). */
export const NotifyAck = Type.Object(
  {
    result: Type.Object({ resultCode: Const('SUCCESS'), resultStatus: Const('S'), resultMessage: Opt(Type.String()) }),
  },
  { $id: 'NotifyAck', description: "The receiver's acknowledgement; any other answer (or status) makes the gateway retry." },
);
