import { Body } from './sandbox-context';

/*
 * The JSON type of every field the sandbox emits whose SDK model type is not a string, as Antom's SDK models
 * decode them (alipay/global-open-sdk-go v1.3.5 `com/alipay/api/{model,response,request/notify}`; Java 2.2.8
 * `com/alipay/global/api/model/ams` for getCardInfo / inquireInstallment, which Go lacks). Antom's docs write
 * every scalar as a string ("true", "3"); the SDKs do not: Go's json.Unmarshal (and .NET's, and the PHP
 * models' typed setters) refuse "true" for a bool and "3" for an int32, and fail the whole answer.
 *
 * Invariant: every answer (sandbox-server.ts) and every notification (notifier.ts) passes through
 * `asSdkTypes` on its way out, so a stored answer written before a field was typed (the sandbox's schema
 * outlives its code) is still sent typed. The handlers build the right types in the first place; this is
 * the one place that says which they are. A value the model cannot hold is left as it is, so the suite's
 * decode check (test/contract/sandbox-sdk-models.e2e-spec.ts) names it instead of it vanishing.
 */
export type WireKind = 'string' | 'int' | 'bool' | WireShape | [WireKind];
export interface WireShape {
  [field: string]: WireKind;
}

const AMOUNT: WireShape = { currency: 'string', value: 'string' };
const RESULT: WireShape = { resultCode: 'string', resultStatus: 'string', resultMessage: 'string' };
const THREE_DS_RESULT: WireShape = {
  threeDSVersion: 'string',
  eci: 'string',
  cavv: 'string',
  dsTransactionId: 'string',
  challenged: 'bool',
  threeDSOffered: 'bool',
};
const ACQUIRER_INFO: WireShape = {
  acquirerName: 'string',
  referenceRequestId: 'string',
  acquirerTransactionId: 'string',
  acquirerMerchantId: 'string',
  acquirerResultCode: 'string',
  acquirerResultMessage: 'string',
};
/** Go model.CreditPayPlan: installmentNum and feePercentage int32. */
const CREDIT_PAY_PLAN: WireShape = {
  installmentNum: 'int',
  interval: 'string',
  creditPayFeeType: 'string',
  feePercentage: 'int',
  interestRate: 'string',
};
/** Go model.PaymentResultInfo: the three *Available flags bool. */
const PAYMENT_RESULT_INFO: WireShape = {
  issuerName: 'string',
  refusalCodeRaw: 'string',
  refusalReasonRaw: 'string',
  merchantAdviceCode: 'string',
  acquirerInfo: ACQUIRER_INFO,
  cardNo: 'string',
  cardBrand: 'string',
  cardToken: 'string',
  issuingCountry: 'string',
  funding: 'string',
  paymentMethodRegion: 'string',
  threeDSResult: THREE_DS_RESULT,
  avsResultRaw: 'string',
  cvvResultRaw: 'string',
  networkTransactionId: 'string',
  creditPayPlan: CREDIT_PAY_PLAN,
  cardBin: 'string',
  lastFour: 'string',
  cardCategory: 'string',
  exemptionRequested: 'string',
  credentialTypeUsed: 'string',
  rrn: 'string',
  authorizationCode: 'string',
  incrementalAuthorizationAvailable: 'bool',
  extendedAuthorizationAvailable: 'bool',
  refundOnAuthorizationAvailable: 'bool',
};
const CARD_INFO: WireShape = {
  cardNo: 'string',
  cardBrand: 'string',
  cardToken: 'string',
  issuingCountry: 'string',
  funding: 'string',
  paymentMethodRegion: 'string',
  threeDSResult: THREE_DS_RESULT,
};
const TRANSACTION: WireShape = { transactionResult: RESULT, transactionAmount: AMOUNT, acquirerInfo: ACQUIRER_INFO };
/** Java model.ams.Plan (Go model.Plan agrees): installmentNum a string, enabled a bool. */
const PLAN: WireShape = {
  installmentNum: 'string',
  interval: 'string',
  enabled: 'bool',
  interestRate: 'string',
  minInstallmentAmount: AMOUNT,
  maxInstallmentAmount: AMOUNT,
};
const INSTALLMENT: WireShape = { supportCardBrands: [{ cardBrand: 'string' }], plans: [PLAN] };
/** Go model.PaymentOption: enabled / preferred bool, paymentMethodRegion and supportedCurrencies string lists. */
const PAYMENT_OPTION: WireShape = {
  paymentMethodType: 'string',
  paymentMethodCategory: 'string',
  paymentMethodRegion: ['string'],
  enabled: 'bool',
  preferred: 'bool',
  disableReason: 'string',
  supportedCurrencies: ['string'],
  paymentOptionDetail: { supportCardBrands: [{ cardBrand: 'string' }], funding: ['string'] },
  installment: INSTALLMENT,
};

