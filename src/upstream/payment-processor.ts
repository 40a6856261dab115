import { Injectable } from '@nestjs/common';
import { UpstreamCancelAnswer, UpstreamCaptureAnswer, UpstreamInquiryAnswer, UpstreamPayAnswer, UpstreamRefundAnswer, UpstreamUpdateAmountAnswer } from '../antom/answers';
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
}
