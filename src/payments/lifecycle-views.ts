import { CancelAnswer, CaptureAnswer, InquiryRefundAnswer, RefundAnswer, UpdateAmountAnswer } from '../antom/wire/payment-answers';
import { AmountUpdate } from './amount-update.entity';
import { Capture, Refund } from './capture.entity';
import { Payment } from './payment.entity';
import { compact, iso } from './payment-view';

export function captureResponse(p: Payment, c: Capture): CaptureAnswer {
  return compact({
    result: {
      resultCode: c.resultCode ?? 'UNKNOWN_EXCEPTION',
      resultStatus: c.resultStatus ?? 'U',
      resultMessage: c.resultMessage ?? 'The capture is being processed.',
    },
    captureRequestId: c.captureRequestId,
    captureId: c.captureId,
    paymentId: p.paymentId,
    captureAmount: { currency: c.currency, value: c.amount.toString() },
    captureTime: iso(c.captureTime),
    acquirerReferenceNo: c.acquirerReferenceNo ?? undefined,
  });
}

export function refundResponse(p: Payment, r: Refund): RefundAnswer {
  return compact({
    result: {
      resultCode: r.resultCode ?? 'UNKNOWN_EXCEPTION',
      resultStatus: r.resultStatus ?? 'U',
      resultMessage: r.resultMessage ?? 'The refund is being processed.',
    },
    refundRequestId: r.refundRequestId,
    refundId: r.refundId,
    paymentId: p.paymentId,
    refundAmount: { currency: r.currency, value: r.amount.toString() },
    refundTime: iso(r.refundTime),
  });
}

export function cancelResponse(p: Payment): CancelAnswer {
  return compact({
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
    paymentId: p.paymentId,
    paymentRequestId: p.paymentRequestId,
    cancelTime: iso(p.cancelTime ?? new Date()),
  });
}

export function inquiryRefundResponse(r: Refund): InquiryRefundAnswer {
  return compact({
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
    refundId: r.refundId,
    refundRequestId: r.refundRequestId,
    refundAmount: { currency: r.currency, value: r.amount.toString() },
    refundStatus: r.status === 'SUCCESS' ? 'SUCCESS' : r.status === 'FAIL' ? 'FAIL' : 'PROCESSING',
    refundTime: iso(r.refundTime),
    refundResultCode: r.resultCode ?? undefined,
  });
}

/** Antom's AlipayUpdateAmountResponse, rebuilt from the stored row (a replay answers the same). */
export function updateAmountResponse(p: Payment, u: AmountUpdate): UpdateAmountAnswer {
  return compact({
    result: {
      resultCode: u.resultCode ?? 'UNKNOWN_EXCEPTION',
      resultStatus: u.resultStatus ?? 'U',
      resultMessage: u.resultMessage ?? 'The amount update is being processed.',
    },
    updateRequestId: u.updateRequestId,
    paymentId: p.paymentId,
    amount: { currency: u.currency, value: u.amount.toString() },
  });
}
