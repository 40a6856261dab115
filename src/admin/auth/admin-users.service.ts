import { Injectable } from '@nestjs/common';

import { AdminUser, AdminUsersRepository } from './admin-users.repository';
import { hashPassword, oneTimePassword, PASSWORD_HISTORY, verifyPassword } from './passwords';
import { AdminRole } from './roles';

export type { AdminUser } from './admin-users.repository';

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** PCI DSS 8.2.6: an account unused this long is disabled at its next sign-in attempt. */
export const INACTIVE_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

/** No sign-in, creation or re-enabling within INACTIVE_DAYS before `now`. */
export function inactiveSince(u: AdminUser, now: number): boolean {
  const last = Math.max(u.createdAt.getTime(), u.lastLoginAt?.getTime() ?? 0, u.enabledAt?.getTime() ?? 0);
  return now - last > INACTIVE_DAYS * DAY_MS;
}

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
  async create(
    username: string,
    displayName: string,
    role: AdminRole,
    password = oneTimePassword(),
  ): Promise<{ user: AdminUser; password: string } | null> {
    const user = await this.repo.insert(username, displayName, role, await hashPassword(password));
    return user ? { user, password } : null;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  recordSuccess(id: string): Promise<void> {
    return this.repo.recordSuccess(id);
  }

  /** The previous password joins the history (8.3.7); a one-time password from a reset too. */
  async setPassword(id: string, password: string, mustChange: boolean): Promise<void> {
    await this.repo.setPasswordHash(id, await hashPassword(password), mustChange, PASSWORD_HISTORY);
  }

  /** PCI DSS 8.3.7: true when `password` is the current one or one of the PASSWORD_HISTORY before it. */
  async reusesPassword(user: AdminUser, password: string): Promise<boolean> {
    for (const hash of [user.passwordHash, ...user.previousPasswordHashes.slice(0, PASSWORD_HISTORY)]) {
      if (await verifyPassword(hash, password)) return true;
    }
    return false;
  }

  /** Disables the generic bootstrap account once a named admin has signed in (8.2.2); true when it did so now. */
  retireBootstrap(username: string): Promise<boolean> {
    return this.repo.retireBootstrap(username);
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
