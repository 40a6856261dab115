import { Injectable } from '@nestjs/common';

import { AdminActionsRepository, ApprovalRow, NewApproval } from './admin-actions.repository';
import type { ApprovalStatus, MoneyAction } from './money-action';

export type { ApprovalStatus, MoneyAction } from './money-action';

/** How each action reads in sentences: "may not capture", "already refunded". */
export const ACTION_WORDS: Record<MoneyAction, { verb: string; done: string }> = {
  CAPTURE: { verb: 'capture', done: 'captured' },
  REFUND: { verb: 'refund', done: 'refunded' },
  ACCEPT_DISPUTE: { verb: 'accept a dispute', done: 'conceded in accepted disputes' },
};

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

/**
 * Four-eyes requests: a capture or refund above the threshold waits here until a second person
 * approves it. The database itself refuses a decision by the requester (CHECK decided_by <> requested_by),
 * and a claim is one conditional UPDATE, so two approvers cannot both execute it.
 */
@Injectable()
export class ApprovalsService {
  constructor(private readonly repo: AdminActionsRepository) {}

  /** Idempotent on the request id: a double-submitted confirmation creates one request. */
  async request(r: NewApproval): Promise<ApprovalRequest> {
    await this.repo.insertApproval(r);
    const stored = await this.byRequestId(r.requestId);
    if (!stored) throw new Error(`approval request ${r.requestId} not found after its insert`);
    return stored;
  }

  async byRequestId(requestId: string): Promise<ApprovalRequest | null> {
    const row = await this.repo.approvalByRequestId(requestId);
    return row ? toApproval(row) : null;
  }

  async byId(id: string): Promise<ApprovalRequest | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const row = await this.repo.approvalById(id);
    return row ? toApproval(row) : null;
  }

  async list(opts: { pendingOnly?: boolean; paymentUuid?: string } = {}): Promise<ApprovalRequest[]> {
    return (await this.repo.listApprovals(opts)).map(toApproval);
  }

  /** Takes the request for execution; null when it is not pending, expired, or the approver is the requester. */
  async claim(id: string, approverId: string): Promise<ApprovalRequest | null> {
    return (await this.repo.claimApproval(id, approverId)) ? this.byId(id) : null;
  }

  async finish(id: string, status: ApprovalStatus, result: Record<string, unknown>): Promise<void> {
    await this.repo.finishApproval(id, status, result);
  }

  async reject(id: string, by: string): Promise<boolean> {
    return this.repo.rejectApproval(id, by);
  }
}

function toApproval(r: ApprovalRow): ApprovalRequest {
  return {
    id: r.id,
    action: r.action,
    paymentUuid: r.payment_uuid,
    paymentId: r.payment_id,
    currency: r.currency,
    amount: BigInt(r.amount),
    requestId: r.request_id,
    params: r.params ?? {},
    status: r.status,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: new Date(r.requested_at),
    decidedBy: r.decided_by,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    result: r.result,
    expired: r.expired,
  };
}
