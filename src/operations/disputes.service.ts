import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UpstreamDisputeAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { formatResponseTime } from '../antom/request-time';
import { DisputeEvidenceType } from '../antom/requests/dispute.dto';
import { antomResult } from '../antom/result-codes';
import { DisputeResolutionAnswer, DownloadDisputeEvidenceAnswer } from '../antom/wire';
import { Dispute, DisputeListFilter, DisputeListRow, DisputesRepository, FINAL_DISPUTE_STATUSES } from '../payments/disputes.repository';
import { clockMs } from '../platform/clock';
export { DISPUTE_STATUSES, FINAL_DISPUTE_STATUSES } from '../payments/disputes.repository';
export type { DisputeListRow, DisputeStatus } from '../payments/disputes.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { checkDefenseDocumentOffThread } from './defense-document-check';
export { DEFENSE_DOCUMENT_MAX_BYTES } from './defense-document-check';

/** Who acts: the merchant over the API, or an operator in the console (recorded on the timeline). */
export type DisputeActor = { by: 'merchant' } | { by: 'operator'; user: string };

/**
 * acceptDispute, supplyDefenseDocument and downloadDisputeEvidence, forwarded to the acquirer with its
 * dispute id. Idempotent on the dispute (Antom's requests carry no request id): an accepted dispute
 * answers its stored acceptance again, the same document its stored answer. "Sent" is committed before
 * the call, so the acquirer's REPEAT_REQUEST to a resend after a lost answer (crash, timeout, a twin
 * request) is read as the success it proves, not passed on as F.
 */
@Injectable()
export class DisputesService {
  constructor(
    private readonly db: DataSource,
    private readonly disputes: DisputesRepository,
    private readonly upstream: PaymentProcessor,
  ) {}

  async accept(merchantId: string, disputeId: string, actor: DisputeActor): Promise<DisputeResolutionAnswer> {
    const prepared = await this.db.transaction(async (tx) => {
      const d = await this.locked(tx, merchantId, disputeId);
      if (d.acceptResponse) return { d, replay: d.acceptResponse };
      refuseClosed(d);
      if (d.status === 'ACCEPTED') throw new AntomError('REPEAT_REQUEST', 'The dispute is already accepted.', { disputeId });
      refuseOverdue(d);
      await this.disputes.markAcceptSent(tx, d.id);
      return { d, replay: null, sentBefore: d.acceptSentAt !== null };
    });
    if (prepared.replay) return prepared.replay;
    const { d } = prepared;
    const outcome = await this.upstream.acceptDispute({ disputeId: d.upstreamDisputeId });
    const body = await this.settle(d, outcome, 'DISPUTE_ACCEPT', actor, prepared.sentBefore === true, 'The acceptance');
    const response: DisputeResolutionAnswer = { result: antomResult('SUCCESS'), disputeId: d.disputeId, disputeResolutionTime: resolutionTime(body) };
    await this.db.transaction((tx) => this.disputes.accepted(tx, d, response, who(actor)));
    return response;
  }

  async supply(merchantId: string, disputeId: string, evidence: string, actor: DisputeActor): Promise<DisputeResolutionAnswer> {
    // The dispute first: only its merchant's documents are worth the work of a check (off the event loop).
    if (!(await this.disputes.findForMerchant(merchantId, disputeId))) throw notFound();
    const doc = await checkDefenseDocumentOffThread(evidence);
    if (!doc.ok) throw new AntomError('PARAM_ILLEGAL', `Illegal parameter disputeEvidence: ${doc.reason}.`);
    const prepared = await this.db.transaction(async (tx) => {
      const d = await this.locked(tx, merchantId, disputeId);
      if (d.defenseResponse && d.defenseSha256 === doc.sha256) return { d, replay: d.defenseResponse };
      refuseClosed(d);
      if (d.status === 'ACCEPTED') throw new AntomError('REPEAT_REQUEST', 'The dispute was accepted; it can no longer be defended.', { disputeId });
      if (d.defendable === false) throw new AntomError('ORDER_STATUS_INVALID', 'The acquirer marked this dispute as not defendable.', { disputeId });
      refuseOverdue(d);
      await this.disputes.markDefenseSent(tx, d.id, doc.sha256);
      return { d, replay: null, sentBefore: d.defenseSentSha256 === doc.sha256 };
    });
    if (prepared.replay) return prepared.replay;
    const { d } = prepared;
    const outcome = await this.upstream.supplyDefenseDocument({ disputeId: d.upstreamDisputeId, disputeEvidence: evidence });
    const body = await this.settle(d, outcome, 'DISPUTE_DEFENSE', actor, prepared.sentBefore === true, 'The defence');
    const response: DisputeResolutionAnswer = { result: antomResult('SUCCESS'), disputeId: d.disputeId, disputeResolutionTime: resolutionTime(body) };
    await this.db.transaction((tx) => this.disputes.defended(tx, d, doc, response, who(actor)));
    return response;
  }

