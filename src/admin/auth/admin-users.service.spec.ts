import { randomBytes } from 'node:crypto';
import { mock } from 'jest-mock-extended';
import { anAdminUser, UUID } from '../admin.fakes';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminUsersService, USERNAME } from './admin-users.service';
import { verifyPassword } from './passwords';

function setup() {
  const repo = mock<AdminUsersRepository>();
  return { repo, service: new AdminUsersService(repo) };
}

const CHOSEN = randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

describe('AdminUsersService', () => {
  it.each([['ab', true], ['alice.smith-2_x', true], ['0ops', true], ['a', false], ['Alice', false], ['.alice', false], ['a b', false], [`a${'b'.repeat(63)}`, true], [`a${'b'.repeat(64)}`, false]])(
    'USERNAME %j → %s', (name, ok) => expect(USERNAME.test(name)).toBe(ok),
  );

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
      expect([repo.setRole.mock.calls, repo.setDisabled.mock.calls, repo.unlock.mock.calls]).toEqual([[[UUID.alice, 'admin']], [[UUID.alice, true]], [[UUID.alice]]]);
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
});
