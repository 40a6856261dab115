import { ACQUIRER_INFO, CARD_INFO, CHALLENGE_ACTION_FORM, PAYMENT_RESULT_INFO, REDIRECT_ACTION_FORM } from '../payments/antom-output-types';
import { JsonSchema, ref } from './json-schema';
import { moreAnswerSchemas } from './more-answer-schemas';

/*
 * The answers and notifications are built by code, not DTOs (payments/payment-view.ts, lifecycle-views.ts,
 * operations/inquiry.service.ts, pci/card-collection, acquirer-answers/merchant-notices.ts), so their schemas are
 * written here from that code. They are closed (`additionalProperties: false`) so a field added there
 * without being added here fails test/contract/openapi-traffic.e2e-spec.ts, which validates real answers
 * and notifications against the served document. The nested objects passed on from the acquirer come from
 * the same field tables the views coerce with (antom-output-types.ts), and stay open: the views keep fields
 * those tables do not name.
 */

type Kind = string | { [field: string]: Kind };

/** A field table of antom-output-types.ts as an open object schema. */
function modelSchema(shape: { [field: string]: Kind }, description: string): JsonSchema {
  const kind = (k: Kind): JsonSchema => {
    if (k === 'string') return { type: 'string' };
    if (k === 'int') return { type: 'integer' };
    if (k === 'bool') return { type: 'boolean' };
    if (k === 'ints') return { type: 'array', items: { type: 'integer' } };
    if (typeof k === 'object') return { type: 'object', properties: Object.fromEntries(Object.entries(k).map(([f, x]) => [f, kind(x)])) };
    throw new Error(`unknown field kind ${String(k)}`);
  };
  return { ...kind(shape), description };
}

const closed = (description: string, properties: Record<string, JsonSchema>, required: string[] = ['result']): JsonSchema => ({
  type: 'object', description, properties, required, additionalProperties: false,
});

const time: JsonSchema = { type: 'string', format: 'date-time', description: 'ISO 8601 with offset, e.g. 2026-01-02T03:04:05.678+00:00.' };
const id = (description: string): JsonSchema => ({ type: 'string', maxLength: 64, description });
const amount = ref('AnswerAmount');

const PAYMENT_FIELDS: Record<string, JsonSchema> = {
  paymentRequestId: id('The merchant\'s id of the payment.'),
  paymentId: id('The gateway\'s id of the payment (gwp_…).'),
  paymentAmount: amount,
  paymentCreateTime: time,
  paymentTime: time,
  actualPaymentAmount: amount,
  authExpiryTime: time,
  paymentResultInfo: ref('PaymentResultInfo'),
  acquirerInfo: ref('AcquirerInfo'),
};

const ACTION_FIELDS: Record<string, JsonSchema> = {
  normalUrl: { type: 'string', description: 'Where the buyer goes to complete the payment (PAYMENT_IN_PROCESS).' },
  redirectActionForm: ref('RedirectActionForm'),
  challengeActionForm: ref('ChallengeActionForm'),
};

const payAnswer = closed('The pay answer (an idempotent replay gives the same answer). U PAYMENT_IN_PROCESS carries the buyer\'s next step.', {
  result: ref('Result'), ...PAYMENT_FIELDS, ...ACTION_FIELDS,
});

const captureAnswer = closed('The capture answer.', {
  result: ref('Result'), captureRequestId: id('The merchant\'s id of the capture.'), captureId: id('The gateway\'s id of the capture (gwc_…).'),
  paymentId: id('The payment captured.'), captureAmount: amount, captureTime: time,
  acquirerReferenceNo: { type: 'string', maxLength: 64, description: 'The acquirer\'s reference of the capture.' },
});

const refundAnswer = closed('The refund answer.', {
  result: ref('Result'), refundRequestId: id('The merchant\'s id of the refund.'), refundId: id('The gateway\'s id of the refund.'),
  paymentId: id('The payment refunded.'), refundAmount: amount, refundTime: time,
});

const processing = { type: 'string', enum: ['SUCCESS', 'FAIL', 'PROCESSING'] };

