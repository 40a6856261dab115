import type { DisputeStatus } from '../../operations/disputes.service';

/**
 * Whether refunding a payment could pay the buyer twice: a dispute that is still open (OPEN, DEFENDED: the
 * issuer may yet take the money back) or already took it (LOST, ACCEPTED: a chargeback). A dispute won, cancelled
 * or resolved otherwise puts nothing at stake. The most serious standing wins: a chargeback before an open dispute.
 */
export type DisputeStanding = { kind: 'charged-back' | 'disputed'; disputeId: string; status: DisputeStatus } | null;

const CHARGED_BACK: DisputeStatus[] = ['LOST', 'ACCEPTED'];
const OPEN: DisputeStatus[] = ['OPEN', 'DEFENDED'];

export function disputeStanding(disputes: ReadonlyArray<{ disputeId: string; status: DisputeStatus }>): DisputeStanding {
  const lost = disputes.find((d) => CHARGED_BACK.includes(d.status));
  if (lost) return { kind: 'charged-back', disputeId: lost.disputeId, status: lost.status };
  const open = disputes.find((d) => OPEN.includes(d.status));
  return open ? { kind: 'disputed', disputeId: open.disputeId, status: open.status } : null;
}

/** The refund form's warning, in words: why a refund now may pay twice. */
export function refundWarning(s: NonNullable<DisputeStanding>): string {
  return s.kind === 'charged-back'
    ? `This payment was charged back (dispute ${s.disputeId}, ${s.status}): the buyer already has the money back through the card network. A refund now pays them twice.`
    : `This payment is under dispute (dispute ${s.disputeId}, ${s.status}): if the buyer wins the chargeback, a refund now pays them twice. Defend or accept the dispute instead.`;
}
