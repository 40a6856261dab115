import { createHash } from 'node:crypto';

import { mock } from 'jest-mock-extended';

import { anAdminUser, UUID } from '../admin.fakes';
import { AdminSessionsRepository } from './admin-sessions.repository';
import { AdminUsersService } from './admin-users.service';
import { SessionsService } from './sessions.service';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function setup() {
  const repo = mock<AdminSessionsRepository>();
  const users = mock<AdminUsersService>();
  return { repo, users, service: new SessionsService(repo, users) };
}

describe('SessionsService', () => {
  describe('create', () => {
    it('answers 256 random bits for the cookie and stores only their hash, with a separate CSRF token', async () => {
      const { repo, service } = setup();
      const token = await service.create(UUID.alice, 'ACTIVE', '192.0.2.7', 'Mozilla/5.0');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [row, maxHours] = repo.insert.mock.calls[0];
      expect(row).toEqual({
        idHash: sha256(token),
        userId: UUID.alice,
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        stage: 'ACTIVE',
        ip: '192.0.2.7',
        userAgent: 'Mozilla/5.0',
      });
      expect(row.csrfToken).not.toBe(token);
      expect(JSON.stringify(row)).not.toContain(token);
      expect(maxHours).toBe(12);
    });

    it('a fresh token each time', async () => {
      const { service } = setup();
      const tokens = new Set(await Promise.all(Array.from({ length: 20 }, () => service.create(UUID.alice, 'MFA', 'ip', 'ua'))));
      expect(tokens.size).toBe(20);
    });

    it('caps what the client sent: address at 64, user agent at 256 characters', async () => {
      const { repo, service } = setup();
      await service.create(UUID.alice, 'MFA', 'a'.repeat(100), 'u'.repeat(1000));
      const [row] = repo.insert.mock.calls[0];
      expect([row.ip.length, row.userAgent.length, row.stage]).toEqual([64, 256, 'MFA']);
    });

    it('clears out expired sessions (15 minutes idle) after inserting', async () => {
      const { repo, service } = setup();
      const order: string[] = [];
      repo.insert.mockImplementation(async () => {
        order.push('insert');
      });
      repo.deleteExpired.mockImplementation(async () => {
        order.push('deleteExpired');
      });
      await service.create(UUID.alice, 'ACTIVE', 'ip', 'ua');
      expect(repo.deleteExpired).toHaveBeenCalledWith(15);
      expect(order).toEqual(['insert', 'deleteExpired']);
    });
  });

  describe('resolve', () => {
    const row = { id_hash: 'h', user_id: UUID.alice, csrf_token: 'csrf', stage: 'ACTIVE' as const, totp_pending: null };

    it.each([[undefined], [''], ['x'.repeat(101)]])('no lookup for a missing or oversized cookie (%#)', async (token) => {
      const { repo, service } = setup();
      expect(await service.resolve(token)).toBeNull();
      expect(repo.touch).not.toHaveBeenCalled();
    });

    it("touches the session by the token's hash (15 minutes idle) and answers it with its user", async () => {
      const { repo, users, service } = setup();
      const user = anAdminUser();
      repo.touch.mockResolvedValue({ ...row, totp_pending: undefined as unknown as null });
      users.findById.mockResolvedValue(user);
      const token = 'x'.repeat(100);
      expect(await service.resolve(token)).toEqual({
        session: { idHash: 'h', userId: UUID.alice, csrfToken: 'csrf', stage: 'ACTIVE', totpPending: null },
        user,
      });
      expect(repo.touch).toHaveBeenCalledWith(sha256(token), 15);
    });

    it('keeps a TOTP secret being enrolled', async () => {
      const { repo, users, service } = setup();
      repo.touch.mockResolvedValue({ ...row, stage: 'MFA', totp_pending: 'JBSWY3DPEHPK3PXP' });
      users.findById.mockResolvedValue(anAdminUser());
      expect((await service.resolve('t'))!.session).toMatchObject({ stage: 'MFA', totpPending: 'JBSWY3DPEHPK3PXP' });
    });

    it('null when the session timed out, its user is gone, or the user is disabled', async () => {
      const { repo, users, service } = setup();
      repo.touch.mockResolvedValueOnce(null);
      expect(await service.resolve('t')).toBeNull();
      expect(users.findById).not.toHaveBeenCalled();
      repo.touch.mockResolvedValue(row);
      users.findById.mockResolvedValueOnce(null).mockResolvedValueOnce(anAdminUser({ disabled: true }));
      expect(await service.resolve('t')).toBeNull();
      expect(await service.resolve('t')).toBeNull();
    });
  });

  it('activate, setTotpPending, destroy and destroyAllFor reach the repository', async () => {
    const { repo, service } = setup();
    await service.activate('h');
    expect(repo.activate).toHaveBeenCalledWith('h');
    await service.setTotpPending('h', null);
    expect(repo.setTotpPending).toHaveBeenCalledWith('h', null);
    await service.destroy('h');
    expect(repo.delete).toHaveBeenCalledWith('h');
    await service.destroyAllFor(UUID.alice);
    expect(repo.deleteAllFor).toHaveBeenLastCalledWith(UUID.alice, null);
    await service.destroyAllFor(UUID.alice, 'keep');
    expect(repo.deleteAllFor).toHaveBeenLastCalledWith(UUID.alice, 'keep');
  });
});