/** The component schemas of every answer and notification. */
export function answerSchemas(): Record<string, JsonSchema> {
  return {
    Result: {
      type: 'object', required: ['resultCode', 'resultStatus', 'resultMessage'], additionalProperties: false,
      description: 'S: done. F: final failure (a new request id is a new attempt). U: unknown or in process: retry with the same request id or inquire, never treat as failed.',
      properties: {
        resultCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' },
        resultStatus: { type: 'string', enum: ['S', 'F', 'U'] },
        resultMessage: { type: 'string', maxLength: 256 },
      },
    },
    AnswerAmount: { ...ref('Amount'), type: 'object', properties: { value: { type: 'string' } }, description: 'An amount as the gateway writes it: value always a string of minor units.' },
    PaymentResultInfo: modelSchema(PAYMENT_RESULT_INFO, 'Antom\'s PaymentResultInfo, with the masked card only.'),
    AcquirerInfo: modelSchema(ACQUIRER_INFO, 'Antom\'s AcquirerInfo.'),
    CardInfo: modelSchema(CARD_INFO, 'Antom\'s CardInfo: the masked card, brand and the token to pay with again.'),
    RedirectActionForm: modelSchema(REDIRECT_ACTION_FORM, 'Antom\'s RedirectActionForm.'),
    ChallengeActionForm: modelSchema(CHALLENGE_ACTION_FORM, 'Antom\'s ChallengeActionForm.'),
    PayAnswer: payAnswer,
    InquiryPaymentAnswer: closed('The inquiry answer: `result` says the inquiry worked; the payment\'s own outcome is paymentStatus and paymentResultCode.', {
      result: ref('Result'),
      paymentStatus: { type: 'string', enum: ['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING'] },
      paymentResultCode: { type: 'string' },
      paymentResultMessage: { type: 'string' },
      ...PAYMENT_FIELDS,
      redirectActionForm: ref('RedirectActionForm'),
      cardInfo: ref('CardInfo'),
      transactions: { type: 'array', items: ref('Transaction') },
    }),
    Transaction: {
      type: 'object', additionalProperties: false, required: ['transactionType', 'transactionStatus'],
      properties: {
        transactionType: { type: 'string', enum: ['PAYMENT', 'CAPTURE', 'REFUND', 'CANCEL'] },
        transactionStatus: processing,
        transactionId: id('The gateway\'s id of the payment, capture or refund.'),
        transactionRequestId: id('The merchant\'s request id of it.'),
        transactionAmount: amount,
        transactionTime: time,
        transactionResult: ref('Result'),
      },
    },
    CaptureAnswer: captureAnswer,
    CancelAnswer: closed('The cancel answer.', { result: ref('Result'), paymentId: id('The payment cancelled.'), paymentRequestId: id('The merchant\'s id of it.'), cancelTime: time }),
    RefundAnswer: refundAnswer,
    InquiryRefundAnswer: closed('The refund inquiry answer.', {
      result: ref('Result'), refundId: id('The gateway\'s id of the refund.'), refundRequestId: id('The merchant\'s id of the refund.'),
      refundAmount: amount, refundStatus: processing, refundTime: time, refundResultCode: { type: 'string' },
    }),
    CardStoreAnswer: closed('A stored card: the token to pay with (paymentMethodId) and what may be shown of the card.', {
      result: ref('Result'), cardToken: { type: 'string' }, cardBin: { type: 'string', pattern: '^\\d{6,8}$' }, lastFour: { type: 'string', pattern: '^\\d{4}$' },
      cardBrand: { type: 'string' }, cardBrands: { type: 'array', items: { type: 'string' } }, onFile: { type: 'boolean' }, tokenExpiryTime: time,
    }),
    CardDeleteAnswer: closed('The card is shredded (its key destroyed).', { result: ref('Result'), cardToken: { type: 'string' }, deleted: { const: true } }),
    CollectSessionAnswer: closed('A hosted card page session: frame collectUrl on the parent origin.', {
      result: ref('Result'), sessionId: { type: 'string' }, collectUrl: { type: 'string', format: 'uri' }, expiryTime: time,
    }),
    ...vaultingSchemas(),
    ...notificationSchemas(),
    ...moreAnswerSchemas(),
  };
}

