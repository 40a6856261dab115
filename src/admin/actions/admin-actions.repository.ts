import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

import { AUDIT_COLUMNS } from '../../audit/audit.service';
import { APPROVAL_VALID_HOURS } from '../admin-settings';
import type { AdminRole } from '../auth/roles';
import type { ApprovalStatus, MoneyAction } from './money-action';

/** An admin_approval_request row joined to its payment and the two people, as SELECT_APPROVAL reads it. */
export interface ApprovalRow {
  id: string;
  action: MoneyAction;
  payment_uuid: string;
  payment_id: string;
  currency: string;
  amount: string;
  request_id: string;
  params: Record<string, unknown> | null;
  status: ApprovalStatus;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  result: Record<string, unknown> | null;
  expired: boolean;
}

export interface RoleLimitRow {
  role: AdminRole;
  currency: string;
  max_amount: string;
  updated_at: Date;
}

export interface NewApproval {
  action: MoneyAction;
  paymentUuid: string;
  currency: string;
  amount: bigint;
  requestId: string;
  params: Record<string, unknown>;
  requestedBy: string;
}

const SELECT_APPROVAL = `SELECT a.id, a.action, a.payment_id AS payment_uuid, p.payment_id, a.currency, a.amount::text, a.request_id, a.params, a.status,
  a.requested_by, ru.username AS requested_by_name, a.requested_at, a.decided_by, du.username AS decided_by_name, a.decided_at, a.result,
  (a.status = 'PENDING' AND a.requested_at < now() - make_interval(hours => ${APPROVAL_VALID_HOURS})) AS expired
  FROM admin_approval_request a JOIN payment p ON p.id = a.payment_id JOIN admin_user ru ON ru.id = a.requested_by
  LEFT JOIN admin_user du ON du.id = a.decided_by`;

/** Audit entries that set someone's password: creating the account, or an admin's reset. */
const CREDENTIAL_GRANTS = `a.outcome = 'SUCCESS' AND (a.action = 'CREATE_USER' OR (a.action = 'CHANGE_USER' AND a.detail->>'op' = 'reset-password'))`;

/**
 * What a circle captured, refunded or conceded on its own say-so (no approval), as `sum` over the entries
 * that also match `where`. An entry repeats, never adds to, another of the same (request id, payment,
 * dispute): the lifecycle service deduplicates request ids per merchant and refuses one already used on
 * another payment or amount of that merchant (REPEAT_REQ_INCONSISTENT), so money moves at most once per
 * (request id, payment), and a dispute is conceded once. Request ids are NOT unique across merchants: the
 * form's id can be sent again on another merchant's payment, where it moves money a second time (issue 23:
 * one id on twelve merchants' payments counted once hid EUR 11,000.01 from the daily threshold). So the
 * payment and the dispute belong to the key, and each group counts its largest amount (never less than moved).
 * An entry without a request id counts on its own.
 */
function unapprovedSum(where: string): string {
  return `SELECT coalesce(sum(amount), 0)::text AS s FROM (
    SELECT max((a.detail->>'amount')::bigint) AS amount FROM audit_log a
    WHERE a.action = $1 AND a.actor_id = ANY($2::uuid[]) AND a.outcome IN ('SUCCESS', 'UNKNOWN') AND ${where}
    GROUP BY coalesce(a.detail->>'requestId', 'audit:' || a.id), a.target, a.detail->>'disputeId'
  ) x`;
}

/**
 * The console's money-action tables: admin_approval_request (four-eyes requests), admin_role_limit, and
 * the audit_log reads the cumulative controls and result pages make. None of these runs in a caller's transaction.
 */
@Injectable()
export class AdminActionsRepository {
  constructor(private readonly db: DataSource) {}

  // --- admin_approval_request

  /** Idempotent on the request id: a second insert with the same request id writes nothing. */
  async insertApproval(r: NewApproval): Promise<void> {
    await this.db.query(
      `INSERT INTO admin_approval_request (action, payment_id, currency, amount, request_id, params, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) ON CONFLICT (request_id) DO NOTHING`,
      [r.action, r.paymentUuid, r.currency, r.amount.toString(), r.requestId, r.params, r.requestedBy],
    );
  }

  async approvalByRequestId(requestId: string): Promise<ApprovalRow | undefined> {
    const rows: ApprovalRow[] = await this.db.query(`${SELECT_APPROVAL} WHERE a.request_id = $1`, [requestId]);
    return rows[0];
  }

  async approvalById(id: string): Promise<ApprovalRow | undefined> {
    const rows: ApprovalRow[] = await this.db.query(`${SELECT_APPROVAL} WHERE a.id = $1`, [id]);
    return rows[0];
  }

