import { mock } from 'jest-mock-extended';

import { UUID } from '../admin.fakes';
import { AdminActionsRepository } from './admin-actions.repository';
import { RoleLimitsService } from './role-limits.service';

function setup() {
  const repo = mock<AdminActionsRepository>();
  return { repo, service: new RoleLimitsService(repo) };
}

describe('RoleLimitsService', () => {
  it('list: currency trimmed (char(3) and the "*" row), amounts as bigint, times as Date', async () => {
    const { repo, service } = setup();
    repo.listRoleLimits.mockResolvedValue([
      { role: 'operator', currency: 'EUR', max_amount: '50000', updated_at: new Date('2026-03-01T00:00:00Z') },
      { role: 'operator', currency: '*  ', max_amount: '9223372036854775807', updated_at: '2026-03-02T00:00:00Z' as unknown as Date },
    ]);
    expect(await service.list()).toEqual([
      { role: 'operator', currency: 'EUR', maxAmount: 50_000n, updatedAt: new Date('2026-03-01T00:00:00Z') },
      { role: 'operator', currency: '*', maxAmount: 9_223_372_036_854_775_807n, updatedAt: new Date('2026-03-02T00:00:00Z') },
    ]);
  });

  it('maxFor: no row is no limit (null); a zero row is a limit of zero, not "none"', async () => {
    const { repo, service } = setup();
    repo.roleLimitFor.mockResolvedValueOnce(undefined).mockResolvedValueOnce('0').mockResolvedValueOnce('9007199254740993');
    expect(await service.maxFor('operator', 'EUR')).toBeNull();
    expect(await service.maxFor('operator', 'EUR')).toBe(0n);
    expect(await service.maxFor('admin', 'JPY')).toBe(9_007_199_254_740_993n);
    expect(repo.roleLimitFor).toHaveBeenLastCalledWith('admin', 'JPY');
  });

  it('set and remove reach the repository with the bigint amount and who set it', async () => {
    const { repo, service } = setup();
    await service.set('operator', 'EUR', 123_456n, UUID.alice);
    expect(repo.upsertRoleLimit).toHaveBeenCalledWith('operator', 'EUR', 123_456n, UUID.alice);
    await service.remove('operator', '*');
    expect(repo.deleteRoleLimit).toHaveBeenCalledWith('operator', '*');
  });
});
