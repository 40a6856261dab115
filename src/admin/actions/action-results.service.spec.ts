import { mock } from 'jest-mock-extended';

import { anAuditDbRow, UUID } from '../admin.fakes';
import { ActionResultsService } from './action-results.service';
import { AdminActionsRepository } from './admin-actions.repository';
import { ApprovalRequest, ApprovalsService } from './approvals.service';

function setup(rows: unknown[] = []) {
  const repo = mock<AdminActionsRepository>();
  const approvals = mock<ApprovalsService>();
  repo.actorEntries.mockResolvedValue(rows);
  return { repo, approvals, service: new ActionResultsService(repo, approvals) };
}

const entry = (id: number, action: string, outcome: string, detail: Record<string, unknown> | null, over: Record<string, unknown> = {}) =>
  anAuditDbRow(id, { action, outcome, detail, ...over });

describe('ActionResultsService', () => {
  describe("load: the result page, read back from the actor's own audit entries", () => {
    it('asks only for well-formed ids (at most 100) and the money verbs, for this actor', async () => {
      const { repo, service } = setup();
      const many = Array.from({ length: 150 }, (_, i) => String(i + 1));
      await service.load(['abc', '-1', '1'.repeat(19), '', ' 7', ...many], UUID.alice);
      const [ids, actor, actions] = repo.actorEntries.mock.calls[0];
      expect(ids).toHaveLength(100);
      expect([ids[0], ids[99]]).toEqual(['1', '100']);
      expect(actor).toBe(UUID.alice);
      expect(actions).toEqual(
        expect.arrayContaining(['CAPTURE', 'REFUND', 'CANCEL', 'REQUEST_CAPTURE', 'APPROVE_REFUND', 'ACCEPT_DISPUTE', 'SUPPLY_DEFENSE']),
      );
      expect(actions).not.toContain('LOGIN');
    });

    it('no valid id: nothing, without a query', async () => {
      const { repo, service } = setup();
      expect(await service.load(['x', '1e3'], UUID.alice)).toEqual([]);
      expect(repo.actorEntries).not.toHaveBeenCalled();
    });

    it("a capture done: verb, payment, bigint amount and the acquirer's status", async () => {
      const { service } = setup([
        entry(5, 'CAPTURE', 'SUCCESS', { amount: '9007199254740993', result: { resultStatus: 'S', resultCode: 'SUCCESS' } }),
      ]);
      expect(await service.load(['5'], UUID.alice)).toEqual([
        {
          verb: 'Capture',
          paymentId: 'gwp_1',
          amount: 9_007_199_254_740_993n,
          outcome: { kind: 'done', status: 'S', response: { result: { resultStatus: 'S', resultCode: 'SUCCESS' } }, auditId: '5' },
        },
      ]);
    });

    it('F stays F; a result missing or not S/F reads as U (not known yet)', async () => {
      const { service } = setup([
        entry(1, 'REFUND', 'FAILURE', { amount: '100', result: { resultStatus: 'F', resultCode: 'REFUND_AMOUNT_EXCEED' } }),
        entry(2, 'APPROVE_CAPTURE', 'UNKNOWN', { amount: '100', result: { resultStatus: 'U' } }),
        entry(3, 'CAPTURE', 'UNKNOWN', { amount: '100' }),
        entry(4, 'CAPTURE', 'UNKNOWN', null),
      ]);
      const results = await service.load(['1', '2', '3', '4'], UUID.alice);
      expect(results.map((r) => [r.verb, r.outcome.kind === 'done' && r.outcome.status])).toEqual([
        ['Refund', 'F'],
        ['Approved capture', 'U'],
        ['Capture', 'U'],
        ['Capture', 'U'],
      ]);
      expect(results[3].amount).toBeNull();
    });

    it('a refusal shows its reason ("refused" when the entry has none)', async () => {
      const { service } = setup([
        entry(1, 'CAPTURE', 'DENIED', { amount: '100', reason: 'The amount must be more than zero.' }),
        entry(2, 'REFUND', 'DENIED', { amount: '100', reason: 42 }),
      ]);
      expect((await service.load(['1', '2'], UUID.alice)).map((r) => r.outcome)).toEqual([
        { kind: 'refused', reason: 'The amount must be more than zero.', auditId: '1' },
        { kind: 'refused', reason: 'refused', auditId: '2' },
      ]);
    });

    it('a four-eyes request shows the approval as it stands now', async () => {
      const { service, approvals } = setup([entry(8, 'REQUEST_CAPTURE', 'PENDING', { amount: '60000', approvalId: UUID.approval })]);
      const approval = { id: UUID.approval, status: 'PENDING' } as ApprovalRequest;
      approvals.byId.mockResolvedValue(approval);
      const [r] = await service.load(['8'], UUID.alice);
      expect(r).toEqual({ verb: 'Capture', paymentId: 'gwp_1', amount: 60_000n, outcome: { kind: 'needs-approval', approval, auditId: '8' } });
      expect(approvals.byId).toHaveBeenCalledWith(UUID.approval);
    });

    it('a pending entry whose approval is gone reads as not known (U)', async () => {
      const { service, approvals } = setup([entry(8, 'REQUEST_REFUND', 'PENDING', { amount: '60000', approvalId: UUID.approval })]);
      approvals.byId.mockResolvedValue(null);
      expect((await service.load(['8'], UUID.alice))[0].outcome).toMatchObject({ kind: 'done', status: 'U' });
    });

    it('a cancel shows no amount; an amount that is not plain digits shows none', async () => {
      const { service } = setup([
        entry(1, 'CANCEL', 'SUCCESS', { amount: '10000', result: { resultStatus: 'S' } }),
        entry(2, 'CAPTURE', 'SUCCESS', { amount: '-5', result: { resultStatus: 'S' } }),
        entry(3, 'CAPTURE', 'SUCCESS', { amount: 5, result: { resultStatus: 'S' } }),
        entry(4, 'ACCEPT_DISPUTE', 'SUCCESS', { amount: '700', result: { resultStatus: 'S' } }, { target: null }),
      ]);
      expect((await service.load(['1', '2', '3', '4'], UUID.alice)).map((r) => [r.verb, r.paymentId, r.amount])).toEqual([
        ['Cancel', 'gwp_1', null],
        ['Capture', 'gwp_1', null],
        ['Capture', 'gwp_1', null],
        ['Accept dispute', '', 700n],
      ]);
    });
  });

  it('requestAuditId: the REQUEST_<action> entry of that payment and request id', async () => {
    const { repo, service } = setup();
    repo.pendingRequestAuditId.mockResolvedValueOnce('41').mockResolvedValueOnce(null);
    expect(await service.requestAuditId('REFUND', 'gwp_1', 'adm_ref_x')).toBe('41');
    expect(repo.pendingRequestAuditId).toHaveBeenCalledWith('REQUEST_REFUND', 'gwp_1', 'adm_ref_x');
    expect(await service.requestAuditId('ACCEPT_DISPUTE', 'gwp_1', 'adm_dsp_x')).toBeNull();
    expect(repo.pendingRequestAuditId).toHaveBeenLastCalledWith('REQUEST_ACCEPT_DISPUTE', 'gwp_1', 'adm_dsp_x');
  });
});
