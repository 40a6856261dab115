import type { AntomResult } from './result-codes';

/*
 * Wire objects of the Antom card API (contract §2–§4), with Antom's field names.
 * Shared by the gateway (both directions) and the sandbox. These describe JSON
 * as it travels: inbound values are untrusted until validated.
 */

/** Docs call booleans strings, SDKs send JSON booleans (§2): accept both on input, send booleans. */
export type WireBoolean = boolean | 'true' | 'false';

/** Numeric fields the docs type as String and the SDKs send as numbers. */
export type WireNumber = number | string;

/** `value` is an integer in minor units, as a string (§2); never a decimal. */
export interface Amount {
  currency: string;
  value: string;
}

export interface UserName {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  fullName?: string;
}

export interface Address {
  /** ISO 3166 alpha-2; the one field Antom requires. */
  region: string;
  state?: string;
  city?: string;
  address1?: string;
  address2?: string;
  zipCode?: string;
}

export interface BrowserInfo {
  acceptHeader?: string;
  javaEnabled?: WireBoolean;
  javaScriptEnabled?: WireBoolean;
  language?: string;
  userAgent?: string;
}

export type TerminalType = 'WEB' | 'WAP' | 'APP' | 'MINI_APP';
export type OsType = 'IOS' | 'ANDROID';

/** Buyer environment; required in full for 3DS (§4). */
export interface Env {
  terminalType?: TerminalType;
  osType?: OsType;
  userAgent?: string;
  clientIp?: string;
  browserInfo?: BrowserInfo;
  colorDepth?: WireNumber;
  screenHeight?: WireNumber;
  screenWidth?: WireNumber;
  /** Minutes, integer. */
  timeZoneOffset?: WireNumber;
  deviceId?: string;
  deviceLanguage?: string;
  deviceTokenId?: string;
  deviceBrand?: string;
  deviceModel?: string;
  cookieId?: string;
}

/** Open-ended: co-badged and Korean issuer brands keep appearing. */
export type CardBrand =
  | 'VISA'
  | 'MASTERCARD'
  | 'AMEX'
  | 'JCB'
  | 'DINERS'
  | 'DISCOVER'
  | 'CUP'
  | 'MAESTRO'
  | 'ELO'
  | 'HIPERCARD'
  | 'CARTES_BANCAIRES'
  | 'MIR'
  | 'TROY'
  | (string & {});

/** Results of the merchant's own 3DS (MPI), sent with is3DSAuthentication=false. */
export interface MpiData {
  threeDSVersion?: '1.0.2' | '2.1.0' | '2.2.0' | (string & {});
  eci?: string;
  cavv?: string;
  dsTransactionId?: string;
}

/** Installments (§4); echoed back in paymentResultInfo.creditPayPlan. */
export interface CreditPayPlan {
  installmentNum: WireNumber;
  interval?: string;
  creditPayFeeType?: 'PERCENTAGE' | (string & {});
  feePercentage?: WireNumber;
}

export type RecurringType = 'SCHEDULED' | 'UNSCHEDULED';

/** paymentMethod.paymentMethodMetaData for cards (§4). Holds raw PAN/CVV: never log it. */
export interface CardPaymentMethodMetaData {
  cardNo?: string;
  cvv?: string;
  /** "01".."12" */
  expiryMonth?: string;
  /** Two digits, e.g. "29". */
  expiryYear?: string;
  cardholderName?: UserName;
  billingAddress?: Address;
  is3DSAuthentication?: WireBoolean;
  enableAuthenticationUpgrade?: WireBoolean;
  mpiData?: MpiData;
  isCardOnFile?: WireBoolean;
  recurringType?: RecurringType;
  networkTransactionId?: string;
  tokenize?: WireBoolean;
  selectedCardBrand?: CardBrand;
  paymentMethodRegion?: string;
  dateOfBirth?: string;
  businessNo?: string;
  cardPasswordDigest?: string;
  payerEmail?: string;
  cpf?: string;
}

export interface PaymentMethod {
  paymentMethodType: 'CARD' | (string & {});
  /** Card token for token payments (≤128). */
  paymentMethodId?: string;
  paymentMethodMetaData?: CardPaymentMethodMetaData;
  /** Korean issuer-authenticated flow. */
  requireIssuerAuthentication?: WireBoolean;
}

