import { DataSource } from 'typeorm';
import { parseRequestTime } from '../antom/request-time';

/**
 * Replay window for the acquirer's notifications: a signed notification whose Request-Time does not
 * parse, or lies outside ±window of now, is not applied (a 30-day-old signed result must not move
 * money or state today). It is still acknowledged with Antom's fixed ack, since any other answer makes
 * Antom send it again and again; the truth is fetched by inquiry instead (the payment is scheduled for
 * reconciliation at once, which also settles its open captures and refunds).
 */
export function staleNotifyTime(requestTime: string | undefined, windowSeconds: number, now = Date.now()): string | null {
  const at = parseRequestTime(requestTime);
  if (at === null) return 'unparsable Request-Time';
  if (Math.abs(now - at) > windowSeconds * 1000) return `Request-Time outside the ${windowSeconds} s window`;
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** Schedules the notification's payment (found by our payment, capture or refund id) for an inquiry now. */
export async function reconcileInstead(db: DataSource, body: Record<string, unknown> | null): Promise<void> {
  if (!body) return;
  const { paymentRequestId, captureRequestId, refundRequestId } = body;
  if (isId(paymentRequestId)) await db.query(`UPDATE payment SET next_reconcile_at = now() WHERE id = $1`, [paymentRequestId]);
  if (isId(captureRequestId)) await db.query(`UPDATE payment SET next_reconcile_at = now() WHERE id = (SELECT payment_id FROM capture WHERE id = $1)`, [captureRequestId]);
  if (isId(refundRequestId)) await db.query(`UPDATE payment SET next_reconcile_at = now() WHERE id = (SELECT payment_id FROM refund WHERE id = $1)`, [refundRequestId]);
  if (typeof body.paymentId === 'string' && body.paymentId.length <= 64) {
    await db.query(`UPDATE payment SET next_reconcile_at = now() WHERE upstream_payment_id = $1`, [body.paymentId]);
  }
}
