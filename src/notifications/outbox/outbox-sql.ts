import { FollowUps, eventInsert } from '../../payments/payments.repository';
import { Sql, sql } from '../../platform/database/sql';
import type { OutboundNotification } from './outbox.service';

const PARAMS = '$1::uuid, $2::uuid, $3::varchar, $4::varchar, $5::varchar, $6::text, now() + make_interval(secs => $7::int)';

/**
 * The notice row; with `after`, written only if that CTE returned a row. A second enqueue of the same
 * outcome (same dedupe key) writes nothing and returns no row. `holdSeconds`: not deliverable before then.
 */
function noticeInsert(n: OutboundNotification, after: string | undefined, holdSeconds: number): Sql {
  return sql(
    `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
     ${after ? `SELECT ${PARAMS} FROM ${after}` : `VALUES (${PARAMS})`} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [n.merchantId, n.paymentId, n.notifyType, n.dedupeKey, n.url, JSON.stringify(n.payload), holdSeconds],
  );
}

/**
 * The notice and (only when it is new) its NOTIFICATION_QUEUED timeline row, as CTEs that ride along
 * with a payment's state change, so the change and its notice commit in one statement.
 * `holdSeconds` > 0: the notice is written now but not deliverable until then (NOTIFICATION_HELD), for a
 * caller that may still change its body and release it (`releaseHeldNoticeSql`); if that caller dies
 * first, the notice still goes out once the hold passes, so it is never lost.
 */
export function enqueueCtes(n: OutboundNotification, after?: string, holdSeconds = 0): FollowUps {
  if (!n.url) return [];
  return [
    ['notice', noticeInsert(n, after, holdSeconds)],
    ['notice_event', eventInsert([n.paymentId, holdSeconds > 0 ? 'NOTIFICATION_HELD' : 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }], 'notice')],
  ];
}

/**
 * Releases a notice `enqueueCtes` held: its final body, deliverable now, and the NOTIFICATION_QUEUED
 * timeline row. Touches only a notice still held and never attempted (a leased one is being sent).
 */
export function releaseHeldNoticeSql(n: OutboundNotification): { release: Sql; event: Sql } {
  const release = sql(
    `UPDATE merchant_notification SET body = $2, next_attempt_at = now()
      WHERE dedupe_key = $1 AND status = 'PENDING' AND attempts = 0 AND next_attempt_at > now() RETURNING id`,
    [n.dedupeKey, JSON.stringify(n.payload)],
  );
  return { release, event: eventInsert([n.paymentId, 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }], 'released') };
}
