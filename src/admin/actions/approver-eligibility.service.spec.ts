import { mock } from 'jest-mock-extended';

import { anAdminUser, anApprovalRow, UUID } from '../admin.fakes';
import { AdminUsersService } from '../auth/admin-users.service';
import { ApprovalRequest } from './approvals.service';
import { ApproverEligibilityService, approverRoleRefusal } from './approver-eligibility.service';
import { CumulativeControlsService } from './cumulative-controls.service';
import { RoleLimitsService } from './role-limits.service';

const DAVE = '00000000-0000-4000-8000-00000000da7e';
const ROOT = '00000000-0000-4000-8000-0000000000ad';

/** Bob (operator, created by the first admin) asks for EUR 600.00. */
function aRequest(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const r = anApprovalRow();
  return {
    id: r.id,
    action: 'CAPTURE',
    paymentUuid: r.payment_uuid,
    paymentId: r.payment_id,
    currency: 'EUR',
    amount: 60_000n,
    requestId: r.request_id,
    params: {},
    status: 'PENDING',
    requestedBy: UUID.bob,
    requestedByName: 'bob',
    requestedAt: new Date('2026-03-01T10:00:00Z'),
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    result: null,
    expired: false,
    ...over,
  };
}

const root = anAdminUser({ id: ROOT, username: 'admin', role: 'admin' });
const bob = anAdminUser({ id: UUID.bob, username: 'bob', role: 'operator' });
const carol = anAdminUser({ id: UUID.carol, username: 'carol', role: 'viewer' });
const dave = anAdminUser({ id: DAVE, username: 'dave', role: 'operator' });

function setup(limit: bigint | null = null) {
  const cumulative = mock<CumulativeControlsService>();
  const limits = mock<RoleLimitsService>();
  const users = mock<AdminUsersService>();
  // The first admin created bob: linked both ways; dave (set up outside the console) is linked to nobody.
  cumulative.independenceChecker.mockResolvedValue((requester, approver) =>
    (requester === UUID.bob && approver === ROOT) || (requester === ROOT && approver === UUID.bob) ? 'You and bob are linked: …' : null,
  );
  limits.maxFor.mockResolvedValue(limit);
  users.list.mockResolvedValue([root, bob, carol, dave, anAdminUser({ id: UUID.alice, username: 'gone', role: 'admin', disabled: true })]);
  return { service: new ApproverEligibilityService(cumulative, limits, users), cumulative, limits };
}

describe('ApproverEligibilityService', () => {
  it('fresh install: the admin who created the requester is told why not, and who could (the independent approver)', async () => {
    const { service } = setup();
    const e = (await service.forRequests(root, [aRequest()])).get(aRequest().id)!;
    expect(e).toEqual({ mine: false, canApprove: false, why: 'You and bob are linked: …', others: ['dave'] });
  });

  it('the independent approver may; the requester sees their own request with who could approve it', async () => {
    const { service } = setup();
    expect((await service.forRequests(dave, [aRequest()])).get(aRequest().id)).toEqual({ mine: false, canApprove: true, why: null, others: [] });
    expect((await service.forRequests(bob, [aRequest()])).get(aRequest().id)).toMatchObject({ mine: true, canApprove: false, others: ['dave'] });
  });

  it('leaves out viewers, disabled accounts and anyone over their role limit; nobody when all are linked or limited', async () => {
    const { service, limits } = setup(50_000n);
    const e = (await service.forRequests(root, [aRequest()])).get(aRequest().id)!;
    expect(e.others).toEqual([]);
    expect(e.canApprove).toBe(false);
    expect(limits.maxFor).toHaveBeenCalledTimes(1); // the linked are refused before any limit is read; one read per role and currency
  });

  it('reads the grants once for all requests, and nothing at all with none waiting', async () => {
    const { service, cumulative } = setup();
    await service.forRequests(dave, [aRequest(), aRequest({ id: '11111111-1111-4111-8111-222222222222' })]);
    expect(cumulative.independenceChecker).toHaveBeenCalledTimes(1);
    cumulative.independenceChecker.mockClear();
    expect((await service.forRequests(dave, [])).size).toBe(0);
    expect(cumulative.independenceChecker).not.toHaveBeenCalled();
  });

  it('approverRoleRefusal: a money role, and the amount within its limit', () => {
    expect(approverRoleRefusal('viewer', null, 'REFUND', 1n, 'EUR')).toBe('Your role (viewer) may not approve this (refund).');
    expect(approverRoleRefusal('operator', 100n, 'CAPTURE', 101n, 'EUR')).toContain('is above your role');
    expect(approverRoleRefusal('operator', 100n, 'CAPTURE', 100n, 'EUR')).toBeNull();
  });
});
