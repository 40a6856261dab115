import { Type } from '@sinclair/typebox';

import { Id, Opt, StringEnum, Time } from './kit';

/*
 * The models nested in the answers, with the field names and JSON types of Antom's SDK models
 * (alipay/global-open-sdk-go v1.3.5 `com/alipay/api/model`; Java 2.2.8 and Python 1.5.5 agree where checked, see
 * docs/antom-compatibility.md). The models the gateway passes on from the acquirer (PaymentResultInfo,
 * AcquirerInfo, CardInfo, the action forms) stay open: the views keep fields these models do not name, and
 * coerce.ts puts each field they do name in the model's JSON type (Antom's docs send "3" where Go decodes an int).
 */

export const Result = Type.Object(
  {
    resultCode: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' }),
    resultStatus: StringEnum(['S', 'F', 'U']),
    resultMessage: Type.String({ maxLength: 256 }),
  },
  {
    $id: 'Result',
    additionalProperties: false,
    description:
      'S: done. F: final failure (a new request id is a new attempt). U: unknown or in process: retry with the same request id or inquire, never treat as failed.',
  },
);

/** An amount as the gateway writes it: minor units, always a JSON string (Antom's model.Amount). */
export const AnswerAmount = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    value: Type.String(),
  },
  { $id: 'AnswerAmount', description: 'An amount as the gateway writes it: value always a string of minor units.' },
);

const ThreeDSResult = Type.Object({
  threeDSVersion: Opt(Type.String()),
  eci: Opt(Type.String()),
  cavv: Opt(Type.String()),
  dsTransactionId: Opt(Type.String()),
  xid: Opt(Type.String()),
  threeDStransactionStatusReason: Opt(Type.String()),
  challengeCancel: Opt(Type.String()),
  challenged: Opt(Type.Boolean()),
  exemptionType: Opt(Type.String()),
  threeDSOffered: Opt(Type.Boolean()),
});

export const AcquirerInfo = Type.Object(
  {
    acquirerName: Opt(Type.String()),
    referenceRequestId: Opt(Type.String()),
    acquirerTransactionId: Opt(Type.String()),
    acquirerMerchantId: Opt(Type.String()),
    acquirerResultCode: Opt(Type.String()),
    acquirerResultMessage: Opt(Type.String()),
    acquirerMerchantName: Opt(Type.String()),
    acquirerReasonDescription: Opt(Type.String()),
    ptspTransactionId: Opt(Type.String()),
    acquirerCardToken: Opt(Type.String()),
  },
  { $id: 'AcquirerInfo', description: "Antom's AcquirerInfo." },
);

/** Go: installmentNum / feePercentage int32; Java also has filteredInstallmentPeriods List<Integer>. */
export const CreditPayPlan = Type.Object({
  installmentNum: Opt(Type.Integer()),
  interval: Opt(Type.String()),
  creditPayFeeType: Opt(Type.String()),
  feePercentage: Opt(Type.Integer()),
  interestRate: Opt(Type.String()),
  filteredInstallmentPeriods: Opt(Type.Array(Type.Integer())),
});

export const PaymentResultInfo = Type.Object(
  {
    issuerName: Opt(Type.String()),
    refusalCodeRaw: Opt(Type.String()),
    refusalReasonRaw: Opt(Type.String()),
    merchantAdviceCode: Opt(Type.String()),
    acquirerInfo: Opt(AcquirerInfo),
    cardNo: Opt(Type.String()),
    cardBrand: Opt(Type.String()),
    cardToken: Opt(Type.String()),
    issuingCountry: Opt(Type.String()),
    funding: Opt(Type.String()),
    paymentMethodRegion: Opt(Type.String()),
    threeDSResult: Opt(ThreeDSResult),
    avsResultRaw: Opt(Type.String()),
    cvvResultRaw: Opt(Type.String()),
    networkTransactionId: Opt(Type.String()),
    creditPayPlan: Opt(CreditPayPlan),
    cardholderName: Opt(Type.String()),
    cardBin: Opt(Type.String()),
    lastFour: Opt(Type.String()),
    expiryMonth: Opt(Type.String()),
    expiryYear: Opt(Type.String()),
    cardCategory: Opt(Type.String()),
    accountNo: Opt(Type.String()),
    exemptionRequested: Opt(Type.String()),
    credentialTypeUsed: Opt(Type.String()),
    rrn: Opt(Type.String()),
    userAuthorizationStatus: Opt(Type.String()),
    authorizationCode: Opt(Type.String()),
    incrementalAuthorizationAvailable: Opt(Type.Boolean()),
    extendedAuthorizationAvailable: Opt(Type.Boolean()),
    refundOnAuthorizationAvailable: Opt(Type.Boolean()),
  },
  { $id: 'PaymentResultInfo', description: "Antom's PaymentResultInfo, with the masked card only." },
);