export type CaptureMode = 'AUTOMATIC' | 'MANUAL';

export interface PaymentFactor {
  isAuthorization?: WireBoolean;
  /** AUTOMATIC when absent. */
  captureMode?: CaptureMode;
}

export interface Goods {
  referenceGoodsId?: string;
  goodsName?: string;
  goodsCategory?: string;
  goodsUrl?: string;
  goodsUnitAmount?: Amount;
  goodsQuantity?: WireNumber;
}

export interface Shipping {
  shippingName?: UserName;
  shippingAddress?: Address;
  shippingCarrier?: string;
  shippingPhoneNo?: string;
  shipToEmail?: string;
}

export interface Buyer {
  referenceBuyerId?: string;
  buyerName?: UserName;
  buyerPhoneNo?: string;
  buyerEmail?: string;
}

export interface Order {
  referenceOrderId: string;
  orderDescription: string;
  orderAmount: Amount;
  goods?: Goods[];
  shipping?: Shipping;
  buyer?: Buyer;
  env?: Env;
}

export interface SettlementStrategy {
  settlementCurrency?: string;
}

export interface PayRequest {
  /** CASHIER_PAYMENT for one-time card payments. */
  productCode: 'CASHIER_PAYMENT' | (string & {});
  paymentRequestId: string;
  order: Order;
  paymentAmount: Amount;
  paymentMethod: PaymentMethod;
  paymentFactor?: PaymentFactor;
  env?: Env;
  paymentRedirectUrl: string;
  paymentNotifyUrl?: string;
  settlementStrategy?: SettlementStrategy;
  /** ISO-8601. */
  paymentExpiryTime?: string;
  creditPayPlan?: CreditPayPlan;
}

export interface ThreeDSResult {
  threeDSVersion?: string;
  /** 05/02 authenticated, 06/01 attempted, 07/00 not authenticated. */
  eci?: string;
  cavv?: string;
  dsTransactionId?: string;
  challenged?: WireBoolean;
  exemptionType?: string;
}

export type Funding = 'CREDIT' | 'DEBIT' | 'PREPAID';

export interface PaymentResultInfo {
  /** Masked. */
  cardNo?: string;
  cardBrand?: CardBrand;
  cardToken?: string;
  issuingCountry?: string;
  funding?: Funding;
  cardBin?: string;
  lastFour?: string;
  threeDSResult?: ThreeDSResult;
  avsResultRaw?: string;
  cvvResultRaw?: string;
  networkTransactionId?: string;
  creditPayPlan?: CreditPayPlan;
  authorizationCode?: string;
  refusalCodeRaw?: string;
  refusalReasonRaw?: string;
  merchantAdviceCode?: string;
  /** Seen on Korean local card notifications. */
  paymentMethodRegion?: string;
}

/** inquiryPayment / notifyPayment `cardInfo`: the same card-result fields (masked PAN only). */
export type CardInfo = PaymentResultInfo;

export interface RedirectActionForm {
  method: 'GET' | 'POST';
  redirectUrl: string;
  /** Form parameters as Antom sends them: a string. */
  parameters?: string;
  actionFormType?: string;
}

export interface AcquirerInfo {
  acquirerName?: string;
  referenceRequestId?: string;
  acquirerTransactionId?: string;
  acquirerMerchantId?: string;
  acquirerResultCode?: string;
  acquirerResultMessage?: string;
}

export interface PayResponse {
  result: AntomResult;
  paymentRequestId?: string;
  paymentId?: string;
  paymentAmount?: Amount;
  paymentCreateTime?: string;
  paymentTime?: string;
  authExpiryTime?: string;
  /** Present with PAYMENT_IN_PROCESS: where to send the buyer (3DS / hosted page). */
  normalUrl?: string;
  redirectActionForm?: RedirectActionForm;
  paymentResultInfo?: PaymentResultInfo;
  acquirerInfo?: AcquirerInfo;
}

