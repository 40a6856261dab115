/*
 * The request shapes the gateway validates (src/antom/requests/pay.dto.ts, lifecycle.dto.ts, common.dto.ts),
 * written out here because this package ships alone: its .d.ts may name nothing of the gateway. They cannot
 * drift: test/client/request-types-match.ts fails `npm run typecheck` unless each is exactly the DTO's shape.
 */

export interface AmountShape {
  currency: string;
  value: string;
}
export interface UserName {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  fullName?: string;
}
export interface BrowserInfo {
  acceptHeader?: string;
  javaEnabled?: boolean;
  javaScriptEnabled?: boolean;
  language?: string;
  userAgent?: string;
}
export interface Env {
  terminalType?: string;
  osType?: string;
  clientIp?: string;
  browserInfo?: BrowserInfo;
  colorDepth?: string;
  screenHeight?: string;
  screenWidth?: string;
  timeZoneOffset?: number;
  deviceId?: string;
  deviceLanguage?: string;
  deviceTokenId?: string;
}
export interface Goods {
  referenceGoodsId?: string;
  goodsName?: string;
  goodsCategory?: string;
  goodsUrl?: string;
  goodsUnitAmount?: AmountShape;
  goodsQuantity?: string;
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
  orderAmount: AmountShape;
  goods?: Goods[];
  shipping?: Record<string, unknown>;
  buyer?: Buyer;
  env?: Env;
}
export interface PaymentMethod {
  paymentMethodType: 'CARD';
  paymentMethodId?: string;
  /** The card (cardNo, cvv, expiryMonth, expiryYear, cardholderName…), or a cardToken. */
  paymentMethodMetaData?: Record<string, unknown>;
  requireIssuerAuthentication?: boolean;
}
export interface PaymentFactor {
  isAuthorization?: boolean;
  captureMode?: 'AUTOMATIC' | 'MANUAL';
}
export interface SettlementStrategy {
  settlementCurrency?: string;
}

/** Antom's pay request as the gateway takes it (the DTO: PayRequestDto). */
export interface PayRequestShape {
  productCode: string;
  paymentRequestId: string;
  order: Order;
  paymentAmount: AmountShape;
  paymentMethod: PaymentMethod;
  paymentFactor?: PaymentFactor;
  env?: Env;
  paymentRedirectUrl: string;
  paymentNotifyUrl?: string;
  settlementStrategy?: SettlementStrategy;
  paymentExpiryTime?: string;
  creditPayPlan?: Record<string, unknown>;
  merchantRegion?: string;
  userRegion?: string;
  extendInfo?: string;
  /** Refused by the gateway (sub-merchants): left out of PayRequest. */
  merchant?: unknown;
}
export interface InquiryPaymentRequestShape {
  paymentRequestId?: string;
  paymentId?: string;
}
export interface CaptureRequestShape {
  captureRequestId: string;
  paymentId: string;
  captureAmount: AmountShape;
  isLastCapture?: boolean;
}
export interface CancelRequestShape {
  paymentId?: string;
  paymentRequestId?: string;
}
export interface RefundRequestShape {
  refundRequestId: string;
  paymentId: string;
  refundAmount: AmountShape;
  refundReason?: string;
  refundNotifyUrl?: string;
  /** One capture of the payment (the gateway's captureId): the refund is forwarded against the acquirer's id of it. */
  captureId?: string;
  /** The merchant's own reference of the refund: forwarded. */
  referenceRefundId?: string;
  /** Refused by the gateway: left out of RefundRequest. */
  refundDetails?: unknown;
  /** Antom's asynchronous refund: U REFUND_IN_PROCESS, the result by REFUND_RESULT notification and inquiryRefund. */
  isAsyncRefund?: boolean;
}
export interface InquiryRefundRequestShape {
  refundRequestId?: string;
  refundId?: string;
}
