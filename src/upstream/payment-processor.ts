import { Injectable } from '@nestjs/common';

import {
  UpstreamAcceptDisputeRequest,
  UpstreamAnswerOf,
  UpstreamCancelRequest,
  UpstreamCaptureRequest,
  UpstreamDownloadDisputeEvidenceRequest,
  UpstreamInquiryPaymentRequest,
  UpstreamInquiryRefundRequest,
  UpstreamPayRequest,
  UpstreamRefundRequest,
  UpstreamSupplyDefenseDocumentRequest,
  UpstreamUpdateAmountRequest,
} from '../antom/upstream-requests';
import { AntomClient, UpstreamOutcome, UpstreamRef } from './antom-client';

/**
 * The upstream port (the design's PaymentProcessor): one method per acquirer operation, each with its own
 * request and answer type (src/antom/upstream-requests.ts, answers.ts), as a payment provider is typed per
 * operation, so no caller builds an API path or a loose payload. Behind it the Antom client signs, verifies,
 * resends and breaks the circuit.
 */
@Injectable()
export class PaymentProcessor {
  constructor(private readonly client: AntomClient) {}

  pay(request: UpstreamPayRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/pay'>>> {
    return this.client.call('payments/pay', request, ref);
  }

  capture(request: UpstreamCaptureRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/capture'>>> {
    return this.client.call('payments/capture', request, ref);
  }

  cancel(request: UpstreamCancelRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/cancel'>>> {
    return this.client.call('payments/cancel', request, ref);
  }

  /** Incremental authorization: `amount` is the new authorized total; `updateRequestId` the gateway's row id. */
  updateAmount(request: UpstreamUpdateAmountRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/updateAmount'>>> {
    return this.client.call('payments/updateAmount', request, ref);
  }

  refund(request: UpstreamRefundRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/refund'>>> {
    return this.client.call('payments/refund', request, ref);
  }

  inquiryPayment(by: UpstreamInquiryPaymentRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/inquiryPayment'>>> {
    return this.client.call('payments/inquiryPayment', by, ref);
  }

  inquiryRefund(by: UpstreamInquiryRefundRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/inquiryRefund'>>> {
    return this.client.call('payments/inquiryRefund', by, ref);
  }

  /** The acquirer's dispute id (never the gateway's gwd_… id). */
  acceptDispute(request: UpstreamAcceptDisputeRequest, ref?: UpstreamRef): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/acceptDispute'>>> {
    return this.client.call('payments/acceptDispute', request, ref);
  }

  supplyDefenseDocument(
    request: UpstreamSupplyDefenseDocumentRequest,
    ref?: UpstreamRef,
  ): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/supplyDefenseDocument'>>> {
    return this.client.call('payments/supplyDefenseDocument', request, ref);
  }

  downloadDisputeEvidence(
    request: UpstreamDownloadDisputeEvidenceRequest,
    ref?: UpstreamRef,
  ): Promise<UpstreamOutcome<UpstreamAnswerOf<'payments/downloadDisputeEvidence'>>> {
    return this.client.call('payments/downloadDisputeEvidence', request, ref);
  }
}
