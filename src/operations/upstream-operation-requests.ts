import { RefundRequestDto } from '../antom/requests/lifecycle.dto';
import { UpstreamCaptureRequest, UpstreamRefundRequest } from '../antom/upstream-requests';
import { Capture, Refund } from '../payments/capture.entity';
import { Payment } from '../payments/payment.entity';

/*
 * The upstream capture and refund, built from the gateway's rows (and, for a refund, the merchant's request)
 * the same way for the first call and for a re-drive's resend: the request id is the row's id, so the
 * acquirer's idempotency makes a resend of what it already has return the first result.
 */

export function upstreamCapture(p: Payment, c: Capture): UpstreamCaptureRequest {
  return {
    captureRequestId: c.id,
    paymentId: p.upstreamPaymentId,
    captureAmount: { currency: c.currency, value: c.amount.toString() },
    isLastCapture: c.isLast,
  };
}

/** `upstreamCaptureId`: the acquirer's id of the capture the merchant named (`captureId`), if any. */
export function upstreamRefund(p: Payment, r: Refund, req: RefundRequestDto, upstreamCaptureId: string | null): UpstreamRefundRequest {
  return {
    refundRequestId: r.id,
    paymentId: p.upstreamPaymentId,
    refundAmount: { currency: r.currency, value: r.amount.toString() },
    ...(r.reason ? { refundReason: r.reason } : {}),
    ...(upstreamCaptureId ? { captureId: upstreamCaptureId } : {}),
    ...(req.referenceRefundId ? { referenceRefundId: req.referenceRefundId } : {}),
    ...(req.isAsyncRefund === true ? { isAsyncRefund: true } : {}),
  };
}
