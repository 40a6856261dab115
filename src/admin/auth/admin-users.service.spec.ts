import { randomBytes } from 'node:crypto';

import * as argon2 from 'argon2';
import { mock } from 'jest-mock-extended';

import { anAdminUser, UUID } from '../admin.fakes';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminUsersService, inactiveSince, USERNAME } from './admin-users.service';
import { PASSWORD_HISTORY, passwordProblem, verifyPassword } from './passwords';

function setup() {
  const repo = mock<AdminUsersRepository>();
  return { repo, service: new AdminUsersService(repo) };
}

const CHOSEN = randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

describe('AdminUsersService', () => {
  it.each([
    ['ab', true],
    ['alice.smith-2_x', true],
    ['0ops', true],
    ['a', false],
    ['Alice', false],
    ['.alice', false],
    ['a b', false],
    [`a${'b'.repeat(63)}`, true],
    [`a${'b'.repeat(64)}`, false],
  ])('USERNAME %j → %s', (name, ok) => expect(USERNAME.test(name)).toBe(ok));

  describe('create', () => {
    it('stores an argon2id hash of the given password, never the password, and answers the password once', async () => {
      const { repo, service } = setup();
      const user = anAdminUser({ username: 'bob', mustChangePassword: true });
      repo.insert.mockResolvedValue(user);
      const created = await service.create('bob', 'Bob', 'viewer', CHOSEN);
      expect(created).toEqual({ user, password: CHOSEN });
      const [name, display, role, hash] = repo.insert.mock.calls[0];
      expect([name, display, role]).toEqual(['bob', 'Bob', 'viewer']);
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(hash).not.toContain(CHOSEN);
      expect(await verifyPassword(hash, CHOSEN)).toBe(true);
    });

    it('without a password: a one-time one of 20 characters', async () => {
      const { repo, service } = setup();
      repo.insert.mockResolvedValue(anAdminUser());
      const created = await service.create('carol', 'Carol', 'operator');
      expect(created!.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    });

    it('null when the name is taken', async () => {
      const { repo, service } = setup();
      repo.insert.mockResolvedValue(null);
      expect(await service.create('alice', 'Alice', 'admin', 'x'.repeat(12))).toBeNull();
    });
  });

  it('setPassword: stores a fresh hash and whether it must be changed at next sign-in', async () => {
    const { repo, service } = setup();
    await service.setPassword(UUID.alice, 'another long secret', true);
    const [id, hash, mustChange] = repo.setPasswordHash.mock.calls[0];
    expect([id, mustChange]).toEqual([UUID.alice, true]);
    expect(hash).toMatch(/^\$argon2id\$/);
  });

  describe('update: only what was asked', () => {
    it('role only', async () => {
      const { repo, service } = setup();
      await service.update(UUID.alice, { role: 'viewer' });
      expect(repo.setRole).toHaveBeenCalledWith(UUID.alice, 'viewer');
      expect(repo.setDisabled).not.toHaveBeenCalled();
      expect(repo.unlock).not.toHaveBeenCalled();
    });

    it('disabled false is a change (enable), unlock false is none', async () => {
      const { repo, service } = setup();
      await service.update(UUID.alice, { disabled: false, unlock: false });
      expect(repo.setDisabled).toHaveBeenCalledWith(UUID.alice, false);
      expect(repo.unlock).not.toHaveBeenCalled();
      expect(repo.setRole).not.toHaveBeenCalled();
    });

    it('all three', async () => {
      const { repo, service } = setup();
      await service.update(UUID.alice, { role: 'admin', disabled: true, unlock: true });
      expect([repo.setRole.mock.calls, repo.setDisabled.mock.calls, repo.unlock.mock.calls]).toEqual([
        [[UUID.alice, 'admin']],
        [[UUID.alice, true]],
        [[UUID.alice]],
      ]);
    });
  });

  it('reads and small writes reach the repository', async () => {
    const { repo, service } = setup();
    const user = anAdminUser();
    repo.findByUsername.mockResolvedValue(user);
    repo.findById.mockResolvedValue(null);
    repo.list.mockResolvedValue([user]);
    repo.count.mockResolvedValue(4);
    repo.claimTotpStep.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    expect(await service.findByUsername('alice')).toBe(user);
    expect(await service.findById(UUID.bob)).toBeNull();
    expect(await service.list()).toEqual([user]);
    expect(await service.count()).toBe(4);
    await service.recordSuccess(UUID.alice);
    expect(repo.recordSuccess).toHaveBeenCalledWith(UUID.alice);
    await service.setTotpSecret(UUID.alice, null);
    expect(repo.setTotpSecret).toHaveBeenCalledWith(UUID.alice, null);
    expect(await service.claimTotpStep(UUID.alice, 59_000_000)).toBe(true);
    expect(await service.claimTotpStep(UUID.alice, 59_000_000)).toBe(false);
    expect(repo.claimTotpStep).toHaveBeenCalledWith(UUID.alice, 59_000_000);
  });

  describe('PCI DSS 8.3.6 / 8.3.7 / 8.2.6 / 8.2.2', () => {
    const cheap = (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });

    it.each([
      ['twelve chars', 'Use both letters and digits.'],
      ['123456789012', 'Use both letters and digits.'],
      ['twelve chars 1', null],
      ['Ünïcødé-pässwörd-٣', null],
      ['short1', 'Use at least 12 characters.'],
    ])('passwordProblem(%j) → %j (length and letters + digits)', (pw, problem) => expect(passwordProblem(pw, 'alice')).toBe(problem));

    it('setPassword keeps the previous hashes: the repository is told how many (the last four with the current one)', async () => {
      const { repo, service } = setup();
      await service.setPassword(UUID.alice, 'another long secret 9', false);
      expect(repo.setPasswordHash.mock.calls[0][3]).toBe(PASSWORD_HISTORY);
      expect(PASSWORD_HISTORY + 1).toBe(4);
    });

    it('a new password equal to the current one or any of the three before it is a reuse; the fifth-oldest is not', async () => {
      const { service } = setup();
      const [p0, p1, p2, p3, p4] = await Promise.all(['pw-0 current', 'pw-1 before', 'pw-2 before', 'pw-3 before', 'pw-4 oldest'].map(cheap));
      const user = anAdminUser({ passwordHash: p0, previousPasswordHashes: [p1, p2, p3, p4] });
      for (const pw of ['pw-0 current', 'pw-1 before', 'pw-2 before', 'pw-3 before']) expect(await service.reusesPassword(user, pw)).toBe(true);
      expect(await service.reusesPassword(user, 'pw-4 oldest')).toBe(false);
      expect(await service.reusesPassword(user, 'something new 7')).toBe(false);
    });

    it('inactive: 90 days after the latest of creation, last sign-in and re-enabling', () => {
      const day = 24 * 3600 * 1000;
      const created = new Date('2026-01-01T00:00:00Z');
      const t0 = created.getTime();
      expect(inactiveSince(anAdminUser({ createdAt: created }), t0 + 90 * day)).toBe(false);
      expect(inactiveSince(anAdminUser({ createdAt: created }), t0 + 90 * day + 1)).toBe(true);
      expect(inactiveSince(anAdminUser({ createdAt: created, lastLoginAt: new Date(t0 + 50 * day) }), t0 + 120 * day)).toBe(false);
      expect(inactiveSince(anAdminUser({ createdAt: created, enabledAt: new Date(t0 + 100 * day) }), t0 + 120 * day)).toBe(false);
    });

    it("retireBootstrap is the repository's one statement (named admin signed in → `admin` disabled)", async () => {
      const { repo, service } = setup();
      repo.retireBootstrap.mockResolvedValue(true);
      expect(await service.retireBootstrap('admin')).toBe(true);
      expect(repo.retireBootstrap).toHaveBeenCalledWith('admin');
    });
  });
});
