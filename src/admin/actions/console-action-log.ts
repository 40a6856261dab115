import type { Logger } from 'pino';

/**
 * One log line per console money action (capture, cancel, refund, a four-eyes request, approve, reject, accept a
 * dispute, retry a merchant notification), beside its audit entry: who, on which payment, how much, what came of
 * it. Named fields only — never the payment row, the card or a form — so nothing about the card can reach a log.
 */
export interface ConsoleActionLine {
  action: string;
  admin: string;
  paymentId: string;
  paymentRequestId: string | null;
  amount?: bigint | string | null;
  currency?: string | null;
  outcome: string;
  auditId?: string | null;
  resultCode?: string | null;
}

export function logConsoleAction(logger: Pick<Logger, 'info' | 'warn'>, l: ConsoleActionLine): void {
  const fields = {
    event: 'console_action',
    action: l.action,
    admin: l.admin,
    paymentId: l.paymentId,
    paymentRequestId: l.paymentRequestId,
    ...(l.amount !== undefined && l.amount !== null ? { amount: l.amount.toString(), currency: l.currency ?? null } : {}),
    outcome: l.outcome,
    ...(l.resultCode ? { resultCode: l.resultCode } : {}),
    ...(l.auditId ? { auditId: l.auditId } : {}),
  };
  const message = `console ${l.action.toLowerCase()} by ${l.admin}: ${l.outcome}`;
  if (l.outcome === 'DENIED' || l.outcome === 'FAILURE') logger.warn(fields, message);
  else logger.info(fields, message);
}
