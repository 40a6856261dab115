import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { sqlNow } from '../platform/clock';
import { Queryable, runPrepared } from '../platform/database/prepared';
import { RideAlong, TRANSITION_ROW } from '../platform/database/ride-along';
import { insertRow, Sql, sql, updateRow, withCtes } from '../platform/database/sql';
import { Payment } from './payment.entity';
import { PaymentEvent } from './payment-event.entity';
import { assertTransition, canTransition, PAYMENT_STATUSES, PaymentStatus } from './payment-status';

export type { Queryable } from '../platform/database/prepared';

/**
 * Makes the single statement it is part of (its own implicit transaction) commit asynchronously: visible at
 * once, on disk within PostgreSQL's WAL-writer cycle (≤ 3 × wal_writer_delay, 600 ms by default), lost only if
 * PostgreSQL or the machine crashes inside that window — never by a gateway crash. `synchronous_commit`
 * is read when the transaction commits, so a transaction-local set_config in the statement decides it.
 * WAL is flushed in order: any later durable commit (e.g. the capture a notification records next) also
 * flushes this one, so nothing on disk can depend on a write that was lost.
 */
const RECOVERABLE_COMMIT = `(SELECT set_config('synchronous_commit', 'off', true)) AS recoverable_commit`;

/** Statements that ride along with a write, as CTEs after it (see `transitionIf`). */
export type FollowUps = Array<[name: string, part: Sql]>;

/** How a merchant names its payment in a lifecycle request: Antom's paymentId, or its own paymentRequestId. */
export interface PaymentRef {
  paymentId?: string;
  paymentRequestId?: string;
}

