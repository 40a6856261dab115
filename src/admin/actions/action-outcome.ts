import type { ApprovalRequest } from './approvals.service';

/**
 * What a money action came to (its own file: the action service returns it and the result pages read it back).
 * `auditId`: the audit entry that records the attempt; the result page after a redirect is read from it.
 */
export type ActionOutcome = (
  | { kind: 'done'; status: 'S' | 'F' | 'U'; response: Record<string, unknown> }
  | { kind: 'needs-approval'; approval: ApprovalRequest }
  | { kind: 'refused'; reason: string }
) & { auditId?: string };