export const CardInfo = Type.Object(
  {
    cardNo: Opt(Type.String()),
    cardBrand: Opt(Type.String()),
    cardToken: Opt(Type.String()),
    issuingCountry: Opt(Type.String()),
    funding: Opt(Type.String()),
    paymentMethodRegion: Opt(Type.String()),
    threeDSResult: Opt(ThreeDSResult),
  },
  { $id: 'CardInfo', description: "Antom's CardInfo: the masked card, brand and the token to pay with again." },
);

export const RedirectActionForm = Type.Object(
  {
    method: Opt(Type.String()),
    parameters: Opt(Type.String()),
    redirectUrl: Opt(Type.String()),
    actionFormType: Opt(Type.String()),
  },
  { $id: 'RedirectActionForm', description: "Antom's RedirectActionForm." },
);

export const ChallengeActionForm = Type.Object(
  {
    challengeType: Opt(Type.String()),
    challengeRenderValue: Opt(Type.String()),
    triggerSource: Opt(Type.String()),
    extendInfo: Opt(Type.String()),
  },
  { $id: 'ChallengeActionForm', description: "Antom's ChallengeActionForm." },
);

/** A transaction's status as the inquiries say it (Antom's TransactionStatusType, as the gateway uses it). */
export const ProcessingStatus = StringEnum(['SUCCESS', 'FAIL', 'PROCESSING']);

/** inquiryPayment's transactions[] (Antom's Transaction). */
export const Transaction = Type.Object(
  {
    transactionType: StringEnum(['PAYMENT', 'CAPTURE', 'REFUND', 'CANCEL']),
    transactionStatus: ProcessingStatus,
    transactionId: Opt(Id("The gateway's id of the payment, capture or refund.")),
    transactionRequestId: Opt(Id("The merchant's request id of it.")),
    transactionAmount: Opt(AnswerAmount),
    transactionTime: Opt(Time),
    transactionResult: Opt(Result),
  },
  { $id: 'Transaction', additionalProperties: false },
);

/** PaymentMethodDetail of a vaulted card (Go model.PaymentMethodDetail, `card` a CardPaymentMethodDetail): every value a string. */
export const VaultedPaymentMethodDetail = Type.Object(
  {
    paymentMethodDetailType: Type.Literal('CARD'),
    paymentMethodType: Opt(Type.Literal('CARD')),
    card: Type.Object(
      {
        cardToken: Type.String(),
        brand: Opt(Type.String()),
        bin: Opt(Type.String()),
        lastFour: Opt(Type.String()),
        maskedCardNo: Opt(Type.String()),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'VaultedPaymentMethodDetail', additionalProperties: false },
);

/** Antom's Plan, as the gateway fills it: one per installment count, its scope (region, currency, brands) in extendInfo. */
export const InstallmentPlan = Type.Object(
  {
    installmentNum: Opt(Type.String({ pattern: '^\\d+$', description: 'The number of installments (a string, as the SDK types it).' })),
    interval: Opt(StringEnum(['MONTH'])),
    enabled: Opt(Type.Boolean()),
    extendInfo: Opt(Type.String({ description: 'JSON text: {"paymentMethodRegion", "currency", "cardBrands"} the plan applies to.' })),
  },
  { $id: 'InstallmentPlan', additionalProperties: false },
);

const CardBrand = Type.Object({ cardBrand: Opt(Type.String()) }, { additionalProperties: false });

/** Antom's Installment (getCardInfo, consult): the brands and the plans. */
export const Installment = (description?: string) =>
  Type.Object(
    {
      supportCardBrands: Opt(Type.Array(CardBrand)),
      plans: Opt(Type.Array(InstallmentPlan)),
    },
    { additionalProperties: false, ...(description ? { description } : {}) },
  );

/** Antom's PaymentOption (its JSON types: enabled a boolean, lists arrays), cards only. */
export const PaymentOption = Type.Object(
  {
    paymentMethodType: Type.Literal('CARD'),
    paymentMethodCategory: Type.Literal('CARD'),
    paymentMethodRegion: Opt(Type.Array(Type.Literal('GLOBAL'))),
    enabled: Type.Boolean(),
    paymentOptionDetail: Opt(
      Type.Object(
        {
          supportCardBrands: Opt(Type.Array(CardBrand)),
          funding: Opt(Type.Array(StringEnum(['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT']))),
        },
        { additionalProperties: false },
      ),
    ),
    installment: Opt(Installment("The installment plans of userRegion, when they are paid in the amount's currency.")),
  },
  { $id: 'PaymentOption', additionalProperties: false, description: "Antom's PaymentOption (its JSON types: enabled a boolean, lists arrays)." },
);
