import { JsonSchema, ref } from './json-schema';

/*
 * The answers of updateAmount, getCardInfo, inquireInstallment, consult and the dispute APIs, and the notifications
 * notifyDispute and notifyPayment UPDATE_AMOUNT_RESULT, written from the code that builds them
 * (payments/lifecycle-views.ts updateAmountResponse, card-info/card-info.service.ts, card-info/consult.service.ts,
 * operations/disputes.service.ts, acquirer-answers/merchant-notices.ts) with the field types of Antom's SDK models
 * (AlipayPayUpdateAmountResponse, AlipayGetCardInfoResponse, AlipayInquireInstallmentResponse, AlipayPayConsultResponse,
 * AlipayAcceptDisputeResponse, AlipaySupplyDefenseDocumentResponse, AlipayDownloadDisputeEvidenceResponse,
 * AlipayDisputeNotify). Closed like the others (answer-schemas.ts says why).
 */

const closed = (description: string, properties: Record<string, JsonSchema>, required: string[] = ['result']): JsonSchema => ({
  type: 'object', description, properties, required, additionalProperties: false,
});
const time: JsonSchema = { type: 'string', format: 'date-time', description: 'ISO 8601 with offset, e.g. 2026-01-02T03:04:05.678+00:00.' };
const id = (description: string): JsonSchema => ({ type: 'string', maxLength: 64, description });
const text = (max: number): JsonSchema => ({ type: 'string', maxLength: max });
/** A relayed time: ISO 8601 as acquirer-answers/dispute-notice.ts accepts it (seconds and the offset's colon optional, so no `date-time` format). */
const relayedTime: JsonSchema = { type: 'string', maxLength: 64, pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d', description: 'ISO 8601 with offset, as the acquirer sent it.' };

/** Antom's Plan, as the gateway fills it: one per installment count, its scope (region, currency, brands) in extendInfo. */
const plan: JsonSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    installmentNum: { type: 'string', pattern: '^\\d+$', description: 'The number of installments (a string, as the SDK types it).' },
    interval: { type: 'string', enum: ['MONTH'] },
    enabled: { type: 'boolean' },
    extendInfo: { type: 'string', description: 'JSON text: {"paymentMethodRegion", "currency", "cardBrands"} the plan applies to.' },
  },
};

const disputeResolution = (what: string): JsonSchema => closed(`${what}: the dispute and when the acquirer resolved it (a repeat answers the stored answer).`, {
  result: ref('Result'), disputeId: id('The gateway\'s id of the dispute (gwd_…).'), disputeResolutionTime: time,
});

/**
 * notifyDispute relays the acquirer's AlipayDisputeNotify fields as they came (acquirer-answers/dispute-notice.ts
 * checked them): an amount's value is a string of minor units, or the JSON integer the parser also accepts.
 */
const relayedAmount: JsonSchema = {
  type: 'object', required: ['currency', 'value'],
  properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, value: { type: ['string', 'integer'], description: 'Minor units; a string as Antom sends it, passed on as the acquirer sent it.' } },
};

