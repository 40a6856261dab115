import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { eventInsert, eventsFromCte, FollowUps } from '../../payments/payments.repository';
import { sqlNow } from '../../platform/clock';
import { Queryable, runPrepared } from '../../platform/database/prepared';
import { RideAlong, TRANSITION_ROW } from '../../platform/database/ride-along';
import { Sql, sql, withCtes } from '../../platform/database/sql';
import type { OutboundNotification, OutboundVaultingNotification } from './outbound-notification';

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
    [
      'notice_event',
      eventInsert(
        [n.paymentId, holdSeconds > 0 ? 'NOTIFICATION_HELD' : 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType }],
        'notice',
      ),
    ],
  ];
}

/** Intent: queue the merchant's notice (held `holdSeconds`, see `enqueueCtes`) in the statement of the transition it tells of. */
export function noticeQueuedAlong(n: OutboundNotification, holdSeconds = 0): RideAlong {
  return { ctes: enqueueCtes(n, TRANSITION_ROW, holdSeconds) };
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

/** A notice leased for delivery (`claimDue`), with the merchant's client id to sign it for. */
export interface ClaimedNotification {
  id: string;
  /** Null for a vaulting's notice (notifyVaulting): no payment, no ordering, no timeline. */
  payment_id: string | null;
  notify_type: string;
  url: string;
  body: string;
  attempts: number;
  client_id: string;
}

/** One delivery attempt's outcome, as `recordDeliveries` writes it. */
export interface DeliveryRecord {
  id: string;
  paymentId: string | null;
  status: 'DELIVERED' | 'FAILED' | 'PENDING';
  delayMs: number;
  error: string | null;
  attempt: number;
  httpStatus: number | null;
  outcome: 'ACKED' | 'REJECTED' | 'ERROR';
  durationMs: number;
  attemptedAt: Date;
  /** The timeline event's detail, as JSON text. */
  detail: string;
}

/**
 * merchant_notification and notification_attempt: the outbox, whose rows are the delivery job queue. Writes
 * that go with a state change take the caller's transaction; the worker's claim and results run on their own.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: DataSource) {}

  /** The notice and (only when it is new) its NOTIFICATION_QUEUED timeline row, as one statement. */
  async enqueue(tx: Queryable, n: OutboundNotification): Promise<void> {
    const ctes = enqueueCtes(n);
    if (!ctes.length) return;
    await runPrepared(tx, withCtes(ctes, sql('SELECT 1')));
  }

  /** See `releaseHeldNoticeSql`; false when no notice was held. */
  async releaseHeld(q: Queryable, n: OutboundNotification): Promise<boolean> {
    const { release, event } = releaseHeldNoticeSql(n);
    const s = withCtes(
      [
        ['released', release],
        ['ev', event],
      ],
      sql('SELECT count(*)::int AS n FROM released'),
    );
    const rows: Array<{ n: number }> = await q.query(s.text, s.values);
    return rows[0]?.n === 1;
  }

  async rewritePending(q: Queryable, n: OutboundNotification): Promise<void> {
    await q.query(`UPDATE merchant_notification SET body = $2 WHERE dedupe_key = $1 AND status = 'PENDING'`, [
      n.dedupeKey,
      JSON.stringify(n.payload),
    ]);
  }

  async enqueueVaulting(tx: Queryable, n: OutboundVaultingNotification): Promise<void> {
    await tx.query(
      `INSERT INTO merchant_notification (merchant_id, vaulting_id, notify_type, dedupe_key, url, body, next_attempt_at)
       VALUES ($1, $2, 'VAULTING_RESULT', $3, $4, $5, now()) ON CONFLICT (dedupe_key) DO NOTHING`,
      [n.merchantId, n.vaultingId, n.dedupeKey, n.url, JSON.stringify(n.payload)],
    );
  }

  /** See `retryNowSql`; false when no notice was made due. */
  async retryNow(q: Queryable, paymentId: string, notificationId: string, by: string): Promise<boolean> {
    const s = retryNowSql(paymentId, notificationId, by);
    const rows: unknown[] = await q.query(s.text, s.values);
    return rows.length === 1;
  }

  /**
   * The outbox's child rows whose parent is missing: the integrity the dropped foreign keys no longer check
   * row by row (migration HotTableForeignKeys; the payment side is `PaymentsRepository.orphanCounts`). Each
   * child has one writer that takes the parent from the statement or transaction that wrote or locked it, so
   * every count is 0; an operator can run it at any time (anti-joins on the parents' primary keys), and
   * `test/db/orphans.db-spec.ts` runs it after every writer.
   */
  async orphanCounts(): Promise<{ notificationPayment: number; notificationMerchant: number; attempt: number }> {
    const [r] = await this.db.query(
      `SELECT (SELECT count(*) FROM merchant_notification n
                WHERE n.payment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = n.payment_id))::int AS notification_payment,
              (SELECT count(*) FROM merchant_notification n WHERE NOT EXISTS (SELECT 1 FROM merchant m WHERE m.id = n.merchant_id))::int AS notification_merchant,
              (SELECT count(*) FROM notification_attempt a
                WHERE NOT EXISTS (SELECT 1 FROM merchant_notification n WHERE n.id = a.notification_id))::int AS attempt`,
    );
    return { notificationPayment: r.notification_payment, notificationMerchant: r.notification_merchant, attempt: r.attempt };
  }

  /** PENDING rows (due, backing off, leased or held) and the age of the oldest, in seconds. */
  async backlog(): Promise<{ pending: number; oldestSeconds: number }> {
    const [r] = await this.db.query(
      `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
         FROM merchant_notification WHERE status = 'PENDING'`,
    );
    return { pending: Number(r.pending), oldestSeconds: Number(r.oldest) };
  }

  /**
   * Leases up to `batch` due notices for `leaseSeconds`, as one statement (FOR UPDATE SKIP LOCKED: instances
   * claim disjoint rows). A notice waits while an older one of its payment is still pending (due, leased to
   * a sender on any instance, held, or backing off): a merchant hears PAYMENT_RESULT before CAPTURE_RESULT
   * before REFUND_RESULT, and never two of one payment at once.
   */
  claimDue(leaseSeconds: number, batch: number): Promise<ClaimedNotification[]> {
    // Prepared (issue 27): the delivery worker's hot statement, planned once per connection.
    return runPrepared<ClaimedNotification>(
      this.db,
      sql(
        `UPDATE merchant_notification n SET attempts = n.attempts + 1, next_attempt_at = coalesce($3::timestamptz, now()) + make_interval(secs => $1)
       FROM merchant m
       WHERE m.id = n.merchant_id AND n.id IN (
         SELECT id FROM merchant_notification d WHERE status = 'PENDING' AND next_attempt_at <= coalesce($3::timestamptz, now())
           AND NOT EXISTS (SELECT 1 FROM merchant_notification o WHERE o.payment_id = d.payment_id AND o.status = 'PENDING' AND (o.created_at, o.id) < (d.created_at, d.id))
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.payment_id, n.notify_type, n.url, n.body, n.attempts, m.client_id`,
        // The retry schedule's time is the clock's (src/platform/clock.ts: the test kit may move it).
        [leaseSeconds, batch, sqlNow()],
      ),
    );
  }

  /**
   * Delivery results as ONE statement (atomic without BEGIN/COMMIT): each row's new state, its attempt
   * log row and, for a failed attempt, its timeline event. Until it commits the rows stay leased, so a
   * crash means a resend. An acknowledged delivery writes no timeline row (issue 27: one row per internal
   * step was 2 of a pay's 7): the console's "Merchant notifications" section shows it from the notice
   * (DELIVERED, delivered_at) and its attempt log (`notification_attempt`, append-only) — the same facts.
   */
  async recordDeliveries(results: DeliveryRecord[]): Promise<void> {
    const col = <T>(f: (r: DeliveryRecord) => T) => results.map(f);
    // Prepared (issue 27): one text whatever the batch size (the rows are arrays).
    await runPrepared(
      this.db,
      sql(
        `WITH r AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::float8[], $5::varchar[], $6::int[], $7::int[], $8::varchar[], $9::int[], $10::timestamptz[], $11::jsonb[])
           AS r(id, payment_id, status, delay_ms, error, attempt, http_status, outcome, duration_ms, attempted_at, detail)
       ), m AS (
         UPDATE merchant_notification n SET status = r.status,
           next_attempt_at = CASE WHEN r.status = 'PENDING' THEN coalesce($12::timestamptz, now()) + make_interval(secs => r.delay_ms / 1000) END,
           last_error = r.error, delivered_at = CASE WHEN r.status = 'DELIVERED' THEN now() END
         FROM r WHERE n.id = r.id
       ), a AS (
         INSERT INTO notification_attempt (notification_id, attempt, attempted_at, http_status, outcome, error, duration_ms)
         SELECT id, attempt, attempted_at, http_status, outcome, error, duration_ms FROM r
       )
       ${eventsFromCte(`r WHERE r.payment_id IS NOT NULL AND r.outcome <> 'ACKED'`, `'NOTIFICATION_' || outcome`)}`,
        [
          col((r) => r.id),
          col((r) => r.paymentId),
          col((r) => r.status),
          col((r) => r.delayMs),
          col((r) => r.error),
          col((r) => r.attempt),
          col((r) => r.httpStatus),
          col((r) => r.outcome),
          col((r) => r.durationMs),
          col((r) => r.attemptedAt),
          col((r) => r.detail),
          sqlNow(),
        ],
      ),
    );
  }
}
