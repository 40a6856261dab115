import {
  CaptureResultNotification,
  DisputeNotification,
  DisputeRelayed,
  MerchantNotification,
  PaymentResultNotification,
  RefundResultNotification,
  UpdateAmountResultNotification,
} from '../antom/wire';
import { OutboundNotification } from '../notifications/outbox/outbox.service';
import { AmountUpdate } from '../payments/amount-update.entity';
import { Capture, Refund } from '../payments/capture.entity';
import { Dispute } from '../payments/disputes.repository';
import { captureResponse, refundResponse, updateAmountResponse } from '../payments/lifecycle-views';
import { Payment } from '../payments/payment.entity';
import { cardInfoOf, compact, iso, payResponse } from '../payments/payment-view';

/**
 * The merchant-facing notifications, in Antom's shapes, with the gateway's ids (never the upstream's). Each is
 * one outcome of one payment (`dedupeKey`: a second enqueue of it writes nothing), to the pay's notify URL
 * unless the operation named its own.
 */
function notice(
  p: Payment,
  notifyType: OutboundNotification['notifyType'],
  dedupeKey: string,
  payload: MerchantNotification,
  url = p.paymentNotifyUrl,
): OutboundNotification {
  return { merchantId: p.merchantId, paymentId: p.id, notifyType, dedupeKey, url, payload };
}

export function paymentResultNotice(p: Payment): OutboundNotification {
  const { normalUrl: _n, redirectActionForm: _r, ...body } = payResponse(p);
  const payload: PaymentResultNotification = { notifyType: 'PAYMENT_RESULT', ...body, cardInfo: cardInfoOf(p) };
  return notice(p, 'PAYMENT_RESULT', `PAYMENT_RESULT:${p.id}`, payload);
}

/** The capture's merchant response, as a notification (only final captures are notified). */
export function captureResultNotice(p: Payment, c: Capture): OutboundNotification {
  const payload: CaptureResultNotification = { notifyType: 'CAPTURE_RESULT', ...captureResponse(p, c) };
  return notice(p, 'CAPTURE_RESULT', `CAPTURE_RESULT:${c.id}`, payload);
}

/** The refund's merchant response, as a notification, with Antom's `refundStatus`. */
export function refundResultNotice(p: Payment, r: Refund): OutboundNotification {
  const payload: RefundResultNotification = {
    notifyType: 'REFUND_RESULT',
    refundStatus: r.status === 'SUCCESS' ? 'SUCCESS' : 'FAIL',
    ...refundResponse(p, r),
  };
  return notice(p, 'REFUND_RESULT', `REFUND_RESULT:${r.id}`, payload, r.notifyUrl ?? p.paymentNotifyUrl);
}

/**
 * Antom's notifyPayment for an updateAmount (AlipayPayResultNotify, notifyType UPDATE_AMOUNT_RESULT): the
 * update's final result, its ids and the new total as `paymentAmount`. One per update.
 */
export function updateAmountResultNotice(p: Payment, u: AmountUpdate): OutboundNotification {
  const { amount: _a, ...answer } = updateAmountResponse(p, u);
  const payload: UpdateAmountResultNotification = {
    notifyType: 'UPDATE_AMOUNT_RESULT',
    ...answer,
    paymentId: p.paymentId,
    updateRequestId: u.updateRequestId,
    paymentRequestId: p.paymentRequestId,
    paymentAmount: { currency: u.currency, value: u.amount.toString() },
    ...compact({ authExpiryTime: iso(p.authExpiryTime) }),
  };
  return notice(p, 'UPDATE_AMOUNT_RESULT', `UPDATE_AMOUNT_RESULT:${u.id}`, payload);
}

/**
 * notifyDispute as the merchant receives it: Antom's AlipayDisputeNotify fields as the acquirer sent them,
 * with the gateway's ids (its payment, capture and dispute ids, the merchant's paymentRequestId), and no
 * notifyType (Antom's notifyDispute has none). One notice per acquirer notification (`dedupe`).
 */
export function disputeNotice(p: Payment, d: Dispute, relayed: DisputeRelayed, captureId: string | null, dedupe: string): OutboundNotification {
  const payload: DisputeNotification = {
    paymentRequestId: p.paymentRequestId,
    paymentId: p.paymentId,
    disputeId: d.disputeId,
    ...(captureId ? { captureId } : {}),
    ...relayed,
  };
  return notice(p, 'NOTIFY_DISPUTE', `${dedupe}:${d.id}`.slice(0, 200), payload);
}
