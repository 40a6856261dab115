import type { AntomResult } from '../../antom/result-codes';
import type { ApprovalRequest } from './approvals.service';

/**
 * What a money action came to (its own file: the action service returns it and the result pages read it back).
 * `auditId`: the audit entry that records the attempt; the result page after a redirect is read from it.
 */
export type ActionOutcome = (
  | { kind: 'done'; status: 'S' | 'F' | 'U'; response: MoneyActionAnswer }
  | { kind: 'needs-approval'; approval: ApprovalRequest }
  | { kind: 'refused'; reason: string }
) & { auditId?: string };

/**
 * What a console money action answers: the merchant API's answer (capture, refund, cancel, acceptDispute) or its
 * refusal (an AntomError's result with the ids it names), read here for its result and the new operation's id (the result as far as the audit row kept it).
 */
export type MoneyActionAnswer = { result: Partial<AntomResult>; captureId?: string; refundId?: string; [id: string]: unknown };
