import {
  UpstreamCancelAnswer,
  UpstreamCaptureAnswer,
  UpstreamDisputeAnswer,
  UpstreamEvidenceAnswer,
  UpstreamInquiryAnswer,
  UpstreamPayAnswer,
  UpstreamRefundAnswer,
  UpstreamUpdateAmountAnswer,
} from './answers';
import { EnvDto } from './requests/common.dto';
import { DisputeEvidenceType } from './requests/dispute.dto';
import { OrderDto, SettlementStrategyDto } from './requests/pay.dto';

/*
 * What the gateway sends the acquirer, one type per operation (Antom's request models: AlipayPayRequest,
 * AlipayCaptureRequest, AlipayPayCancelRequest, AlipayRefundRequest, AlipayPayQueryRequest,
 * AlipayInquiryRefundRequest, AlipayPayUpdateAmountRequest, AlipayAcceptDisputeRequest,
 * AlipaySupplyDefenseDocumentRequest, AlipayDownloadDisputeEvidenceRequest), and what it answers (answers.ts).
 * The request id of each is the gateway's own row id, so a resend is idempotent at the acquirer. Amount values
 * are strings of minor units.
 */

export interface UpstreamAmount {
  currency: string;
  value: string;
}

/**
 * paymentMethodMetaData as the acquirer gets it: the merchant's own fields passed through (3DS flags, billing
 * address, …: open, as Antom's model is) with the gateway's overrides and the card fields the vault refilled
 * (their type is the vault's own, pci/vault/wire-card.ts: no card-shaped type outside src/pci).
 */
export interface UpstreamCardMetaData {
  isCardOnFile?: boolean;
  [merchantOrCardField: string]: unknown;
}

export interface UpstreamPaymentMethod {
  paymentMethodType: 'CARD';
  /** The acquirer's own card token (a card its hosted page collected). */
  paymentMethodId?: string;
  paymentMethodMetaData?: UpstreamCardMetaData;
  requireIssuerAuthentication?: boolean;
}

/** Antom's CreditPayPlan as sent: the gateway validated it (card-features/credit-pay-plan.ts). */
export interface UpstreamCreditPayPlan {
  installmentNum?: number;
  filteredInstallmentPeriods?: number[];
  interval?: string;
  creditPayFeeType?: string;
  feePercentage?: number;
}

export interface UpstreamPayRequest {
  productCode: string;
  /** The payment row's id, never the merchant's paymentRequestId. */
  paymentRequestId: string;
  order: OrderDto;
  paymentAmount: UpstreamAmount;
  paymentMethod: UpstreamPaymentMethod;
  paymentFactor: { isAuthorization: true; captureMode: string };
  env?: EnvDto;
  paymentRedirectUrl: string;
  /** The gateway's own notify URL: the acquirer tells the gateway, the gateway tells the merchant. */
  paymentNotifyUrl: string;
  settlementStrategy?: SettlementStrategyDto;
  paymentExpiryTime?: string;
  creditPayPlan?: UpstreamCreditPayPlan;
  merchantRegion?: string;
  userRegion?: string;
  extendInfo?: string;
}

export interface UpstreamCaptureRequest {
  captureRequestId: string;
  paymentId: string | null;
  captureAmount: UpstreamAmount;
  isLastCapture: boolean;
}

export interface UpstreamCancelRequest {
  paymentRequestId?: string;
  paymentId?: string;
}

export interface UpstreamRefundRequest {
  refundRequestId: string;
  paymentId: string | null;
  refundAmount: UpstreamAmount;
  refundReason?: string;
  /** The acquirer's id of the capture refunded. */
  captureId?: string;
  referenceRefundId?: string;
  isAsyncRefund?: true;
}

/** Incremental authorization: `amount` is the new authorized total; `updateRequestId` the gateway's row id. */
export interface UpstreamUpdateAmountRequest {
  updateRequestId: string;
  paymentId: string;
  amount: UpstreamAmount;
}

export type UpstreamInquiryPaymentRequest = { paymentRequestId: string } | { paymentId: string };
export interface UpstreamInquiryRefundRequest {
  refundRequestId: string;
}

/** The acquirer's dispute id (never the gateway's gwd_… id). */
export interface UpstreamAcceptDisputeRequest {
  disputeId: string;
}
export interface UpstreamSupplyDefenseDocumentRequest {
  disputeId: string;
  disputeEvidence: string;
}
export interface UpstreamDownloadDisputeEvidenceRequest {
  disputeId: string;
  disputeEvidenceType: DisputeEvidenceType;
}

/** Every acquirer operation, by its API path (after `/v1/`): the request it takes and the answer it gives. */
export interface UpstreamOperations {
  'payments/pay': { request: UpstreamPayRequest; answer: UpstreamPayAnswer };
  'payments/capture': { request: UpstreamCaptureRequest; answer: UpstreamCaptureAnswer };
  'payments/cancel': { request: UpstreamCancelRequest; answer: UpstreamCancelAnswer };
  'payments/refund': { request: UpstreamRefundRequest; answer: UpstreamRefundAnswer };
  'payments/updateAmount': { request: UpstreamUpdateAmountRequest; answer: UpstreamUpdateAmountAnswer };
  'payments/inquiryPayment': { request: UpstreamInquiryPaymentRequest; answer: UpstreamInquiryAnswer };
  'payments/inquiryRefund': { request: UpstreamInquiryRefundRequest; answer: UpstreamRefundAnswer };
  'payments/acceptDispute': { request: UpstreamAcceptDisputeRequest; answer: UpstreamDisputeAnswer };
  'payments/supplyDefenseDocument': { request: UpstreamSupplyDefenseDocumentRequest; answer: UpstreamDisputeAnswer };
  'payments/downloadDisputeEvidence': { request: UpstreamDownloadDisputeEvidenceRequest; answer: UpstreamEvidenceAnswer };
}

export type UpstreamApi = keyof UpstreamOperations;
export type UpstreamRequestOf<A extends UpstreamApi> = UpstreamOperations[A]['request'];
export type UpstreamAnswerOf<A extends UpstreamApi> = UpstreamOperations[A]['answer'];
