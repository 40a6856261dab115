import { Injectable } from '@nestjs/common';
import { UpstreamCancelAnswer, UpstreamCaptureAnswer, UpstreamDisputeAnswer, UpstreamEvidenceAnswer, UpstreamInquiryAnswer, UpstreamPayAnswer, UpstreamRefundAnswer, UpstreamUpdateAmountAnswer } from '../antom/answers';
import { AntomClient, UpstreamOutcome, UpstreamRef } from './antom-client';

/**
 * The upstream port (the design's PaymentProcessor): one typed method per acquirer operation, so no
 * caller builds an API path. Behind it the Antom client signs, verifies, resends and breaks the circuit.
 */
@Injectable()
export class PaymentProcessor {
  constructor(private readonly client: AntomClient) {}

  pay(request: object, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamPayAnswer>> {
    return this.client.call('payments/pay', request, ref);
  }

  capture(request: object, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamCaptureAnswer>> {
    return this.client.call('payments/capture', request, ref);
  }

  cancel(request: { paymentRequestId?: string; paymentId?: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamCancelAnswer>> {
    return this.client.call('payments/cancel', request, ref);
  }

  /** Incremental authorization: `amount` is the new authorized total; `updateRequestId` the gateway's row id. */
  updateAmount(request: { updateRequestId: string; paymentId: string; amount: { currency: string; value: string } }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamUpdateAmountAnswer>> {
    return this.client.call('payments/updateAmount', request, ref);
  }

  refund(request: object, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamRefundAnswer>> {
    return this.client.call('payments/refund', request, ref);
  }

  inquiryPayment(by: { paymentRequestId: string } | { paymentId: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamInquiryAnswer>> {
    return this.client.call('payments/inquiryPayment', by, ref);
  }

  inquiryRefund(by: { refundRequestId: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamRefundAnswer>> {
    return this.client.call('payments/inquiryRefund', by, ref);
  }

  /** The acquirer's dispute id (never the gateway's gwd_… id). */
  acceptDispute(request: { disputeId: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamDisputeAnswer>> {
    return this.client.call('payments/acceptDispute', request, ref);
  }

  supplyDefenseDocument(request: { disputeId: string; disputeEvidence: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamDisputeAnswer>> {
    return this.client.call('payments/supplyDefenseDocument', request, ref);
  }

  downloadDisputeEvidence(request: { disputeId: string; disputeEvidenceType: string }, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamEvidenceAnswer>> {
    return this.client.call('payments/downloadDisputeEvidence', request, ref);
  }
}