/** Every status change goes through `transition`: guard, update and timeline row in the caller's transaction. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly db: DataSource) {}

  findByRequestId(merchantId: string, paymentRequestId: string, em: EntityManager = this.db.manager): Promise<Payment | null> {
    return em.findOneBy(Payment, { merchantId, paymentRequestId });
  }

  findByPaymentId(merchantId: string, paymentId: string, em: EntityManager = this.db.manager): Promise<Payment | null> {
    return em.findOneBy(Payment, { merchantId, paymentId });
  }

  /** By Antom's paymentId (a notification that names only the acquirer's id). */
  findByUpstreamId(upstreamPaymentId: string, q: EntityManager = this.db.manager): Promise<Payment | null> {
    return q.findOneBy(Payment, { upstreamPaymentId });
  }

  /** Locks the row for the rest of the transaction: concurrent operations on one payment queue up here. */
  lock(tx: EntityManager, id: string): Promise<Payment | null> {
    return tx.findOne(Payment, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The merchant's payment named by its paymentId (else its paymentRequestId), locked for the rest of the
   * transaction: the one lock a money operation takes before its guard (OperationRunner), so concurrent
   * captures, cancels, refunds and amount updates of one payment queue up here.
   */
  lockForMerchant(tx: EntityManager, merchantId: string, ref: PaymentRef): Promise<Payment | null> {
    const where = ref.paymentId ? { merchantId, paymentId: ref.paymentId } : { merchantId, paymentRequestId: ref.paymentRequestId };
    return tx.findOne(Payment, { where, lock: { mode: 'pessimistic_write' } });
  }

  /** The payment row and its CREATED timeline row, after `before` (e.g. the vault's card rows), as ONE statement. */
  async insert(q: Queryable, payment: Payment, detail: Record<string, unknown>, before: FollowUps = []): Promise<void> {
    const s = withCtes(
      [...before, ['main', insertRow(this.meta, payment)]],
      eventInsert([payment.id, 'CREATED', null, payment.status, payment.amount, detail]),
    );
    await runPrepared(q, s);
  }

  async transition(
    tx: EntityManager,
    payment: Payment,
    to: PaymentStatus,
    type: string,
    changes: Partial<Payment>,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    const from = payment.status;
    if (from !== to) assertTransition(from, to);
    const done = await this.runTransition(tx, payment, sql('TRUE'), to, type, changes, detail, () => []);
    if (!done) throw new Error('payment not found');
  }

  /**
   * An authorization result applied: the update, its timeline row and `along(next)` (the intents of the
   * other tables' owners: CVV destruction, the acquirer's token, the merchant's notice) as ONE statement.
   * `when`:
   * - 'fresh': the synchronous answer to a pay this process just created, applied only while the payment is
   *   still as it wrote it (RECEIVED, no cancel asked). False: someone else moved the payment first; the
   *   caller falls back to the locking path and sees their change.
   * - 'locked': the caller holds the payment's row lock (always applied).
   * Both roads run the same guard in `assertTransition`. `recoverable(next)` true: the statement commits
   * without waiting for the disk (see RECOVERABLE_COMMIT); only for a write that reconciliation can redo
   * from what is already on disk, and only outside a transaction (`q` the DataSource: its own transaction).
   */
  async applyPayOutcome(
    q: Queryable,
    payment: Payment,
    when: 'fresh' | 'locked',
    to: PaymentStatus,
    type: string,
    changes: Partial<Payment>,
    detail: Record<string, unknown>,
    along: (next: Payment) => RideAlong[],
    recoverable: (next: Payment) => boolean = () => false,
  ): Promise<boolean> {
    if (payment.status !== to) assertTransition(payment.status, to);
    const guard = when === 'fresh' ? sql(`status = 'RECEIVED' AND cancel_requested_at IS NULL`) : sql('TRUE');
    return this.runTransition(
      q,
      payment,
      guard,
      to,
      type,
      changes,
      detail,
      (next) => along(next).flatMap((a) => a.ctes.map(([name, part]): [string, Sql] => [name, part])),
      recoverable,
    );
  }

  private async runTransition(
    q: Queryable,
    payment: Payment,
    guard: Sql,
    to: PaymentStatus,
    type: string,
    changes: Partial<Payment>,
    detail: Record<string, unknown>,
    followUps: (next: Payment) => FollowUps,
    recoverable: (next: Payment) => boolean = () => false,
  ): Promise<boolean> {
    const from = payment.status;
    const updatedAt = new Date();
    const next = Object.assign(new Payment(), payment, changes, { status: to, updatedAt });
    const update = updateRow(this.meta, payment.id, { ...changes, status: to, updatedAt }, guard);
    const ev = eventInsert([payment.id, type, from, to, (changes.authorizedAmount ?? null) as bigint | null, detail], TRANSITION_ROW);
    const s = withCtes(
      [[TRANSITION_ROW, sql(`${update.text} RETURNING id`, update.values)], ['ev', ev], ...followUps(next)],
      sql(`SELECT count(*)::int AS n FROM ${TRANSITION_ROW}${recoverable(next) ? `, ${RECOVERABLE_COMMIT}` : ''}`),
    );
    const rows = await runPrepared<{ n: number }>(q, s);
    if (rows[0]?.n !== 1) return false;
    Object.assign(payment, changes, { status: to, updatedAt });
    return true;
  }

  async event(
    tx: Queryable,
    paymentId: string,
    type: string,
    from: string | null,
    to: string | null,
    amount: bigint | null,
    detail: Record<string, any>,
  ): Promise<void> {
    const ev = eventInsert([paymentId, type, from, to, amount, detail]);
    await tx.query(ev.text, ev.values);
  }

  events(paymentId: string): Promise<PaymentEvent[]> {
    return this.db.getRepository(PaymentEvent).find({ where: { paymentId }, order: { id: 'ASC' } });
  }

  /** A payment the caller holds a reference to (a row lock, an id it just wrote): re-read, and it must exist (rows are never deleted). */
  async reload(id: string, q: EntityManager = this.db.manager): Promise<Payment> {
    const p = await this.findById(id, q);
    if (!p) throw new Error(`payment ${id} vanished: payment rows are never deleted`);
    return p;
  }

  findById(id: string, q: EntityManager = this.db.manager): Promise<Payment | null> {
    return q.findOneBy(Payment, { id });
  }

  /** The status alone, in one read; null when the payment is not ours. */
  async statusOf(id: string): Promise<PaymentStatus | null> {
    // Prepared: every PAYMENT_RESULT notification of a pay reads it (issue 27).
    const rows = await runPrepared<{ status: PaymentStatus }>(this.db, sql(`SELECT status FROM payment WHERE id = $1`, [id]));
    return rows[0]?.status ?? null;
  }

  /** When reconciliation next looks at the payment (null: never). */
  async setNextReconcile(q: Queryable, id: string, at: Date | null): Promise<void> {
    await q.query(`UPDATE payment SET next_reconcile_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Reconciliation looks at the payment by `at` at the latest (sooner if it was due sooner). */
  async reconcileBy(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE payment SET next_reconcile_at = LEAST(COALESCE(next_reconcile_at, 'infinity'), $2) WHERE id = $1`, [id, at]);
  }

  /** Reconciliation looks at the payment now (a notification we could not trust, a late success after cancel). */
  async reconcileNow(q: Queryable, id: string): Promise<void> {
    await q.query(`UPDATE payment SET next_reconcile_at = now() WHERE id = $1`, [id]);
  }

  /** Reconciliation looks now at the payment named by any of these ids (ours, its operations', or the acquirer's). */
  async reconcileNowFor(ids: {
    paymentRequestId?: string;
    captureRequestId?: string;
    refundRequestId?: string;
    upstreamPaymentId?: string;
  }): Promise<void> {
    const now = (where: string, id: string) => this.db.query(`UPDATE payment SET next_reconcile_at = now() WHERE ${where}`, [id]);
    if (ids.paymentRequestId) await now('id = $1', ids.paymentRequestId);
    if (ids.captureRequestId) await now('id = (SELECT payment_id FROM capture WHERE id = $1)', ids.captureRequestId);
    if (ids.refundRequestId) await now('id = (SELECT payment_id FROM refund WHERE id = $1)', ids.refundRequestId);
    if (ids.upstreamPaymentId) await now('upstream_payment_id = $1', ids.upstreamPaymentId);
  }

  /**
   * A cancel asked for, with its reconciliation due from the start: if this process dies during the
   * upstream call, the cancel is resent. From here a late success can no longer make this a charge.
   */
  async requestCancel(tx: EntityManager, p: Payment, nextReconcileAt: Date): Promise<void> {
    p.cancelRequestedAt = p.cancelRequestedAt ?? new Date();
    await tx.update(Payment, { id: p.id }, { cancelRequestedAt: p.cancelRequestedAt, nextReconcileAt });
    await this.event(tx, p.id, 'CANCEL_REQUESTED', p.status, p.status, null, {});
  }

  /** The cancel asked for by reconciliation (an abandoned buyer action), once. */
  async requestCancelOnce(id: string): Promise<void> {
    await this.db.query(`UPDATE payment SET cancel_requested_at = now() WHERE id = $1 AND cancel_requested_at IS NULL`, [id]);
  }

  /** The acquirer refused the cancel: the authorization stands, and may be captured or cancelled again. */
  async clearCancelRequest(tx: EntityManager, p: Payment): Promise<void> {
    await tx.update(Payment, { id: p.id }, { cancelRequestedAt: null });
    p.cancelRequestedAt = null;
  }

  /** The merchant's AVS/CVV policy says REVIEW: flagged for a person, with its timeline row. */
  async flagForReview(tx: EntityManager, p: Payment, detail: Record<string, unknown>): Promise<void> {
    await tx.query(`UPDATE payment SET payment_result_info = payment_result_info || '{"reviewRequired": true}'::jsonb WHERE id = $1`, [p.id]);
    await this.event(tx, p.id, 'REVIEW_REQUIRED', p.status, p.status, null, detail);
  }

  /** The merchant's answer becomes F (the AVS/CVV policy voided the authorization). */
  async answerFailed(q: Queryable, id: string, code: string, message: string): Promise<void> {
    await q.query(`UPDATE payment SET result_status = 'F', result_code = $2, result_message = $3 WHERE id = $1`, [id, code, message]);
  }

  /**
   * A void decided before its cancel goes upstream: F, the cancel asked for and its reconciliation due
   * within `dueSeconds`, with the CANCEL_REQUESTED timeline row.
   */
  async decideVoid(tx: EntityManager, p: Payment, code: string, message: string, dueSeconds: number): Promise<void> {
    await tx.query(
      `UPDATE payment SET result_status = 'F', result_code = $2, result_message = $3, cancel_requested_at = coalesce(cancel_requested_at, now()),
              next_reconcile_at = now() + make_interval(secs => $4) WHERE id = $1`,
      [p.id, code, message, dueSeconds],
    );
    await this.event(tx, p.id, 'CANCEL_REQUESTED', p.status, p.status, null, { resultCode: code });
  }

  /** Reconciliation is done with a payment once it is settled, no cancel is pending and no operation is open. */
  async finishReconcile(id: string): Promise<void> {
    await this.db.query(
      `UPDATE payment SET next_reconcile_at = NULL WHERE id = $1 AND status NOT IN ('RECEIVED', 'UNKNOWN', 'PENDING_ACTION') AND cancel_requested_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM capture WHERE payment_id = $1 AND status IN ('PROCESSING', 'UNKNOWN'))
         AND NOT EXISTS (SELECT 1 FROM refund WHERE payment_id = $1 AND status = 'PROCESSING')`,
      [id],
    );
  }

  /**
   * Timeline and capture rows whose payment is missing (or, for a capture, belongs to another merchant): the
   * integrity their dropped foreign keys no longer check row by row (migration HotTableForeignKeys). Their only
   * writers take the payment from the statement that changed it or under its row lock, and payment rows are
   * never deleted, so both are 0; an operator can run it at any time (anti-joins on payment's primary key).
   */
  async orphanCounts(): Promise<{ paymentEvent: number; capture: number }> {
    const [r] = await this.db.query(
      `SELECT (SELECT count(*) FROM payment_event e WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = e.payment_id))::int AS payment_event,
              (SELECT count(*) FROM capture c
                WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = c.payment_id AND p.merchant_id = c.merchant_id))::int AS capture`,
    );
    return { paymentEvent: r.payment_event, capture: r.capture };
  }

  /** For /metrics: payments whose reconciliation is due now, and how long the oldest of them has been due (seconds). */
  async reconcileQueue(): Promise<{ due: number; oldestDueSeconds: number }> {
    const [r] = await this.db.query(
      `SELECT count(*)::int AS due, COALESCE(EXTRACT(EPOCH FROM now() - min(next_reconcile_at)), 0)::float8 AS oldest
         FROM payment WHERE next_reconcile_at <= now()`,
    );
    return { due: Number(r.due), oldestDueSeconds: Number(r.oldest) };
  }

  /** Claims due payments across instances (SKIP LOCKED) and pushes their next look `leaseSeconds` into the future first. */
  async claimDueForReconcile(leaseSeconds: number, limit: number): Promise<string[]> {
    const r: unknown[] = await this.db.query(
      `UPDATE payment SET next_reconcile_at = coalesce($3::timestamptz, now()) + make_interval(secs => $1) WHERE id IN (
         SELECT id FROM payment WHERE next_reconcile_at <= coalesce($3::timestamptz, now()) ORDER BY next_reconcile_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [leaseSeconds, limit, sqlNow()],
    );
    const rows = (Array.isArray(r[0]) ? r[0] : r) as { id: string }[];
    return rows.map((x) => x.id);
  }

  /**
   * Test kit (settleNow): the merchant's payments reconciliation has still to look at, due or not, oldest due
   * first; or the one named by `ref`, its merchant-facing paymentId or its paymentRequestId. Internal ids.
   */
  async openForReconcile(clientId: string, limit: number, ref?: string): Promise<string[]> {
    const mine = `merchant_id = (SELECT id FROM merchant WHERE client_id = $1)`;
    const rows: { id: string }[] = ref
      ? await this.db.query(`SELECT id FROM payment WHERE ${mine} AND (payment_id = $2 OR payment_request_id = $2) LIMIT $3`, [clientId, ref, limit])
      : await this.db.query(`SELECT id FROM payment WHERE ${mine} AND next_reconcile_at IS NOT NULL ORDER BY next_reconcile_at LIMIT $2`, [
          clientId,
          limit,
        ]);
    return rows.map((x) => x.id);
  }

  /** Test kit (settleNow): reconciliation looks at these payments now (those it still has to look at). */
  async reconcileAllNow(ids: string[]): Promise<void> {
    await this.db.query(
      `UPDATE payment SET next_reconcile_at = coalesce($2::timestamptz, now()) WHERE id = ANY($1::uuid[]) AND next_reconcile_at IS NOT NULL`,
      [ids, sqlNow()],
    );
  }

  /** Test kit (settleNow): how many of these payments reconciliation has due now. */
  async countDue(ids: string[]): Promise<number> {
    const [r] = await this.db.query(
      `SELECT count(*)::int AS n FROM payment WHERE id = ANY($1::uuid[]) AND next_reconcile_at <= coalesce($2::timestamptz, now())`,
      [ids, sqlNow()],
    );
    return Number(r.n);
  }

  /** Test kit (complete3ds): the acquirer's id of the payment named by its paymentId or paymentRequestId. */
  async upstreamIdOf(clientId: string, ref: string): Promise<string | null> {
    const rows: { upstream_payment_id: string | null }[] = await this.db.query(
      `SELECT upstream_payment_id FROM payment
        WHERE merchant_id = (SELECT id FROM merchant WHERE client_id = $1) AND (payment_id = $2 OR payment_request_id = $2)`,
      [clientId, ref],
    );
    return rows[0]?.upstream_payment_id ?? null;
  }

  /** Test kit (settleNow): where each payment stands, as the merchant sees it. */
  async standing(
    ids: string[],
  ): Promise<Array<{ paymentId: string | null; paymentRequestId: string; status: PaymentStatus; resultStatus: string; resultCode: string }>> {
    return this.db.query(
      `SELECT payment_id AS "paymentId", payment_request_id AS "paymentRequestId", status, result_status AS "resultStatus", result_code AS "resultCode"
         FROM payment WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [ids],
    );
  }

  /** Uncaptured authorizations within `leadSeconds` of authExpiryTime whose merchant has a CAPTURE or VOID policy. */
  dueForExpiryPolicy(leadSeconds: number): Promise<DueAuthorization[]> {
    return this.db.query(
      // An authorization answered F (the AVS/CVV policy's) is voided whatever the policy: never captured.
      `SELECT p.merchant_id, p.payment_id, p.status, p.currency, (p.authorized_amount - p.captured_amount)::text AS remaining,
              CASE WHEN p.result_status = 'F' THEN 'VOID' ELSE m.auth_expiry_policy END AS policy
       FROM payment p JOIN merchant m ON m.id = p.merchant_id
       WHERE p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED') AND m.auth_expiry_policy IN ('CAPTURE', 'VOID')
         AND p.auth_expiry_time <= coalesce($2::timestamptz, now()) + make_interval(secs => $1) AND p.auth_expiry_time > coalesce($2::timestamptz, now()) AND p.cancel_requested_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM capture c WHERE c.payment_id = p.id AND c.status IN ('PROCESSING', 'UNKNOWN'))
       ORDER BY p.auth_expiry_time LIMIT 20`,
      [leadSeconds, sqlNow()],
    );
  }

  /**
   * Holds past authExpiryTime are released by the acquirer: EXPIRED, with its timeline row, in one
   * statement, for every status the transition table lets expire (so the table stays the only rule).
   */
  async expirePastDue(limit = 100): Promise<void> {
    const from = PAYMENT_STATUSES.filter((s) => canTransition(s, 'EXPIRED'));
    await this.db.query(
      `WITH expired AS (
         UPDATE payment p SET status = 'EXPIRED', updated_at = now() FROM (
           SELECT id, status FROM payment WHERE status = ANY($1::varchar[]) AND auth_expiry_time <= coalesce($3::timestamptz, now()) LIMIT $2 FOR UPDATE SKIP LOCKED) due
         WHERE p.id = due.id
         RETURNING p.id, due.status AS from_status)
       INSERT INTO payment_event (payment_id, type, from_status, to_status, detail)
       SELECT id, 'AUTHORIZATION_EXPIRED', from_status, 'EXPIRED', '{}'::jsonb FROM expired`,
      [from, limit, sqlNow()],
    );
  }

  /**
   * A partly captured authorization past authExpiryTime: the acquirer released the rest of the hold.
   * The capture closes (CAPTURED, or PARTIALLY_REFUNDED / REFUNDED from the refunded amount) with a
   * REMAINDER_RELEASED timeline row for what was never captured, unless a capture is still open.
   */
  async releaseExpiredRemainders(limit = 100): Promise<void> {
    for (const to of ['CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const) assertTransition('PARTIALLY_CAPTURED', to);
    await this.db.query(
      `WITH released AS (
         UPDATE payment p SET status = CASE WHEN p.refunded_amount = 0 THEN 'CAPTURED' WHEN p.refunded_amount >= p.captured_amount THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END,
                updated_at = now()
         FROM (SELECT id FROM payment WHERE status = 'PARTIALLY_CAPTURED' AND auth_expiry_time <= coalesce($2::timestamptz, now())
                 AND NOT EXISTS (SELECT 1 FROM capture c WHERE c.payment_id = payment.id AND c.status IN ('PROCESSING', 'UNKNOWN'))
               LIMIT $1 FOR UPDATE SKIP LOCKED) due
         WHERE p.id = due.id
         RETURNING p.id, p.status, (p.authorized_amount - p.captured_amount) AS rest)
       INSERT INTO payment_event (payment_id, type, from_status, to_status, amount, detail)
       SELECT id, 'REMAINDER_RELEASED', 'PARTIALLY_CAPTURED', status, rest, '{"reason":"authorization expired"}'::jsonb FROM released`,
      [limit, sqlNow()],
    );
  }

  private get meta() {
    return this.db.getMetadata(Payment);
  }
}

export interface DueAuthorization {
  merchant_id: string;
  payment_id: string;
  status: PaymentStatus;
  currency: string;
  remaining: string;
  policy: 'CAPTURE' | 'VOID';
}

/** Reconciliation looks at the payment within `seconds` (sooner if it was due sooner), as a CTE part. */
export function armReconcileSql(paymentId: string, seconds: number): Sql {
  return sql(
    `UPDATE payment SET next_reconcile_at = LEAST(COALESCE(next_reconcile_at, 'infinity'), now() + make_interval(secs => $2)) WHERE id = $1`,
    [paymentId, seconds],
  );
}

/**
 * Timeline rows from a CTE that yields (payment_id, type, detail), for a batch statement of another
 * table group (the outbox's delivery results): the SQL of payment_event stays here.
 */
export function eventsFromCte(cte: string, typeExpr: string): string {
  return `INSERT INTO payment_event (payment_id, type, detail) SELECT payment_id, ${typeExpr}, detail FROM ${cte}`;
}

type EventValues = [paymentId: string, type: string, from: string | null, to: string | null, amount: bigint | null, detail: Record<string, unknown>];

const EVENT_INSERT = 'INSERT INTO payment_event (payment_id, type, from_status, to_status, amount, detail)';
// Typed placeholders: in `INSERT … SELECT` PostgreSQL cannot take the types from the target columns.
const EVENT_PARAMS = '$1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::bigint, $6::jsonb';

/** A timeline row; with `after`, written only if that CTE returned a row (`INSERT … SELECT … FROM after`). */
export function eventInsert([paymentId, type, from, to, amount, detail]: EventValues, after?: string): Sql {
  const values = [paymentId, type, from, to, amount === null ? null : amount.toString(), JSON.stringify(detail)];
  return sql(after ? `${EVENT_INSERT} SELECT ${EVENT_PARAMS} FROM ${after}` : `${EVENT_INSERT} VALUES (${EVENT_PARAMS})`, values);
}
