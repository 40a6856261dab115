import { Injectable } from '@nestjs/common';
import { UpstreamCancelAnswer, UpstreamCaptureAnswer, UpstreamInquiryAnswer, UpstreamPayAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { AntomClient, UpstreamOutcome } from './antom-client';

/**
 * The upstream port (the design's PaymentProcessor): one typed method per acquirer operation, so no
 * caller builds an API path. Behind it the Antom client signs, verifies, resends and breaks the circuit.
 */
@Injectable()
export class PaymentProcessor {
  constructor(private readonly client: AntomClient) {}

  pay(request: object): Promise<UpstreamOutcome<UpstreamPayAnswer>> {
    return this.client.call('payments/pay', request);
  }

  capture(request: object): Promise<UpstreamOutcome<UpstreamCaptureAnswer>> {
    return this.client.call('payments/capture', request);
  }

  cancel(request: { paymentRequestId?: string; paymentId?: string }): Promise<UpstreamOutcome<UpstreamCancelAnswer>> {
    return this.client.call('payments/cancel', request);
  }

  refund(request: object): Promise<UpstreamOutcome<UpstreamRefundAnswer>> {
    return this.client.call('payments/refund', request);
  }

  inquiryPayment(by: { paymentRequestId: string } | { paymentId: string }): Promise<UpstreamOutcome<UpstreamInquiryAnswer>> {
    return this.client.call('payments/inquiryPayment', by);
  }

  inquiryRefund(by: { refundRequestId: string }): Promise<UpstreamOutcome<UpstreamRefundAnswer>> {
    return this.client.call('payments/inquiryRefund', by);
  }
}
