import { Injectable } from '@nestjs/common';
import { AdminUser, AdminUsersRepository } from './admin-users.repository';
import { hashPassword, oneTimePassword } from './passwords';
import { AdminRole } from './roles';

export type { AdminUser } from './admin-users.repository';

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** Admin accounts: one per person, never shared. Passwords are hashed here; the rows are the repository's. */
@Injectable()
export class AdminUsersService {
  constructor(private readonly repo: AdminUsersRepository) {}

  findByUsername(username: string): Promise<AdminUser | null> {
    return this.repo.findByUsername(username);
  }

  findById(id: string): Promise<AdminUser | null> {
    return this.repo.findById(id);
  }

  list(): Promise<AdminUser[]> {
    return this.repo.list();
  }

  /** Creates the account with a one-time password the person must change at first login; null if the name is taken. */
  async create(username: string, displayName: string, role: AdminRole, password = oneTimePassword()): Promise<{ user: AdminUser; password: string } | null> {
    const user = await this.repo.insert(username, displayName, role, await hashPassword(password));
    return user ? { user, password } : null;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  recordSuccess(id: string): Promise<void> {
    return this.repo.recordSuccess(id);
  }

  async setPassword(id: string, password: string, mustChange: boolean): Promise<void> {
    await this.repo.setPasswordHash(id, await hashPassword(password), mustChange);
  }

  async update(id: string, changes: { role?: AdminRole; disabled?: boolean; unlock?: boolean }): Promise<void> {
    if (changes.role) await this.repo.setRole(id, changes.role);
    if (changes.disabled !== undefined) await this.repo.setDisabled(id, changes.disabled);
    if (changes.unlock) await this.repo.unlock(id);
  }

  setTotpSecret(id: string, secret: string | null): Promise<void> {
    return this.repo.setTotpSecret(id, secret);
  }

  /** Accepts a TOTP time step only once: a code seen on a shoulder cannot be replayed. */
  claimTotpStep(id: string, step: number): Promise<boolean> {
    return this.repo.claimTotpStep(id, step);
  }
}
