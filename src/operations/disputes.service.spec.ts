import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { UpstreamDisputeAnswer, UpstreamEvidenceAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { Dispute, DisputesRepository } from '../payments/disputes.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { checkDefenseDocumentOffThread } from './defense-document-check';
import { DisputesService } from './disputes.service';

// The document check runs in a worker thread (its own spec covers it): here it is a collaborator that answers.
jest.mock('./defense-document-check', () => ({ ...jest.requireActual('./defense-document-check'), checkDefenseDocumentOffThread: jest.fn() }));

const NOW = new Date('2026-12-07T12:00:00Z');
const dispute = (over: Partial<Dispute> = {}): Dispute => ({
  id: 'd-uuid',
  disputeId: 'gwd_1',
  upstreamDisputeId: 'acq_d_1',
  merchantId: 'm-1',
  paymentUuid: 'p-uuid',
  status: 'OPEN',
  disputeType: 'CHARGEBACK',
  reasonCode: '10.4',
  reasonMsg: null,
  currency: 'EUR',
  amount: 1000n,
  judgedCurrency: null,
  judgedAmount: null,
  judgedResult: null,
  defendable: true,
  defenseDueAt: new Date('2026-12-20T00:00:00Z'),
  disputeTime: NOW,
  resolvedAt: null,
  lastNotification: 'DISPUTE_CREATED',
  acceptSentAt: null,
  acceptResponse: null,
  defenseSentSha256: null,
  defenseSha256: null,
  defenseBytes: null,
  defenseFormat: null,
  defenseResponse: null,
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});
const answer = <T>(body: T): UpstreamOutcome<T> => ({ kind: 'answer', body });
const S = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } as const;
const merchant = { by: 'merchant' } as const;
const operator = { by: 'operator', user: 'alice' } as const;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: AntomError) => `${e.result.resultStatus} ${e.result.resultCode}`,
  );

