import { Injectable } from '@nestjs/common';

import { ResultStatus } from '../../antom/result-codes';
import { AuditRow, toAuditRow } from '../../audit/audit.service';
import type { ActionOutcome } from './action-outcome';
import { AdminActionsRepository } from './admin-actions.repository';
import { ApprovalsService, MoneyAction } from './approvals.service';

export interface ActionResult {
  verb: string;
  paymentId: string;
  amount: bigint | null;
  outcome: ActionOutcome;
}

const VERBS: Record<string, string> = {
  CAPTURE: 'Capture',
  REFUND: 'Refund',
  CANCEL: 'Cancel',
  REQUEST_CAPTURE: 'Capture',
  REQUEST_REFUND: 'Refund',
  APPROVE_CAPTURE: 'Approved capture',
  APPROVE_REFUND: 'Approved refund',
  ACCEPT_DISPUTE: 'Accept dispute',
  REQUEST_ACCEPT_DISPUTE: 'Accept dispute',
  APPROVE_ACCEPT_DISPUTE: 'Approved dispute acceptance',
  SUPPLY_DEFENSE: 'Defence upload',
};

/**
 * Post/redirect/get for money actions: the POST records its audit entry and redirects; the result
 * page is read back from that entry, so reloading it shows the same result and moves nothing.
 */
@Injectable()
export class ActionResultsService {
  constructor(
    private readonly repo: AdminActionsRepository,
    private readonly approvals: ApprovalsService,
  ) {}

  /** The actor's own entries among `ids`, oldest first; anyone else's stay invisible here. */
  async load(ids: string[], actorId: string): Promise<ActionResult[]> {
    const valid = ids.filter((id) => /^\d{1,18}$/.test(id)).slice(0, 100);
    if (valid.length === 0) return [];
    const rows = await this.repo.actorEntries(valid, actorId, Object.keys(VERBS));
    return Promise.all(rows.map((r: unknown) => this.toResult(toAuditRow(r))));
  }

  /** The audit entry of a four-eyes request, to show it again when its confirmation is submitted twice. */
  async requestAuditId(action: MoneyAction, paymentId: string, requestId: string): Promise<string | null> {
    return this.repo.pendingRequestAuditId(`REQUEST_${action}`, paymentId, requestId);
  }

  private async toResult(row: AuditRow): Promise<ActionResult> {
    const d = (row.detail ?? {}) as Record<string, unknown>;
    const amount = row.action !== 'CANCEL' && typeof d.amount === 'string' && /^\d{1,18}$/.test(d.amount) ? BigInt(d.amount) : null;
    return { verb: VERBS[row.action], paymentId: row.target ?? '', amount, outcome: await this.outcomeOf(row, d) };
  }

  private async outcomeOf(row: AuditRow, d: Record<string, unknown>): Promise<ActionOutcome> {
    if (row.outcome === 'DENIED') return { kind: 'refused', reason: typeof d.reason === 'string' ? d.reason : 'refused', auditId: row.id };
    const approval = row.outcome === 'PENDING' && typeof d.approvalId === 'string' ? await this.approvals.byId(d.approvalId) : null;
    if (approval) return { kind: 'needs-approval', approval, auditId: row.id };
    const result = (d.result ?? {}) as { resultStatus?: ResultStatus };
    const status = result.resultStatus === 'S' || result.resultStatus === 'F' ? result.resultStatus : 'U';
    return { kind: 'done', status, response: { result }, auditId: row.id };
  }
}
