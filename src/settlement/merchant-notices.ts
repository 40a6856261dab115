import { Capture, Refund } from '../capture/capture.entity';
import { Payment } from '../payments/payment.entity';
import { compact, payResponse } from '../payments/payment-view';
import { OutboundNotification } from '../notifications/outbox/outbox.service';

/** The merchant-facing notifications, in Antom's shapes, with the gateway's ids (never the upstream's). */
export function paymentResultNotice(p: Payment): OutboundNotification {
  const { normalUrl: _n, redirectActionForm: _r, ...body } = payResponse(p) as Record<string, unknown>;
  return {
    merchantId: p.merchantId,
    paymentId: p.id,
    notifyType: 'PAYMENT_RESULT',
    dedupeKey: `PAYMENT_RESULT:${p.id}`,
    url: p.paymentNotifyUrl,
    payload: { notifyType: 'PAYMENT_RESULT', ...body },
  };
}

export function captureResultNotice(p: Payment, c: Capture): OutboundNotification {
  return {
    merchantId: p.merchantId,
    paymentId: p.id,
    notifyType: 'CAPTURE_RESULT',
    dedupeKey: `CAPTURE_RESULT:${c.id}`,
    url: p.paymentNotifyUrl,
    payload: compact({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: c.resultCode ?? 'SUCCESS', resultStatus: c.resultStatus ?? 'S', resultMessage: c.resultMessage ?? 'success.' },
      captureRequestId: c.captureRequestId,
      paymentId: p.paymentId,
      captureId: c.captureId,
      captureAmount: { currency: c.currency, value: c.amount.toString() },
      captureTime: iso(c.captureTime),
    }),
  };
}

export function refundResultNotice(p: Payment, r: Refund): OutboundNotification {
  return {
    merchantId: p.merchantId,
    paymentId: p.id,
    notifyType: 'REFUND_RESULT',
    dedupeKey: `REFUND_RESULT:${r.id}`,
    url: r.notifyUrl ?? p.paymentNotifyUrl,
    payload: compact({
      notifyType: 'REFUND_RESULT',
      result: { resultCode: r.resultCode ?? 'SUCCESS', resultStatus: r.resultStatus ?? 'S', resultMessage: r.resultMessage ?? 'success.' },
      refundStatus: r.status === 'SUCCESS' ? 'SUCCESS' : 'FAIL',
      refundRequestId: r.refundRequestId,
      refundId: r.refundId,
      paymentId: p.paymentId,
      refundAmount: { currency: r.currency, value: r.amount.toString() },
      refundTime: iso(r.refundTime),
    }),
  };
}

export function iso(d: Date | null | undefined): string | undefined {
  return d ? d.toISOString().replace('Z', '+00:00') : undefined;
}
