import { mock } from 'jest-mock-extended';

import { anApprovalRow, UUID } from '../admin.fakes';
import { AdminActionsRepository, NewApproval } from './admin-actions.repository';
import { ApprovalsService } from './approvals.service';

const NEW: NewApproval = {
  action: 'CAPTURE',
  paymentUuid: UUID.payment,
  currency: 'EUR',
  amount: 60_000n,
  requestId: `adm_cap_${'a'.repeat(32)}`,
  params: { isLastCapture: true },
  requestedBy: UUID.bob,
};

function setup() {
  const repo = mock<AdminActionsRepository>();
  return { repo, service: new ApprovalsService(repo) };
}

describe('ApprovalsService', () => {
  it('request: inserts, then answers the stored request (the first one when the confirmation came twice)', async () => {
    const { repo, service } = setup();
    repo.approvalByRequestId.mockResolvedValue(anApprovalRow({ requested_by_name: 'bob' }));
    const first = await service.request(NEW);
    const second = await service.request(NEW);
    expect(repo.insertApproval).toHaveBeenCalledTimes(2);
    expect(repo.insertApproval).toHaveBeenCalledWith(NEW);
    expect(repo.approvalByRequestId).toHaveBeenCalledWith(NEW.requestId);
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      id: UUID.approval,
      action: 'CAPTURE',
      paymentId: 'gwp_1',
      amount: 60_000n,
      status: 'PENDING',
      requestedBy: UUID.bob,
      requestedByName: 'bob',
    });
  });

  it('maps the row: amount as bigint beyond 2^53, params null → {}, times as Date, undecided → nulls', async () => {
    const { repo, service } = setup();
    repo.approvalByRequestId.mockResolvedValue(
      anApprovalRow({ amount: '9007199254740993', params: null, requested_at: '2026-03-01T10:00:00.000Z' as unknown as Date }),
    );
    const a = (await service.byRequestId('r'))!;
    expect(a.amount).toBe(9_007_199_254_740_993n);
    expect(a.params).toEqual({});
    expect(a.requestedAt).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect([a.decidedBy, a.decidedByName, a.decidedAt, a.result]).toEqual([null, null, null, null]);
  });

  it('maps a decided request with its approver, decision time and result', async () => {
    const { repo, service } = setup();
    repo.approvalById.mockResolvedValue(
      anApprovalRow({
        status: 'EXECUTED',
        decided_by: UUID.carol,
        decided_by_name: 'carol',
        decided_at: new Date('2026-03-01T11:00:00Z'),
        result: { result: { resultStatus: 'S' } },
        expired: false,
      }),
    );
    expect(await service.byId(UUID.approval)).toMatchObject({
      status: 'EXECUTED',
      decidedBy: UUID.carol,
      decidedByName: 'carol',
      decidedAt: new Date('2026-03-01T11:00:00Z'),
      result: { result: { resultStatus: 'S' } },
    });
  });

  it('byRequestId / byId: null for a missing row', async () => {
    const { repo, service } = setup();
    repo.approvalByRequestId.mockResolvedValue(undefined);
    repo.approvalById.mockResolvedValue(undefined);
    expect(await service.byRequestId('nope')).toBeNull();
    expect(await service.byId(UUID.approval)).toBeNull();
  });

  it.each(['', 'x', '1 OR 1=1', `${UUID.approval}0`, UUID.alice.toUpperCase()])(
    'byId(%j): null without a query (not a uuid as the console writes it)',
    async (id) => {
      const { repo, service } = setup();
      expect(await service.byId(id)).toBeNull();
      expect(repo.approvalById).not.toHaveBeenCalled();
    },
  );

  it('list: every request by default, or the filter given, each mapped', async () => {
    const { repo, service } = setup();
    repo.listApprovals.mockResolvedValue([anApprovalRow(), anApprovalRow({ id: UUID.carol, action: 'REFUND', amount: '1' })]);
    const all = await service.list();
    expect(repo.listApprovals).toHaveBeenCalledWith({});
    expect(all.map((a) => [a.action, a.amount])).toEqual([
      ['CAPTURE', 60_000n],
      ['REFUND', 1n],
    ]);
    await service.list({ pendingOnly: true, paymentUuid: UUID.payment });
    expect(repo.listApprovals).toHaveBeenLastCalledWith({ pendingOnly: true, paymentUuid: UUID.payment });
  });

  it('claim: the request read back once the conditional update took it', async () => {
    const { repo, service } = setup();
    repo.claimApproval.mockResolvedValue(true);
    repo.approvalById.mockResolvedValue(anApprovalRow({ status: 'EXECUTING', decided_by: UUID.carol }));
    expect(await service.claim(UUID.approval, UUID.carol)).toMatchObject({ status: 'EXECUTING', decidedBy: UUID.carol });
    expect(repo.claimApproval).toHaveBeenCalledWith(UUID.approval, UUID.carol);
  });

  it('claim: null when the update took nothing (not pending, expired, or the requester), without reading it', async () => {
    const { repo, service } = setup();
    repo.claimApproval.mockResolvedValue(false);
    expect(await service.claim(UUID.approval, UUID.bob)).toBeNull();
    expect(repo.approvalById).not.toHaveBeenCalled();
  });

  it('finish and reject reach the repository', async () => {
    const { repo, service } = setup();
    await service.finish(UUID.approval, 'UNKNOWN', { result: { resultStatus: 'U' } });
    expect(repo.finishApproval).toHaveBeenCalledWith(UUID.approval, 'UNKNOWN', { result: { resultStatus: 'U' } });
    repo.rejectApproval.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    expect(await service.reject(UUID.approval, UUID.carol)).toBe(true);
    expect(await service.reject(UUID.approval, UUID.carol)).toBe(false);
  });
});