export interface CaptureRequest {
  /** Idempotency key, new per capture. */
  captureRequestId: string;
  paymentId: string;
  /** Same currency as the payment. */
  captureAmount: Amount;
  isLastCapture?: WireBoolean;
}

export interface CaptureResponse {
  result: AntomResult;
  captureRequestId?: string;
  captureId?: string;
  paymentId?: string;
  captureAmount?: Amount;
  captureTime?: string;
  acquirerReferenceNo?: string;
}

/** One of the two ids is required; paymentId wins when both are sent. */
export interface CancelRequest {
  paymentId?: string;
  paymentRequestId?: string;
}

export interface CancelResponse {
  result: AntomResult;
  paymentId?: string;
  paymentRequestId?: string;
  cancelTime?: string;
}

export interface RefundRequest {
  refundRequestId: string;
  paymentId: string;
  refundAmount: Amount;
  refundReason?: string;
  refundNotifyUrl?: string;
  captureId?: string;
}

export interface RefundResponse {
  result: AntomResult;
  refundRequestId?: string;
  refundId?: string;
  paymentId?: string;
  refundAmount?: Amount;
  refundTime?: string;
}

/** One of the two ids is required. */
export interface InquiryPaymentRequest {
  paymentRequestId?: string;
  paymentId?: string;
}

export type PaymentStatus = 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED' | 'PENDING';

export type TransactionType = 'PAYMENT' | 'CAPTURE' | 'REFUND' | 'CANCEL' | 'AUTHORIZATION' | 'VOID';

export interface Transaction {
  transactionType: TransactionType;
  transactionStatus: 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED' | (string & {});
  transactionId?: string;
  transactionRequestId?: string;
  transactionAmount?: Amount;
  transactionTime?: string;
  transactionResult?: AntomResult;
}

/** `result` only says whether the query worked; the payment's outcome is paymentStatus. */
export interface InquiryPaymentResponse {
  result: AntomResult;
  paymentStatus?: PaymentStatus;
  paymentResultCode?: string;
  paymentResultMessage?: string;
  paymentRequestId?: string;
  paymentId?: string;
  paymentAmount?: Amount;
  authExpiryTime?: string;
  paymentCreateTime?: string;
  paymentTime?: string;
  redirectActionForm?: RedirectActionForm;
  cardInfo?: CardInfo;
  paymentResultInfo?: PaymentResultInfo;
  transactions?: Transaction[];
}

/** One of the two ids is required. */
export interface InquiryRefundRequest {
  refundRequestId?: string;
  refundId?: string;
}

export type RefundStatus = 'SUCCESS' | 'FAIL' | 'PROCESSING';

export interface InquiryRefundResponse {
  result: AntomResult;
  refundId?: string;
  refundRequestId?: string;
  refundAmount?: Amount;
  refundStatus?: RefundStatus;
  refundTime?: string;
}

/** notifyPayment: PAYMENT_RESULT carries a final S/F; PAYMENT_PENDING an intermediate state. */
export interface PaymentNotification {
  notifyType: 'PAYMENT_RESULT' | 'PAYMENT_PENDING';
  result: AntomResult;
  paymentRequestId: string;
  paymentId: string;
  paymentAmount: Amount;
  actualPaymentAmount?: Amount;
  paymentCreateTime?: string;
  paymentTime?: string;
  authExpiryTime?: string;
  paymentResultInfo?: PaymentResultInfo;
  /** May hold the cardToken. */
  cardInfo?: CardInfo;
}

export interface CaptureNotification {
  notifyType: 'CAPTURE_RESULT';
  result: AntomResult;
  captureRequestId: string;
  paymentId: string;
  /** Absent when the capture failed before an id was assigned. */
  captureId?: string;
  captureAmount: Amount;
  captureTime?: string;
}

export interface RefundNotification {
  notifyType: 'REFUND_RESULT';
  result: AntomResult;
  refundStatus: 'SUCCESS' | 'FAIL';
  refundRequestId: string;
  /** Absent when the refund failed before an id was assigned. */
  refundId?: string;
  refundAmount: Amount;
  refundTime?: string;
}

/** Discriminated on notifyType. */
export type AntomNotification = PaymentNotification | CaptureNotification | RefundNotification;
