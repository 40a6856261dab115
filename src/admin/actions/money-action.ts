/*
 * The words of the four-eyes approvals (their own file: the approvals service and its repository both speak
 * them, and neither imports the other's file).
 */

/** ACCEPT_DISPUTE: an operator concedes a chargeback; the disputed amount counts like a refund's. */
export type MoneyAction = 'CAPTURE' | 'REFUND' | 'ACCEPT_DISPUTE';

export type ApprovalStatus = 'PENDING' | 'EXECUTING' | 'EXECUTED' | 'FAILED' | 'UNKNOWN' | 'REJECTED';
