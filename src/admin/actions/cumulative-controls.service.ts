import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APPROVAL_VALID_HOURS } from '../admin-settings';
import { MoneyAction } from './approvals.service';

/** Audit entries that set someone's password: creating the account, or an admin's reset. */
const CREDENTIAL_GRANTS = `a.outcome = 'SUCCESS' AND (a.action = 'CREATE_USER' OR (a.action = 'CHANGE_USER' AND a.detail->>'op' = 'reset-password'))`;

/** Captures or refunds a person ran on their own say-so (no approval), once per request id (a resubmission repeats, it does not add). */
const UNAPPROVED = `SELECT DISTINCT ON (a.detail->>'requestId') (a.detail->>'amount')::bigint AS amount
  FROM audit_log a WHERE a.action = $1 AND a.actor_id = ANY($2::uuid[]) AND a.outcome IN ('SUCCESS', 'UNKNOWN')`;

/**
 * Four-eyes and role limits count what a person moved, not one action at a time: four EUR 1,000 captures
 * weigh what one EUR 4,000 capture does. "A person" is the account and every account that might be the same
 * human being: whoever last set its password (created it or reset it — they knew that password), and every
 * account whose password it last set. Read from the hash-chained audit log, which nobody can quietly edit.
 */
@Injectable()
export class CumulativeControlsService {
  constructor(private readonly db: DataSource) {}

  /** The account, who last set its password, and the accounts whose password it last set. */
  async circle(userId: string): Promise<string[]> {
    const rows = await this.db.query(
      `WITH last_grant AS (
         SELECT DISTINCT ON (a.target) a.target AS username, a.actor_id AS setter FROM audit_log a
         WHERE ${CREDENTIAL_GRANTS} AND a.actor_id IS NOT NULL ORDER BY a.target, a.id DESC
       )
       SELECT u.id::text AS id, g.setter::text AS setter FROM last_grant g JOIN admin_user u ON u.username = g.username
       WHERE u.id = $1 OR g.setter = $1`,
      [userId],
    );
    const ids = new Set<string>([userId]);
    for (const r of rows as { id: string; setter: string }[]) ids.add(r.id === userId ? r.setter : r.id);
    return [...ids];
  }

  /**
   * True when one of the two set the other's password at any time up to now that still stands, or at all since
   * `since` (the request's life): the approver might then be the requester under a second account.
   */
  async linked(requesterId: string, approverId: string, since: Date): Promise<boolean> {
    if (requesterId === approverId) return true;
    if ((await this.circle(requesterId)).includes(approverId)) return true;
    const [row] = await this.db.query(
      `SELECT count(*)::int AS n FROM audit_log a JOIN admin_user u ON u.username = a.target
       WHERE ${CREDENTIAL_GRANTS} AND a.occurred_at >= $3
         AND ((a.actor_id = $1 AND u.id = $2) OR (a.actor_id = $2 AND u.id = $1))`,
      [requesterId, approverId, since],
    );
    return row.n > 0;
  }

  /** What the circle captured (or refunded) on this payment without anyone's approval. */
  async unapprovedOnPayment(circle: string[], action: MoneyAction, paymentId: string): Promise<bigint> {
    return this.sum(`SELECT coalesce(sum(amount), 0)::text AS s FROM (${UNAPPROVED} AND a.target = $3 ORDER BY a.detail->>'requestId', a.id) x`, [action, circle, paymentId]);
  }

  /** What the circle captured (or refunded) in this currency over the last 24 hours without anyone's approval. */
  async unapprovedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    return this.sum(
      `SELECT coalesce(sum(amount), 0)::text AS s FROM (${UNAPPROVED} AND a.detail->>'currency' = $3 AND a.occurred_at > now() - interval '24 hours' ORDER BY a.detail->>'requestId', a.id) x`,
      [action, circle, currency],
    );
  }

  /**
   * Everything the circle moved or asked to move in this currency over the last 24 hours: its own captures
   * (refunds) plus its four-eyes requests that are waiting, running or done — what role limits count.
   */
  async askedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    const own = await this.unapprovedLastDay(circle, action, currency);
    const requested = await this.sum(
      `SELECT coalesce(sum(amount), 0)::text AS s FROM admin_approval_request
       WHERE action = $1 AND requested_by = ANY($2::uuid[]) AND currency = $3 AND requested_at > now() - interval '24 hours'
         AND (status IN ('EXECUTING', 'EXECUTED', 'UNKNOWN') OR (status = 'PENDING' AND requested_at >= now() - make_interval(hours => $4)))`,
      [action, circle, currency, APPROVAL_VALID_HOURS],
    );
    return own + requested;
  }

  /**
   * Runs `fn` while no other console money action in this currency runs (every gateway instance): the
   * totals read before an action cannot be overtaken by a second tab submitting at the same moment.
   */
  async serialized<T>(currency: string, fn: () => Promise<T>): Promise<T> {
    const key = `admin-money:${currency}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      // Only the holder keeps a connection: waiters try again, so they cannot use up the pool the holder needs.
      const runner = this.db.createQueryRunner();
      await runner.connect();
      try {
        const [{ ok }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
        if (ok) {
          try {
            return await fn();
          } finally {
            await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
          }
        }
      } finally {
        await runner.release();
      }
      if (Date.now() > deadline) throw new Error('another console money action in this currency is still running');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }

  private async sum(sql: string, params: unknown[]): Promise<bigint> {
    const [row] = await this.db.query(sql, params);
    return BigInt(row.s);
  }
}