/** vaulting/vaulting-views.ts: every value a string, the card masked (vaultedCardDetail). */
function vaultingSchemas(): Record<string, JsonSchema> {
  const detail = ref('VaultedPaymentMethodDetail');
  const url = { type: 'string', format: 'uri', description: 'The vaulting page, while the session is open.' };
  const status = { type: 'string', enum: ['SUCCESS', 'FAIL', 'PROCESSING'] };
  return {
    VaultedPaymentMethodDetail: {
      type: 'object', additionalProperties: false, required: ['paymentMethodDetailType', 'card'],
      properties: {
        paymentMethodDetailType: { const: 'CARD' }, paymentMethodType: { const: 'CARD' },
        card: {
          type: 'object', additionalProperties: false, required: ['cardToken'],
          properties: { cardToken: { type: 'string' }, brand: { type: 'string' }, bin: { type: 'string' }, lastFour: { type: 'string' }, maskedCardNo: { type: 'string' } },
        },
      },
    },
    VaultingSessionAnswer: closed('createVaultingSession: the session and the page the buyer enters the card on.', {
      result: ref('Result'), vaultingSessionData: { type: 'string' }, vaultingSessionId: { type: 'string' }, vaultingSessionExpiryTime: time, normalUrl: url,
    }),
    VaultPaymentMethodAnswer: closed('vaultPaymentMethod: S with the card, U VERIFICATION_IN_PROCESS while the buyer has the page, F once it expired.', {
      result: ref('Result'), vaultingRequestId: id('The merchant\'s id of the vaulting.'), paymentMethodDetail: detail, normalUrl: url,
    }),
    InquireVaultingAnswer: closed('inquireVaulting: `result` says the inquiry worked; vaultingStatus is the vaulting\'s own state.', {
      result: ref('Result'), vaultingRequestId: id('The merchant\'s id of the vaulting.'), vaultingStatus: status, paymentMethodDetail: detail, normalUrl: url,
    }),
    VaultingResultNotification: closed('notifyVaulting: a vaulting\'s final result (Antom\'s has no notifyType).', {
      result: ref('Result'), vaultingRequestId: id('The merchant\'s id of the vaulting.'), vaultingStatus: { const: 'SUCCESS' }, paymentMethodDetail: detail, vaultingCreateTime: time,
    }, ['result', 'vaultingRequestId', 'vaultingStatus', 'paymentMethodDetail']),
  };
}

/** The notifications' bodies, as acquirer-answers/merchant-notices.ts builds them from the same answers. */
function notificationSchemas(): Record<string, JsonSchema> {
  const notice = (type: string, description: string, answer: JsonSchema, change: (p: Record<string, JsonSchema>) => void): JsonSchema => {
    const properties: Record<string, JsonSchema> = { notifyType: { const: type }, ...(answer.properties as Record<string, JsonSchema>) };
    change(properties);
    return { ...answer, description, properties, required: ['notifyType', 'result'] };
  };
  return {
    PaymentResultNotification: notice('PAYMENT_RESULT', 'notifyPayment: the final result of a payment.', payAnswer, (p) => {
      delete p.normalUrl;
      delete p.redirectActionForm;
      p.cardInfo = ref('CardInfo');
    }),
    CaptureResultNotification: notice('CAPTURE_RESULT', 'notifyCapture: the final result of a capture (a merchant\'s or the automatic one).', captureAnswer, () => undefined),
    RefundResultNotification: notice('REFUND_RESULT', 'notifyRefund: the final result of a refund.', refundAnswer, (p) => {
      p.refundStatus = { type: 'string', enum: ['SUCCESS', 'FAIL'] };
    }),
    NotifyAck: {
      type: 'object', required: ['result'], description: 'The receiver\'s acknowledgement; any other answer (or status) makes the gateway retry.',
      properties: { result: { type: 'object', required: ['resultCode', 'resultStatus'], properties: { resultCode: { const: 'SUCCESS' }, resultStatus: { const: 'S' }, resultMessage: { type: 'string' } } } },
    },
  };
}
