import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APPROVAL_VALID_HOURS } from '../admin-settings';

/** ACCEPT_DISPUTE: an operator concedes a chargeback; the disputed amount counts like a refund's. */
export type MoneyAction = 'CAPTURE' | 'REFUND' | 'ACCEPT_DISPUTE';

/** How each action reads in sentences: "may not capture", "already refunded". */
export const ACTION_WORDS: Record<MoneyAction, { verb: string; done: string }> = {
  CAPTURE: { verb: 'capture', done: 'captured' },
  REFUND: { verb: 'refund', done: 'refunded' },
  ACCEPT_DISPUTE: { verb: 'accept a dispute', done: 'conceded in accepted disputes' },
};
export type ApprovalStatus = 'PENDING' | 'EXECUTING' | 'EXECUTED' | 'FAILED' | 'UNKNOWN' | 'REJECTED';

export interface ApprovalRequest {
  id: string;
  action: MoneyAction;
  paymentUuid: string;
  paymentId: string;
  currency: string;
  amount: bigint;
  requestId: string;
  params: Record<string, unknown>;
  status: ApprovalStatus;
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  result: Record<string, unknown> | null;
  expired: boolean;
}

const SELECT = `SELECT a.id, a.action, a.payment_id AS payment_uuid, p.payment_id, a.currency, a.amount::text, a.request_id, a.params, a.status,
  a.requested_by, ru.username AS requested_by_name, a.requested_at, a.decided_by, du.username AS decided_by_name, a.decided_at, a.result,
  (a.status = 'PENDING' AND a.requested_at < now() - make_interval(hours => ${APPROVAL_VALID_HOURS})) AS expired
  FROM admin_approval_request a JOIN payment p ON p.id = a.payment_id JOIN admin_user ru ON ru.id = a.requested_by
  LEFT JOIN admin_user du ON du.id = a.decided_by`;

/**
 * Four-eyes requests: a capture or refund above the threshold waits here until a second person
 * approves it. The database itself refuses a decision by the requester (CHECK decided_by <> requested_by),
 * and a claim is one conditional UPDATE, so two approvers cannot both execute it.
 */
@Injectable()
export class ApprovalsService {
  constructor(private readonly db: DataSource) {}

  /** Idempotent on the request id: a double-submitted confirmation creates one request. */
  async request(r: { action: MoneyAction; paymentUuid: string; currency: string; amount: bigint; requestId: string; params: Record<string, unknown>; requestedBy: string }): Promise<ApprovalRequest> {
    await this.db.query(
      `INSERT INTO admin_approval_request (action, payment_id, currency, amount, request_id, params, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) ON CONFLICT (request_id) DO NOTHING`,
      [r.action, r.paymentUuid, r.currency, r.amount.toString(), r.requestId, r.params, r.requestedBy],
    );
    return (await this.byRequestId(r.requestId))!;
  }

  async byRequestId(requestId: string): Promise<ApprovalRequest | null> {
    const rows = await this.db.query(`${SELECT} WHERE a.request_id = $1`, [requestId]);
    return rows[0] ? toApproval(rows[0]) : null;
  }

  async byId(id: string): Promise<ApprovalRequest | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const rows = await this.db.query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toApproval(rows[0]) : null;
  }

  async list(opts: { pendingOnly?: boolean; paymentUuid?: string } = {}): Promise<ApprovalRequest[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.pendingOnly) where.push(`a.status = 'PENDING'`);
    if (opts.paymentUuid) { params.push(opts.paymentUuid); where.push(`a.payment_id = $${params.length}`); }
    const rows = await this.db.query(`${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY a.requested_at DESC LIMIT 200`, params);
    return rows.map(toApproval);
  }

  /** Takes the request for execution; null when it is not pending, expired, or the approver is the requester. */
  async claim(id: string, approverId: string): Promise<ApprovalRequest | null> {
    const [rows] = await this.db.query(
      `UPDATE admin_approval_request SET status = 'EXECUTING', decided_by = $2, decided_at = now()
       WHERE id = $1 AND status = 'PENDING' AND requested_by <> $2 AND requested_at >= now() - make_interval(hours => $3) RETURNING id`,
      [id, approverId, APPROVAL_VALID_HOURS],
    );
    return rows.length ? this.byId(id) : null;
  }

  async finish(id: string, status: ApprovalStatus, result: Record<string, unknown>): Promise<void> {
    await this.db.query('UPDATE admin_approval_request SET status = $2, result = $3 WHERE id = $1', [id, status, result]);
  }

  async reject(id: string, by: string): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_approval_request SET status = 'REJECTED', decided_by = CASE WHEN requested_by = $2 THEN NULL ELSE $2::uuid END, decided_at = now()
       WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [id, by],
    );
    return rows.length > 0;
  }
}

function toApproval(r: any): ApprovalRequest {
  return {
    id: r.id, action: r.action, paymentUuid: r.payment_uuid, paymentId: r.payment_id, currency: r.currency, amount: BigInt(r.amount),
    requestId: r.request_id, params: r.params ?? {}, status: r.status, requestedBy: r.requested_by, requestedByName: r.requested_by_name,
    requestedAt: new Date(r.requested_at), decidedBy: r.decided_by, decidedByName: r.decided_by_name,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null, result: r.result, expired: r.expired,
  };
}