const PAYMENT: WireShape = {
  result: RESULT,
  paymentAmount: AMOUNT,
  paymentResultInfo: PAYMENT_RESULT_INFO,
  acquirerInfo: ACQUIRER_INFO,
  cardInfo: CARD_INFO,
};

/** Each API's answer model (Go responsePay.*, Java Alipay*Response). */
export const ANSWER_TYPES: Record<string, WireShape> = {
  'payments/pay': { ...PAYMENT, redirectActionForm: { method: 'string', redirectUrl: 'string', actionFormType: 'string' } },
  'payments/inquiryPayment': {
    ...PAYMENT,
    redirectActionForm: { method: 'string', redirectUrl: 'string', actionFormType: 'string' },
    transactions: [TRANSACTION],
  },
  'payments/capture': { result: RESULT, captureAmount: AMOUNT },
  'payments/cancel': { result: RESULT },
  'payments/refund': { result: RESULT, refundAmount: AMOUNT },
  'payments/inquiryRefund': { result: RESULT, refundAmount: AMOUNT },
  'payments/updateAmount': { result: RESULT, amount: AMOUNT },
  'payments/acceptDispute': { result: RESULT },
  'payments/supplyDefenseDocument': { result: RESULT },
  'payments/downloadDisputeEvidence': { result: RESULT },
  'payments/getCardInfo': { result: RESULT, supportInstallment: 'bool', installment: INSTALLMENT },
  'payments/inquireInstallment': { result: RESULT, installmentBanks: { bins: ['string'], plans: [PLAN] } },
  'payments/consult': { result: RESULT, paymentOptions: [PAYMENT_OPTION] },
};

/** Each notification's model, by the outbox's notify type (Go notify.*). */
export const NOTIFICATION_TYPES: Record<string, WireShape> = {
  PAYMENT_RESULT: PAYMENT,
  UPDATE_AMOUNT_RESULT: PAYMENT,
  CAPTURE_RESULT: { result: RESULT, captureAmount: AMOUNT },
  REFUND_RESULT: { result: RESULT, refundAmount: AMOUNT },
  NOTIFY_DISPUTE: { disputeAmount: AMOUNT, disputeJudgedAmount: AMOUNT, defendable: 'bool' },
};

/** `body` with each field the shape names in its model's JSON type (a copy; fields it does not name as they are). */
export function asSdkTypes(body: Body, shape: WireShape | undefined): Body {
  return shape ? (coerce(body, shape) as Body) : body;
}

function coerce(v: unknown, kind: WireKind): unknown {
  if (v === null || v === undefined) return v;
  if (kind === 'string') return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
  if (kind === 'bool') return v === 'true' ? true : v === 'false' ? false : v;
  if (kind === 'int') return typeof v === 'string' && /^[+-]?\d{1,9}$/.test(v) ? Number(v) : v;
  if (Array.isArray(kind)) return Array.isArray(v) ? v.map((x) => coerce(x, kind[0])) : v;
  if (typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Body).map(([k, x]) => [k, Object.hasOwn(kind, k) ? coerce(x, kind[k]) : x]));
}
