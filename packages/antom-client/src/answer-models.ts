/*
 * The models nested in payment answers and notifications, typed after Antom's SDK models
 * (alipay/global-open-sdk-go `model.PaymentResultInfo`, `model.AcquirerInfo`, `model.ThreeDSResult`,
 * `model.CreditPayPlan`; Java `com.alipay.global.api.model.ams`): the same field names and JSON types as the
 * gateway's own models (src/antom/wire/models.ts, TypeBox), copied because the client depends on nothing.
 * client/answer-models.spec.ts holds the two lists of fields equal. Every field is optional: an acquirer says
 * what it knows, and a field these models do not name still arrives (read it through a cast).
 */

export interface ThreeDSResult {
  threeDSVersion?: string;
  eci?: string;
  cavv?: string;
  dsTransactionId?: string;
  xid?: string;
  threeDStransactionStatusReason?: string;
  challengeCancel?: string;
  challenged?: boolean;
  exemptionType?: string;
  threeDSOffered?: boolean;
}

/** The acquirer's own view of the authorization: its ids and its raw result. */
export interface AcquirerInfo {
  acquirerName?: string;
  referenceRequestId?: string;
  acquirerTransactionId?: string;
  acquirerMerchantId?: string;
  acquirerResultCode?: string;
  acquirerResultMessage?: string;
  acquirerMerchantName?: string;
  acquirerReasonDescription?: string;
  ptspTransactionId?: string;
  acquirerCardToken?: string;
}

/** An installment plan (Go: installmentNum and feePercentage are integers). */
export interface CreditPayPlan {
  installmentNum?: number;
  interval?: string;
  creditPayFeeType?: string;
  feePercentage?: number;
  interestRate?: string;
  filteredInstallmentPeriods?: number[];
}

/** What the issuer and scheme said, with the masked card only (never the full number or the CVV). */
export interface PaymentResultInfo {
  issuerName?: string;
  /** The issuer's raw refusal code on a decline (e.g. "05"). */
  refusalCodeRaw?: string;
  refusalReasonRaw?: string;
  /** Visa/Mastercard merchant advice code: 01 retry after updating, 02 try again later, 03 do not try again. */
  merchantAdviceCode?: string;
  acquirerInfo?: AcquirerInfo;
  /** Masked: the first six and last four digits. */
  cardNo?: string;
  cardBrand?: string;
  cardToken?: string;
  issuingCountry?: string;
  funding?: string;
  paymentMethodRegion?: string;
  threeDSResult?: ThreeDSResult;
  /** AVS result code (Y, N, A, Z, U …): what the address check found. */
  avsResultRaw?: string;
  /** CVV result code (M matched, N not matched, P not processed, U unavailable …). */
  cvvResultRaw?: string;
  networkTransactionId?: string;
  creditPayPlan?: CreditPayPlan;
  cardholderName?: string;
  cardBin?: string;
  lastFour?: string;
  expiryMonth?: string;
  expiryYear?: string;
  cardCategory?: string;
  accountNo?: string;
  exemptionRequested?: string;
  credentialTypeUsed?: string;
  rrn?: string;
  userAuthorizationStatus?: string;
  authorizationCode?: string;
  incrementalAuthorizationAvailable?: boolean;
  extendedAuthorizationAvailable?: boolean;
  refundOnAuthorizationAvailable?: boolean;
}
