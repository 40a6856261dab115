import { FollowUps, eventInsert } from '../../payments/payments.repository';
import { Sql, sql } from '../../platform/database/sql';
import type { OutboundNotification } from './outbox.service';

const PARAMS = '$1::uuid, $2::uuid, $3::varchar, $4::varchar, $5::varchar, $6::text, now()';

/**
 * The notice row; with `after`, written only if that CTE returned a row. A second enqueue of the same
 * outcome (same dedupe key) writes nothing and returns no row.
 */
function noticeInsert(n: OutboundNotification, after?: string): Sql {
  return sql(
    `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
     ${after ? `SELECT ${PARAMS} FROM ${after}` : `VALUES (${PARAMS})`} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [n.merchantId, n.paymentId, n.notifyType, n.dedupeKey, n.url, JSON.stringify(n.payload)],
  );
}

/**
 * The notice and (only when it is new) its NOTIFICATION_QUEUED timeline row, as CTEs that ride along
 * with a payment's state change, so the change and its notice commit in one statement.
 */
export function enqueueCtes(n: OutboundNotification, after?: string): FollowUps {
  if (!n.url) return [];
  return [
    ['notice', noticeInsert(n, after)],
    ['notice_event', eventInsert([n.paymentId, 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }], 'notice')],
  ];
}
