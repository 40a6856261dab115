import { FollowUps, eventInsert, eventsFromCte } from '../../payments/payments.repository';
import { Sql, sql } from '../../platform/database/sql';
import type { OutboundNotification } from './outbox.service';

/** A notice written held (`enqueueCtes` with holdSeconds): never attempted, not yet due. `t`: a table alias. */
export const heldNotice = (t = 'merchant_notification') => `${t}.status = 'PENDING' AND ${t}.attempts = 0 AND ${t}.next_attempt_at > now()`;

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
      WHERE dedupe_key = $1 AND ${heldNotice()} RETURNING id`,
    [n.dedupeKey, JSON.stringify(n.payload)],
  );
  return { release, event: eventInsert([n.paymentId, 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }], 'released') };
}

/**
 * Makes an undelivered notice of this payment due now, for a person who asks (the admin console), with
 * its timeline row. A held notice is left alone: its body may still change (an AVS void) and the caller
 * that holds it releases it; sending it early could tell the merchant S for a payment about to be voided.
 */
export function retryNowSql(paymentId: string, notificationId: string, by: string): Sql {
  return sql(
    `WITH due AS (
       UPDATE merchant_notification SET status = 'PENDING', next_attempt_at = now()
        WHERE id = $1 AND payment_id = $2 AND status IN ('PENDING', 'FAILED') AND NOT (${heldNotice()}) RETURNING notify_type
     ), ev AS (
       ${eventsFromCte(`(SELECT $2::uuid AS payment_id, jsonb_build_object('notifyType', notify_type, 'by', $3::text) AS detail FROM due) d`, `'NOTIFICATION_RETRY_REQUESTED'`)}
     )
     SELECT notify_type FROM due`,
    [notificationId, paymentId, by],
  );
}