describe('DisputesService', () => {
  const setup = (d: Dispute | null = dispute()) => {
    const db = mock<DataSource>();
    const tx = mock<EntityManager>();
    const disputes = mock<DisputesRepository>();
    const upstream = mock<PaymentProcessor>();
    db.transaction.mockImplementation((async (run: (m: EntityManager) => Promise<unknown>) => run(tx)) as never);
    disputes.findForMerchant.mockResolvedValue(d);
    return { db, tx, disputes, upstream, service: new DisputesService(db, disputes, upstream) };
  };
  beforeEach(() => {
    jest.clearAllMocks();
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.mocked(checkDefenseDocumentOffThread).mockResolvedValue({ ok: true, bytes: 9, format: 'PDF', sha256: 'sha-a' });
  });
  afterEach(() => jest.useRealTimers());

  describe('accept', () => {
    it('marks "sent" inside the lock before calling the acquirer, then stores the acceptance', async () => {
      const { disputes, upstream, tx, service } = setup();
      const order: string[] = [];
      disputes.markAcceptSent.mockImplementation(async () => {
        order.push('marked');
      });
      upstream.acceptDispute.mockImplementation(async () => {
        order.push('upstream');
        return answer<UpstreamDisputeAnswer>({ result: S, disputeResolutionTime: '2026-12-08T00:00:00+08:00' });
      });
      const r = await service.accept('m-1', 'gwd_1', merchant);
      expect(order).toEqual(['marked', 'upstream']);
      expect(disputes.findForMerchant).toHaveBeenCalledWith('m-1', 'gwd_1', tx, true);
      expect(upstream.acceptDispute).toHaveBeenCalledWith({ disputeId: 'acq_d_1' });
      expect(r).toEqual({
        result: expect.objectContaining({ resultStatus: 'S', resultCode: 'SUCCESS' }),
        disputeId: 'gwd_1',
        disputeResolutionTime: '2026-12-08T00:00:00+08:00',
      });
      expect(disputes.accepted).toHaveBeenCalledWith(tx, expect.objectContaining({ id: 'd-uuid' }), r, { by: 'merchant' });
    });

    it('an acceptance already answered is replayed without a call upstream', async () => {
      const stored = { result: S, disputeId: 'gwd_1', disputeResolutionTime: 'then' };
      const { upstream, disputes, service } = setup(dispute({ status: 'ACCEPTED', acceptResponse: stored }));
      await expect(service.accept('m-1', 'gwd_1', merchant)).resolves.toBe(stored);
      expect(upstream.acceptDispute).not.toHaveBeenCalled();
      expect(disputes.markAcceptSent).not.toHaveBeenCalled();
    });

    it("an unknown dispute (or another merchant's) is ORDER_NOT_EXIST", async () => {
      const { upstream, service } = setup(null);
      expect(await codeOf(service.accept('m-1', 'gwd_x', merchant))).toBe('F ORDER_NOT_EXIST');
      expect(upstream.acceptDispute).not.toHaveBeenCalled();
    });

    it.each<Dispute['status']>(['WON', 'LOST', 'CANCELLED', 'RESOLVED'])('a closed dispute (%s) is ORDER_STATUS_INVALID', async (status) => {
      const { upstream, service } = setup(dispute({ status }));
      expect(await codeOf(service.accept('m-1', 'gwd_1', merchant))).toBe('F ORDER_STATUS_INVALID');
      expect(upstream.acceptDispute).not.toHaveBeenCalled();
    });

    it('an accepted dispute without its stored answer is REPEAT_REQUEST', async () => {
      const { service } = setup(dispute({ status: 'ACCEPTED' }));
      expect(await codeOf(service.accept('m-1', 'gwd_1', merchant))).toBe('F REPEAT_REQUEST');
    });

    it('past defenseDueTime (to the millisecond) is TIME_EXCEEDS_LIMIT, and nothing is marked', async () => {
      const { disputes, service } = setup(dispute({ defenseDueAt: new Date(NOW.getTime()) }));
      expect(await codeOf(service.accept('m-1', 'gwd_1', merchant))).toBe('F TIME_EXCEEDS_LIMIT');
      expect(disputes.markAcceptSent).not.toHaveBeenCalled();
    });

    it('one millisecond before defenseDueTime is still in time', async () => {
      const { upstream, service } = setup(dispute({ defenseDueAt: new Date(NOW.getTime() + 1) }));
      upstream.acceptDispute.mockResolvedValue(answer({ result: S }));
      await expect(service.accept('m-1', 'gwd_1', merchant)).resolves.toMatchObject({ disputeId: 'gwd_1' });
    });

    it.each<[string, UpstreamOutcome<UpstreamDisputeAnswer>]>([
      ['no answer (timeout, network)', { kind: 'no-answer', reason: 'HeadersTimeoutError' }],
      ['a U answer', answer({ result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', resultMessage: '' } })],
      ['an answer without result', answer({})],
    ])('%s: UNKNOWN_EXCEPTION (retry with the same disputeId), recorded DISPUTE_ACCEPT_UNKNOWN, nothing stored', async (_what, outcome) => {
      const { db, disputes, upstream, service } = setup();
      upstream.acceptDispute.mockResolvedValue(outcome);
      expect(await codeOf(service.accept('m-1', 'gwd_1', operator))).toBe('U UNKNOWN_EXCEPTION');
      expect(disputes.event).toHaveBeenCalledWith(db, 'p-uuid', 'DISPUTE_ACCEPT_UNKNOWN', null, { disputeId: 'gwd_1', by: 'operator:alice' });
      expect(disputes.accepted).not.toHaveBeenCalled();
    });

    it("an F is passed on with the acquirer's code, recorded DISPUTE_ACCEPT_REFUSED", async () => {
      const { db, disputes, upstream, service } = setup();
      upstream.acceptDispute.mockResolvedValue(answer({ result: { resultStatus: 'F', resultCode: 'DISPUTE_STATUS_INVALID', resultMessage: 'no' } }));
      expect(await codeOf(service.accept('m-1', 'gwd_1', merchant))).toBe('F DISPUTE_STATUS_INVALID');
      expect(disputes.event).toHaveBeenCalledWith(db, 'p-uuid', 'DISPUTE_ACCEPT_REFUSED', null, {
        disputeId: 'gwd_1',
        resultCode: 'DISPUTE_STATUS_INVALID',
        by: 'merchant',
      });
      expect(disputes.accepted).not.toHaveBeenCalled();
    });

    it('REPEAT_REQUEST to a resend (sent before, answer lost) is the success it proves', async () => {
      const { disputes, upstream, service } = setup(dispute({ acceptSentAt: new Date('2026-12-07T11:59:00Z') }));
      upstream.acceptDispute.mockResolvedValue(answer({ result: { resultStatus: 'F', resultCode: 'REPEAT_REQUEST', resultMessage: 'repeat' } }));
      const r = await service.accept('m-1', 'gwd_1', merchant);
      expect(r).toMatchObject({ result: { resultStatus: 'S' }, disputeId: 'gwd_1', disputeResolutionTime: expect.any(String) });
      expect(disputes.accepted).toHaveBeenCalledTimes(1);
    });

    it('REPEAT_REQUEST to a first send is a refusal', async () => {
      const { upstream, service } = setup();
      upstream.acceptDispute.mockResolvedValue(answer({ result: { resultStatus: 'F', resultCode: 'REPEAT_REQUEST', resultMessage: 'repeat' } }));
      expect(await codeOf(service.accept('m-1', 'gwd_1', merchant))).toBe('F REPEAT_REQUEST');
    });

    it("a resolution time over 64 characters is replaced by the gateway's own time", async () => {
      const { upstream, service } = setup();
      upstream.acceptDispute.mockResolvedValue(answer({ result: S, disputeResolutionTime: 'x'.repeat(65) }));
      const r = await service.accept('m-1', 'gwd_1', merchant);
      expect(r.disputeResolutionTime).toBe('2026-12-07T12:00:00.000+00:00');
    });
  });

  describe('supply', () => {
    const PDF = 'JVBERi0xLjQK';

    it('checks the document, marks it sent with its hash, forwards it and stores the defence', async () => {
      const { disputes, upstream, tx, service } = setup();
      upstream.supplyDefenseDocument.mockResolvedValue(answer({ result: S }));
      const r = await service.supply('m-1', 'gwd_1', PDF, operator);
      expect(checkDefenseDocumentOffThread).toHaveBeenCalledWith(PDF);
      expect(disputes.markDefenseSent).toHaveBeenCalledWith(tx, 'd-uuid', 'sha-a');
      expect(upstream.supplyDefenseDocument).toHaveBeenCalledWith({ disputeId: 'acq_d_1', disputeEvidence: PDF });
      expect(disputes.defended).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ id: 'd-uuid' }),
        { ok: true, bytes: 9, format: 'PDF', sha256: 'sha-a' },
        r,
        { by: 'operator:alice' },
      );
    });

    it("another merchant's dispute is ORDER_NOT_EXIST before any document check", async () => {
      const { service } = setup(null);
      expect(await codeOf(service.supply('m-1', 'gwd_1', PDF, merchant))).toBe('F ORDER_NOT_EXIST');
      expect(checkDefenseDocumentOffThread).not.toHaveBeenCalled();
    });

    it('a document that fails the check is PARAM_ILLEGAL with the reason, nothing sent', async () => {
      jest.mocked(checkDefenseDocumentOffThread).mockResolvedValue({ ok: false, reason: 'holds a card number' });
      const { upstream, db, service } = setup();
      await expect(service.supply('m-1', 'gwd_1', PDF, merchant)).rejects.toMatchObject({
        result: { resultCode: 'PARAM_ILLEGAL', resultMessage: 'Illegal parameter disputeEvidence: holds a card number.' },
      });
      expect(db.transaction).not.toHaveBeenCalled();
      expect(upstream.supplyDefenseDocument).not.toHaveBeenCalled();
    });

    it('the same document again replays its stored answer; another document is sent', async () => {
      const stored = { result: S, disputeId: 'gwd_1', disputeResolutionTime: 'then' };
      const { upstream, service } = setup(dispute({ defenseResponse: stored, defenseSha256: 'sha-a' }));
      await expect(service.supply('m-1', 'gwd_1', PDF, merchant)).resolves.toBe(stored);
      expect(upstream.supplyDefenseDocument).not.toHaveBeenCalled();
      jest.mocked(checkDefenseDocumentOffThread).mockResolvedValue({ ok: true, bytes: 9, format: 'PDF', sha256: 'sha-b' });
      upstream.supplyDefenseDocument.mockResolvedValue(answer({ result: S }));
      await expect(service.supply('m-1', 'gwd_1', 'JVBERi0xLjUK', merchant)).resolves.not.toBe(stored);
      expect(upstream.supplyDefenseDocument).toHaveBeenCalledTimes(1);
    });

    it.each<[string, Partial<Dispute>, string]>([
      ['an accepted dispute', { status: 'ACCEPTED' }, 'F REPEAT_REQUEST'],
      ['a dispute the acquirer marked not defendable', { defendable: false }, 'F ORDER_STATUS_INVALID'],
      ['an overdue dispute', { defenseDueAt: new Date('2026-12-01T00:00:00Z') }, 'F TIME_EXCEEDS_LIMIT'],
    ])('refuses %s', async (_what, over, code) => {
      const { upstream, service } = setup(dispute(over));
      expect(await codeOf(service.supply('m-1', 'gwd_1', PDF, merchant))).toBe(code);
      expect(upstream.supplyDefenseDocument).not.toHaveBeenCalled();
    });

    it('defendable unknown (null) may be defended', async () => {
      const { upstream, service } = setup(dispute({ defendable: null }));
      upstream.supplyDefenseDocument.mockResolvedValue(answer({ result: S }));
      await expect(service.supply('m-1', 'gwd_1', PDF, merchant)).resolves.toMatchObject({ disputeId: 'gwd_1' });
    });

    it('no answer: UNKNOWN_EXCEPTION, recorded DISPUTE_DEFENSE_UNKNOWN', async () => {
      const { db, disputes, upstream, service } = setup();
      upstream.supplyDefenseDocument.mockResolvedValue({ kind: 'no-answer', reason: 'HTTP 502' });
      expect(await codeOf(service.supply('m-1', 'gwd_1', PDF, merchant))).toBe('U UNKNOWN_EXCEPTION');
      expect(disputes.event).toHaveBeenCalledWith(db, 'p-uuid', 'DISPUTE_DEFENSE_UNKNOWN', null, { disputeId: 'gwd_1', by: 'merchant' });
      expect(disputes.defended).not.toHaveBeenCalled();
    });

    it('REPEAT_REQUEST counts as success only for the same document sent before', async () => {
      const repeat = answer<UpstreamDisputeAnswer>({ result: { resultStatus: 'F', resultCode: 'REPEAT_REQUEST', resultMessage: '' } });
      const same = setup(dispute({ defenseSentSha256: 'sha-a' }));
      same.upstream.supplyDefenseDocument.mockResolvedValue(repeat);
      await expect(same.service.supply('m-1', 'gwd_1', PDF, merchant)).resolves.toMatchObject({ result: { resultStatus: 'S' } });
      const other = setup(dispute({ defenseSentSha256: 'sha-old' }));
      other.upstream.supplyDefenseDocument.mockResolvedValue(repeat);
      expect(await codeOf(other.service.supply('m-1', 'gwd_1', PDF, merchant))).toBe('F REPEAT_REQUEST');
      expect(other.disputes.event).toHaveBeenCalledWith(
        other.db,
        'p-uuid',
        'DISPUTE_DEFENSE_REFUSED',
        null,
        expect.objectContaining({ resultCode: 'REPEAT_REQUEST' }),
      );
    });
  });

  describe('download', () => {
    it('returns the document and records its download (size, never the content)', async () => {
      const { db, disputes, upstream, service } = setup();
      upstream.downloadDisputeEvidence.mockResolvedValue(
        answer<UpstreamEvidenceAnswer>({ result: S, disputeEvidence: 'UEsDBA==', disputeEvidenceFormat: 'WORD' }),
      );
      await expect(service.download('m-1', 'gwd_1', 'DISPUTE_EVIDENCE_TEMPLATE', operator)).resolves.toEqual({
        result: expect.objectContaining({ resultStatus: 'S' }),
        disputeEvidence: 'UEsDBA==',
        disputeEvidenceFormat: 'WORD',
      });
      expect(upstream.downloadDisputeEvidence).toHaveBeenCalledWith({ disputeId: 'acq_d_1', disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
      expect(disputes.event).toHaveBeenCalledWith(db, 'p-uuid', 'DISPUTE_EVIDENCE_DOWNLOADED', null, {
        disputeId: 'gwd_1',
        disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE',
        format: 'WORD',
        chars: 8,
        by: 'operator:alice',
      });
    });

    it('an unknown dispute is ORDER_NOT_EXIST', async () => {
      const { service } = setup(null);
      expect(await codeOf(service.download('m-1', 'gwd_1', 'DISPUTE_EVIDENCE_TEMPLATE', merchant))).toBe('F ORDER_NOT_EXIST');
    });

    it.each<[string, UpstreamOutcome<UpstreamEvidenceAnswer>]>([
      ['no answer', { kind: 'no-answer', reason: 'timeout' }],
      ['a U', answer({ result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', resultMessage: '' } })],
      ['no result', answer({ disputeEvidence: 'UEsDBA==' })],
      ['S without a document', answer({ result: S, disputeEvidenceFormat: 'PDF' })],
      ['S with a format other than PDF or WORD', answer({ result: S, disputeEvidence: 'x', disputeEvidenceFormat: 'EXE' })],
    ])('%s: UNKNOWN_EXCEPTION, nothing recorded', async (_what, outcome) => {
      const { disputes, upstream, service } = setup();
      upstream.downloadDisputeEvidence.mockResolvedValue(outcome);
      expect(await codeOf(service.download('m-1', 'gwd_1', 'DISPUTE_EVIDENCE_TEMPLATE', merchant))).toBe('U UNKNOWN_EXCEPTION');
      expect(disputes.event).not.toHaveBeenCalled();
    });

    it("an F passes the acquirer's refusal on", async () => {
      const { upstream, service } = setup();
      upstream.downloadDisputeEvidence.mockResolvedValue(
        answer({ result: { resultStatus: 'F', resultCode: 'DISPUTE_NOT_EXIST', resultMessage: 'gone' } }),
      );
      expect(await codeOf(service.download('m-1', 'gwd_1', 'DISPUTE_EVIDENCE_TEMPLATE', merchant))).toBe('F DISPUTE_NOT_EXIST');
    });
  });

  describe('console reads', () => {
    it('byDisputeId looks up only well-formed gwd_ ids', async () => {
      const { disputes, service } = setup();
      disputes.findByDisputeId.mockResolvedValue(null);
      await expect(service.byDisputeId('gwd_nope')).resolves.toBeNull();
      await expect(service.byDisputeId(`gwd_${'0'.repeat(31)}g`)).resolves.toBeNull();
      expect(disputes.findByDisputeId).not.toHaveBeenCalled();
      await service.byDisputeId(`gwd_${'a1'.repeat(16)}`);
      expect(disputes.findByDisputeId).toHaveBeenCalledWith(`gwd_${'a1'.repeat(16)}`);
    });

    it('list passes the filter to the repository', async () => {
      const { disputes, service } = setup();
      disputes.list.mockResolvedValue([]);
      const f = { limit: 50 } as Parameters<DisputesService['list']>[0];
      await expect(service.list(f)).resolves.toEqual([]);
      expect(disputes.list).toHaveBeenCalledWith(f);
    });
  });
});
