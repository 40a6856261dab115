import { Injectable } from '@nestjs/common';

/** The caller's transaction (an EntityManager) or anything else that runs SQL. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface OutboundNotification {
  merchantId: string;
  paymentId: string;
  notifyType: 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT';
  /** One notification per final outcome: a second enqueue of the same outcome is a no-op. */
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

/**
 * Enqueues merchant notifications in the caller's transaction, so a state change and its notice commit
 * together. One statement: the notice and (only when it is new) its NOTIFICATION_QUEUED timeline event.
 */
@Injectable()
export class OutboxService {
  async enqueue(tx: Queryable, n: OutboundNotification): Promise<void> {
    if (!n.url) return;
    await tx.query(
      `WITH q AS (
         INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (dedupe_key) DO NOTHING RETURNING payment_id
       )
       INSERT INTO payment_event (payment_id, type, detail) SELECT payment_id, 'NOTIFICATION_QUEUED', $7::jsonb FROM q`,
      [n.merchantId, n.paymentId, n.notifyType, n.dedupeKey, n.url, JSON.stringify(n.payload), JSON.stringify({ notifyType: n.notifyType })],
    );
  }
}
