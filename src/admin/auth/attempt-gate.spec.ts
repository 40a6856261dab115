import { mock } from 'jest-mock-extended';

import { UUID } from '../admin.fakes';
import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES } from '../admin-settings';
import { AdminUsersRepository } from './admin-users.repository';
import { AttemptGate } from './attempt-gate';

function setup() {
  const repo = mock<AdminUsersRepository>();
  return { repo, gate: new AttemptGate(repo) };
}

describe('AttemptGate', () => {
  it('the lockout policy is 10 failed attempts → 30 minutes', () => {
    expect([LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES]).toEqual([10, 30]);
  });

  it('claim: counts the attempt in advance with the policy, and answers its number', async () => {
    const { repo, gate } = setup();
    repo.claimAttempt.mockResolvedValue({ attempt: 3, lockedUntil: null });
    expect(await gate.claim(UUID.alice)).toEqual({ attempt: 3, lockedUntil: null });
    expect(repo.claimAttempt).toHaveBeenCalledWith(UUID.alice, 10, 30);
  });

  it('claim: the tenth attempt is let through carrying the lock it set', async () => {
    const { repo, gate } = setup();
    const until = new Date('2026-03-01T10:30:00Z');
    repo.claimAttempt.mockResolvedValue({ attempt: 10, lockedUntil: until });
    expect(await gate.claim(UUID.alice)).toEqual({ attempt: 10, lockedUntil: until });
  });

  it('claim: null on a locked (or deleted) account', async () => {
    const { repo, gate } = setup();
    repo.claimAttempt.mockResolvedValue(null);
    expect(await gate.claim(UUID.alice)).toBeNull();
  });

  it('succeeded: clears the count for this attempt, stamping the last sign-in unless told not to', async () => {
    const { repo, gate } = setup();
    repo.clearAttempts.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    expect(await gate.succeeded(UUID.alice, { attempt: 4, lockedUntil: null })).toBe(true);
    expect(repo.clearAttempts).toHaveBeenLastCalledWith(UUID.alice, 4, 10, true);
    expect(await gate.succeeded(UUID.alice, { attempt: 10, lockedUntil: new Date() }, false)).toBe(false);
    expect(repo.clearAttempts).toHaveBeenLastCalledWith(UUID.alice, 10, 10, false);
  });

  it('passedFirstFactor: this attempt stops counting; false when another attempt locked the account meanwhile', async () => {
    const { repo, gate } = setup();
    repo.uncountAttempt.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    expect(await gate.passedFirstFactor(UUID.alice, { attempt: 2, lockedUntil: null })).toBe(true);
    expect(repo.uncountAttempt).toHaveBeenCalledWith(UUID.alice, 2, 10);
    expect(await gate.passedFirstFactor(UUID.alice, { attempt: 2, lockedUntil: null })).toBe(false);
  });
});
