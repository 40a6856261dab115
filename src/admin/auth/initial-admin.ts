import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';

import { AuditService } from '../../audit/audit.service';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { AdminUsersService } from './admin-users.service';
import { InitialPasswordFile } from './initial-password-file';

export const INITIAL_ADMIN = 'admin';

/**
 * First start: with no account at all, creates `admin` with a one-time password written to
 * GATEWAY_DATA_DIR/dev/admin-initial-password.txt (0600), never logged; it must be changed at first
 * login. Several instances starting at once: the unique user name lets exactly one of them create it.
 */
@Injectable()
export class InitialAdmin implements OnApplicationBootstrap {
  constructor(
    private readonly users: AdminUsersService,
    private readonly audit: AuditService,
    private readonly passwordFile: InitialPasswordFile,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Where the one-time password is written; the start-up banner points there while the file exists. */
  static file(dataDir: string): string {
    return InitialPasswordFile.pathIn(dataDir);
  }

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) {
      // PCI DSS 8.2.2: a named admin who signed in since the last start retires the generic account now, too.
      if (await this.users.retireBootstrap(INITIAL_ADMIN)) {
        await this.audit.append({
          actor: 'system:bootstrap',
          action: 'RETIRE_BOOTSTRAP_ADMIN',
          target: INITIAL_ADMIN,
          outcome: 'SUCCESS',
          detail: { reason: 'a named admin exists (PCI DSS 8.2.2)' },
        });
      }
      return this.forgetUsedPassword();
    }
    const created = await this.users.create(INITIAL_ADMIN, 'Initial administrator', 'admin');
    if (!created) return;
    const file = this.passwordFile.path;
    this.passwordFile.write(
      `user: ${INITIAL_ADMIN}\npassword: ${created.password}\n# one-time: you must choose a new password at first login; then delete this file\n`,
    );
    await this.audit.append({
      actor: 'system:bootstrap',
      action: 'CREATE_USER',
      target: INITIAL_ADMIN,
      outcome: 'SUCCESS',
      detail: { role: 'admin', initial: true },
    });
    this.logger.info({ file }, 'initial admin account created; its one-time password is in the file');
  }

  /** Once `admin` has chosen its own password the file holds a dead secret: delete it rather than leave it lying. */
  private async forgetUsedPassword(): Promise<void> {
    const file = this.passwordFile.path;
    if (!this.passwordFile.exists() || (await this.users.findByUsername(INITIAL_ADMIN))?.mustChangePassword !== false) return;
    this.passwordFile.remove();
    this.logger.info({ file }, 'initial admin password was changed: its one-time password file is deleted');
  }
}
