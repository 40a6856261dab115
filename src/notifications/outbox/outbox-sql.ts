import { FollowUps, eventInsert } from '../../payments/payments.repository';
import { sql } from '../../platform/database/sql';
import { OutboundNotification } from './outbox.service';

/**
 * `OutboxService.enqueue` as CTEs that ride along with a payment's state change (written only if the CTE
 * `after` returned a row), so the change and its notice commit in one statement. Same rows either way.
 */
export function enqueueCtes(n: OutboundNotification, after: string): FollowUps {
  if (!n.url) return [];
  return [
    ['notice', sql(
      `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
       SELECT $1::uuid, $2::uuid, $3::varchar, $4::varchar, $5::varchar, $6::text, now() FROM ${after}
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [n.merchantId, n.paymentId, n.notifyType, n.dedupeKey, n.url, JSON.stringify(n.payload)],
    )],
    ['notice_event', eventInsert([n.paymentId, 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }], 'notice')],
  ];
}