  async download(merchantId: string, disputeId: string, type: DisputeEvidenceType, actor: DisputeActor): Promise<DownloadDisputeEvidenceAnswer> {
    const d = await this.disputes.findForMerchant(merchantId, disputeId);
    if (!d) throw notFound();
    const outcome = await this.upstream.downloadDisputeEvidence({ disputeId: d.upstreamDisputeId, disputeEvidenceType: type });
    if (outcome.kind !== 'answer' || outcome.body.result?.resultStatus === 'U' || !outcome.body.result) {
      throw new AntomError('UNKNOWN_EXCEPTION', 'The evidence could not be fetched from the acquirer; retry.', { disputeId });
    }
    const b = outcome.body;
    const result = outcome.body.result;
    if (result.resultStatus !== 'S') throw AntomError.upstreamRefusal(result, 'PROCESS_FAIL', { disputeId });
    const format = b.disputeEvidenceFormat === 'PDF' || b.disputeEvidenceFormat === 'WORD' ? b.disputeEvidenceFormat : null;
    if (typeof b.disputeEvidence !== 'string' || !format) {
      throw new AntomError('UNKNOWN_EXCEPTION', 'The acquirer answered without a usable document; retry.', { disputeId });
    }
    await this.disputes.event(this.db, d.paymentUuid, 'DISPUTE_EVIDENCE_DOWNLOADED', null, {
      disputeId,
      disputeEvidenceType: type,
      format: b.disputeEvidenceFormat,
      chars: b.disputeEvidence.length,
      ...who(actor),
    });
    return { result: antomResult('SUCCESS'), disputeEvidence: b.disputeEvidence, disputeEvidenceFormat: format };
  }

  list(f: DisputeListFilter): Promise<DisputeListRow[]> {
    return this.disputes.list(f);
  }

  /** By the merchant-facing id (gwd_…), for the console. */
  byDisputeId(disputeId: string): Promise<DisputeListRow | null> {
    return /^gwd_[0-9a-f]{32}$/.test(disputeId) ? this.disputes.findByDisputeId(disputeId) : Promise.resolve(null);
  }

  /**
   * The acquirer's answer to an accept or a defence: the success body, or the refusal thrown (recorded on the
   * timeline). `sentBefore`: this request went out earlier without a known answer, so REPEAT_REQUEST is that one's success.
   */
  private async settle(
    d: Dispute,
    outcome: UpstreamOutcome<UpstreamDisputeAnswer>,
    action: string,
    actor: DisputeActor,
    sentBefore: boolean,
    what: string,
  ): Promise<UpstreamDisputeAnswer> {
    const ids = { disputeId: d.disputeId };
    if (outcome.kind !== 'answer' || !outcome.body.result || outcome.body.result.resultStatus === 'U') {
      await this.disputes.event(this.db, d.paymentUuid, `${action}_UNKNOWN`, null, { ...ids, ...who(actor) });
      throw new AntomError('UNKNOWN_EXCEPTION', `${what} result is unknown; retry with the same disputeId.`, ids);
    }
    const r = outcome.body.result;
    if (r.resultStatus === 'S' || (sentBefore && r.resultCode === 'REPEAT_REQUEST')) return outcome.body;
    await this.disputes.event(this.db, d.paymentUuid, `${action}_REFUSED`, null, {
      ...ids,
      resultCode: String(r.resultCode).slice(0, 64),
      ...who(actor),
    });
    throw AntomError.upstreamRefusal(r, 'PROCESS_FAIL', ids);
  }

  private async locked(tx: Parameters<DisputesRepository['findForMerchant']>[2], merchantId: string, disputeId: string): Promise<Dispute> {
    const d = await this.disputes.findForMerchant(merchantId, disputeId, tx, true);
    if (!d) throw notFound();
    return d;
  }
}

function notFound(): AntomError {
  return new AntomError('ORDER_NOT_EXIST', 'No dispute with this disputeId for this merchant.');
}

function refuseClosed(d: Dispute): void {
  if (FINAL_DISPUTE_STATUSES.includes(d.status))
    throw new AntomError('ORDER_STATUS_INVALID', `The dispute is closed (${d.status}).`, { disputeId: d.disputeId });
}

/** Past defenseDueTime (by the clock the test kit may move) the acquirer takes neither an acceptance nor a defence: final. */
function refuseOverdue(d: Dispute): void {
  if (d.defenseDueAt && d.defenseDueAt.getTime() <= clockMs()) throw new AntomError('TIME_EXCEEDS_LIMIT', undefined, { disputeId: d.disputeId });
}

function resolutionTime(b: UpstreamDisputeAnswer): string {
  return typeof b.disputeResolutionTime === 'string' && b.disputeResolutionTime.length <= 64 ? b.disputeResolutionTime : formatResponseTime();
}

function who(actor: DisputeActor): Record<string, string> {
  return actor.by === 'merchant' ? { by: 'merchant' } : { by: `operator:${actor.user}` };
}