  /** Newest first, at most 200. */
  async listApprovals(opts: { pendingOnly?: boolean; paymentUuid?: string }): Promise<ApprovalRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.pendingOnly) where.push(`a.status = 'PENDING'`);
    if (opts.paymentUuid) {
      params.push(opts.paymentUuid);
      where.push(`a.payment_id = $${params.length}`);
    }
    return this.db.query(`${SELECT_APPROVAL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY a.requested_at DESC LIMIT 200`, params);
  }

  /** One conditional UPDATE, so two approvers cannot both claim it; false when it is not pending, expired, or the approver is the requester. */
  async claimApproval(id: string, approverId: string): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_approval_request SET status = 'EXECUTING', decided_by = $2, decided_at = now()
       WHERE id = $1 AND status = 'PENDING' AND requested_by <> $2 AND requested_at >= now() - make_interval(hours => $3) RETURNING id`,
      [id, approverId, APPROVAL_VALID_HOURS],
    );
    return rows.length > 0;
  }

  async finishApproval(id: string, status: ApprovalStatus, result: Record<string, unknown>): Promise<void> {
    await this.db.query('UPDATE admin_approval_request SET status = $2, result = $3 WHERE id = $1', [id, status, result]);
  }

  async rejectApproval(id: string, by: string): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_approval_request SET status = 'REJECTED', decided_by = CASE WHEN requested_by = $2 THEN NULL ELSE $2::uuid END, decided_at = now()
       WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [id, by],
    );
    return rows.length > 0;
  }

  // --- admin_role_limit

  listRoleLimits(): Promise<RoleLimitRow[]> {
    return this.db.query('SELECT role, currency, max_amount::text AS max_amount, updated_at FROM admin_role_limit ORDER BY role, currency');
  }

  /** The currency's own row, else the '*' row; undefined when neither exists. */
  async roleLimitFor(role: AdminRole, currency: string): Promise<string | undefined> {
    const rows: Array<{ m: string }> = await this.db.query(
      `SELECT max_amount::text AS m FROM admin_role_limit WHERE role = $1 AND currency IN ($2, '*') ORDER BY (currency = $2) DESC LIMIT 1`,
      [role, currency],
    );
    return rows[0]?.m;
  }

  async upsertRoleLimit(role: AdminRole, currency: string, maxAmount: bigint, by: string): Promise<void> {
    await this.db.query(
      `INSERT INTO admin_role_limit (role, currency, max_amount, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (role, currency) DO UPDATE SET max_amount = EXCLUDED.max_amount, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [role, currency, maxAmount.toString(), by],
    );
  }

  async deleteRoleLimit(role: AdminRole, currency: string): Promise<void> {
    await this.db.query('DELETE FROM admin_role_limit WHERE role = $1 AND currency = $2', [role, currency]);
  }

  // --- audit_log reads (action results)

  /** The actor's own entries among `ids` with one of `actions`, oldest first (raw rows for toAuditRow). */
  actorEntries(ids: string[], actorId: string, actions: string[]): Promise<unknown[]> {
    return this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id = ANY($1::bigint[]) AND actor_id = $2 AND action = ANY($3) ORDER BY audit_log.id`,
      [ids, actorId, actions],
    );
  }

  /** The first PENDING entry of `action` on the target for this request id (numeric order: `id` alone is the text alias). */
  async pendingRequestAuditId(action: string, target: string, requestId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id::text AS id FROM audit_log WHERE action = $1 AND target = $2 AND outcome = 'PENDING' AND detail->>'requestId' = $3 ORDER BY audit_log.id LIMIT 1`,
      [action, target, requestId],
    );
    return rows[0]?.id ?? null;
  }

  // --- audit_log / admin_approval_request reads (cumulative controls)

  /** Accounts whose last password grant involves `userId`, as (account, who set its password) pairs. */
  circleRows(userId: string): Promise<Array<{ id: string; setter: string }>> {
    return this.db.query(
      `WITH last_grant AS (
         SELECT DISTINCT ON (a.target) a.target AS username, a.actor_id AS setter FROM audit_log a
         WHERE ${CREDENTIAL_GRANTS} AND a.actor_id IS NOT NULL ORDER BY a.target, a.id DESC
       )
       SELECT u.id::text AS id, g.setter::text AS setter FROM last_grant g JOIN admin_user u ON u.username = g.username
       WHERE u.id = $1 OR g.setter = $1`,
      [userId],
    );
  }

  /** Every credential grant by an account (not the system's first admin), oldest first, with both names. */
  credentialGrants(): Promise<Array<{ account: string; account_name: string; setter: string; setter_name: string; at: Date }>> {
    return this.db.query(
      `SELECT u.id::text AS account, u.username AS account_name, s.id::text AS setter, s.username AS setter_name, a.occurred_at AS at
       FROM audit_log a JOIN admin_user u ON u.username = a.target JOIN admin_user s ON s.id = a.actor_id
       WHERE ${CREDENTIAL_GRANTS} ORDER BY a.id`,
    );
  }

  unapprovedOnPayment(circle: string[], action: MoneyAction, paymentId: string): Promise<bigint> {
    return this.sum(unapprovedSum('a.target = $3'), [action, circle, paymentId]);
  }

  unapprovedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    return this.sum(unapprovedSum(`a.detail->>'currency' = $3 AND a.occurred_at > now() - interval '24 hours'`), [action, circle, currency]);
  }

  /** The circle's four-eyes requests over the last 24 hours that are waiting (unexpired), running or done. */
  requestedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    return this.sum(
      `SELECT coalesce(sum(amount), 0)::text AS s FROM admin_approval_request
       WHERE action = $1 AND requested_by = ANY($2::uuid[]) AND currency = $3 AND requested_at > now() - interval '24 hours'
         AND (status IN ('EXECUTING', 'EXECUTED', 'UNKNOWN') OR (status = 'PENDING' AND requested_at >= now() - make_interval(hours => $4)))`,
      [action, circle, currency, APPROVAL_VALID_HOURS],
    );
  }

  // --- session advisory locks (cumulative controls' serialization)

  /** A connection of its own: session advisory locks belong to the connection that took them. */
  async connectedRunner(): Promise<QueryRunner> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    return runner;
  }

  async tryAdvisoryLock(runner: QueryRunner, key: string): Promise<boolean> {
    const [{ ok }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
    return ok;
  }

  async advisoryUnlock(runner: QueryRunner, key: string): Promise<void> {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
  }

  private async sum(sql: string, params: unknown[]): Promise<bigint> {
    const [row] = await this.db.query(sql, params);
    return BigInt(row.s);
  }
}
