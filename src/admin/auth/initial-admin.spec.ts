import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { AuditService } from '../../audit/audit.service';
import { anAdminUser, anAuditRow } from '../admin.fakes';
import { AdminUsersService } from './admin-users.service';
import { INITIAL_ADMIN, InitialAdmin } from './initial-admin';
import { InitialPasswordFile } from './initial-password-file';

const FILE = '/data/dev/admin-initial-password.txt';

function setup(accounts: number) {
  const users = mock<AdminUsersService>();
  const audit = mock<AuditService>();
  const file = mock<InitialPasswordFile>({ path: FILE });
  const logger = mock<Logger>();
  users.count.mockResolvedValue(accounts);
  audit.append.mockResolvedValue(anAuditRow('1'));
  return { users, audit, file, logger, boot: () => new InitialAdmin(users, audit, file, logger).onApplicationBootstrap() };
}

const ONE_TIME = randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

describe('InitialAdmin', () => {
  it('the file lives in GATEWAY_DATA_DIR/dev (the start-up banner points there)', () => {
    expect(InitialAdmin.file('/srv/gw')).toBe(path.join('/srv/gw', 'dev', 'admin-initial-password.txt'));
  });

  describe('first start (no account at all)', () => {
    it('creates "admin" (role admin), writes its one-time password to the file only, and audits the creation', async () => {
      const t = setup(0);
      t.users.create.mockResolvedValue({
        user: anAdminUser({ username: INITIAL_ADMIN, role: 'admin', mustChangePassword: true }),
        password: ONE_TIME,
      });
      await t.boot();
      expect(t.users.create).toHaveBeenCalledWith('admin', 'Initial administrator', 'admin');
      expect(t.file.write).toHaveBeenCalledWith(
        `user: admin\npassword: ${ONE_TIME}\n# one-time: you must choose a new password at first login; then delete this file\n`,
      );
      expect(t.audit.append).toHaveBeenCalledWith({
        actor: 'system:bootstrap',
        action: 'CREATE_USER',
        target: 'admin',
        outcome: 'SUCCESS',
        detail: { role: 'admin', initial: true },
      });
      expect(t.logger.info).toHaveBeenCalledWith({ file: FILE }, expect.any(String));
      expect(JSON.stringify([t.logger.info.mock.calls, t.audit.append.mock.calls])).not.toContain(ONE_TIME);
    });

    it('another instance created it first (name taken): no file, no audit entry', async () => {
      const t = setup(0);
      t.users.create.mockResolvedValue(null);
      await t.boot();
      expect(t.file.write).not.toHaveBeenCalled();
      expect(t.audit.append).not.toHaveBeenCalled();
    });
  });

  describe('later starts', () => {
    it('admin has chosen its own password: the dead one-time file is deleted', async () => {
      const t = setup(3);
      t.file.exists.mockReturnValue(true);
      t.users.findByUsername.mockResolvedValue(anAdminUser({ username: 'admin', mustChangePassword: false }));
      await t.boot();
      expect(t.users.findByUsername).toHaveBeenCalledWith('admin');
      expect(t.file.remove).toHaveBeenCalledTimes(1);
      expect(t.users.create).not.toHaveBeenCalled();
    });

    it('admin has not changed it yet: the file stays', async () => {
      const t = setup(1);
      t.file.exists.mockReturnValue(true);
      t.users.findByUsername.mockResolvedValue(anAdminUser({ username: 'admin', mustChangePassword: true }));
      await t.boot();
      expect(t.file.remove).not.toHaveBeenCalled();
    });

    it('no account named admin any more: the file stays (nothing says its password is dead)', async () => {
      const t = setup(2);
      t.file.exists.mockReturnValue(true);
      t.users.findByUsername.mockResolvedValue(null);
      await t.boot();
      expect(t.file.remove).not.toHaveBeenCalled();
    });

    it('no file: nothing is looked up or removed', async () => {
      const t = setup(2);
      t.file.exists.mockReturnValue(false);
      await t.boot();
      expect(t.users.findByUsername).not.toHaveBeenCalled();
      expect(t.file.remove).not.toHaveBeenCalled();
    });
  });
});