export function moreAnswerSchemas(): Record<string, JsonSchema> {
  return {
    UpdateAmountAnswer: closed('The updateAmount answer (AlipayPayUpdateAmountResponse): U while the acquirer decides, final in notifyPayment UPDATE_AMOUNT_RESULT. A replay answers the same.', {
      result: ref('Result'), updateRequestId: id('The merchant\'s id of the update.'), paymentId: id('The payment updated.'), amount: ref('AnswerAmount'),
    }),
    GetCardInfoAnswer: closed('getCardInfo (AlipayGetCardInfoResponse), answered from the gateway\'s BIN table; nothing of the card but its BIN is read.', {
      result: ref('Result'),
      cardBrand: { type: 'string' },
      coBagedCardBrand: { type: 'string', description: 'The co-badged brand (sic: the Java SDK model\'s name).' },
      issuingRegion: { type: 'string', pattern: '^[A-Z]{2}$' },
      funding: { type: 'string' },
      cardCategory: { type: 'string' },
      supportInstallment: { type: 'boolean' },
      installment: {
        type: 'object', additionalProperties: false,
        properties: {
          supportCardBrands: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { cardBrand: { type: 'string' } } } },
          plans: { type: 'array', items: ref('InstallmentPlan') },
        },
      },
    }),
    InstallmentPlan: plan,
    InquireInstallmentAnswer: closed('inquireInstallment (AlipayInquireInstallmentResponse): one InstallmentBank holding every offer.', {
      result: ref('Result'),
      installmentBanks: {
        type: 'object', additionalProperties: false,
        properties: { bankName: { type: 'string' }, bankShortName: { type: 'string' }, plans: { type: 'array', items: ref('InstallmentPlan') } },
      },
    }),
    ConsultAnswer: closed('consult (AlipayPayConsultResponse), cards only: one PaymentOption CARD, or none when allowedPaymentMethods, blockedPaymentMethods or allowedPaymentMethodRegions (cards are GLOBAL) leave it out.', {
      result: ref('Result'),
      paymentOptions: { type: 'array', maxItems: 1, items: ref('PaymentOption') },
    }),
    PaymentOption: {
      type: 'object', additionalProperties: false, description: 'Antom\'s PaymentOption (its JSON types: enabled a boolean, lists arrays).',
      required: ['paymentMethodType', 'paymentMethodCategory', 'enabled'],
      properties: {
        paymentMethodType: { const: 'CARD' },
        paymentMethodCategory: { const: 'CARD' },
        paymentMethodRegion: { type: 'array', items: { const: 'GLOBAL' } },
        enabled: { type: 'boolean' },
        paymentOptionDetail: {
          type: 'object', additionalProperties: false,
          properties: {
            supportCardBrands: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { cardBrand: { type: 'string' } } } },
            funding: { type: 'array', items: { type: 'string', enum: ['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT'] } },
          },
        },
        installment: {
          type: 'object', additionalProperties: false, description: 'The installment plans of userRegion, when they are paid in the amount\'s currency.',
          properties: {
            supportCardBrands: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { cardBrand: { type: 'string' } } } },
            plans: { type: 'array', items: ref('InstallmentPlan') },
          },
        },
      },
    },
    AcceptDisputeAnswer: disputeResolution('acceptDispute (AlipayAcceptDisputeResponse)'),
    SupplyDefenseDocumentAnswer: disputeResolution('supplyDefenseDocument (AlipaySupplyDefenseDocumentResponse)'),
    DownloadDisputeEvidenceAnswer: closed('downloadDisputeEvidence (AlipayDownloadDisputeEvidenceResponse): the document, Base64. A failure after the dispute was found also names it (disputeId, which Antom\'s model does not have).', {
      result: ref('Result'), disputeId: id('The dispute, on a failure only (the gateway\'s addition).'), disputeEvidence: { type: 'string', contentEncoding: 'base64' }, disputeEvidenceFormat: { type: 'string', enum: ['PDF', 'WORD'] },
    }),
    UpdateAmountResultNotification: closed('notifyPayment UPDATE_AMOUNT_RESULT: an amount update\'s final result; paymentAmount is the new total.', {
      notifyType: { const: 'UPDATE_AMOUNT_RESULT' },
      result: ref('Result'),
      paymentRequestId: id('The merchant\'s id of the payment.'),
      paymentId: id('The gateway\'s id of the payment (gwp_…).'),
      updateRequestId: id('The merchant\'s id of the update.'),
      paymentAmount: ref('AnswerAmount'),
      authExpiryTime: time,
    }, ['notifyType', 'result', 'paymentId', 'updateRequestId', 'paymentAmount']),
    DisputeNotification: closed('notifyDispute (AlipayDisputeNotify, no notifyType as Antom\'s): the acquirer\'s notice with the gateway\'s ids.', {
      paymentRequestId: id('The merchant\'s id of the payment.'),
      paymentId: id('The gateway\'s id of the payment (gwp_…).'),
      disputeId: id('The gateway\'s id of the dispute (gwd_…).'),
      captureId: id('The gateway\'s id of the capture disputed (gwc_…).'),
      disputeNotificationType: { type: 'string', enum: ['DISPUTE_CREATED', 'DISPUTE_JUDGED', 'DISPUTE_CANCELLED', 'DEFENSE_SUPPLIED', 'DEFENSE_DUE_ALERT', 'DISPUTE_ACCEPTED', 'RDR_RESOLVED'] },
      disputeTime: relayedTime,
      disputeAmount: relayedAmount,
      disputeReasonMsg: text(256),
      disputeJudgedTime: relayedTime,
      disputeJudgedAmount: relayedAmount,
      disputeJudgedResult: { type: 'string', enum: ['ACCEPT_BY_CUSTOMER', 'ACCEPT_BY_MERCHANT', 'VALIDATE_SUCCESS', 'VALIDATE_FAIL'] },
      defenseDueTime: relayedTime,
      disputeReasonCode: text(64),
      disputeSource: text(64),
      arn: text(64),
      disputeAcceptReason: { type: 'string', enum: ['MERCHANT_ACCEPTED', 'TIMEOUT', 'MANUAL_PROCESSING_ACCEPTED'] },
      disputeAcceptTime: relayedTime,
      disputeType: text(64),
      defendable: { type: 'boolean' },
      autoDefendReason: text(256),
    }, ['paymentId', 'disputeId', 'disputeNotificationType']),
  };
}
