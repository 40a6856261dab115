import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES } from '../admin-settings';
import { hashPassword, oneTimePassword } from './passwords';
import { AdminRole } from './roles';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: AdminRole;
  passwordHash: string;
  mustChangePassword: boolean;
  totpSecret: string | null;
  totpLastStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** Admin accounts: one per person, never shared. Counters change in single SQL statements (no lost updates). */
@Injectable()
export class AdminUsersService {
  constructor(private readonly db: DataSource) {}

  async findByUsername(username: string): Promise<AdminUser | null> {
    const rows = await this.db.query('SELECT * FROM admin_user WHERE username = $1', [username]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findById(id: string): Promise<AdminUser | null> {
    const rows = await this.db.query('SELECT * FROM admin_user WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async list(): Promise<AdminUser[]> {
    return (await this.db.query('SELECT * FROM admin_user ORDER BY username')).map(toUser);
  }

  /** Creates the account with a one-time password the person must change at first login; null if the name is taken. */
  async create(username: string, displayName: string, role: AdminRole, password = oneTimePassword()): Promise<{ user: AdminUser; password: string } | null> {
    const rows = await this.db.query(
      `INSERT INTO admin_user (username, display_name, role, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (username) DO NOTHING RETURNING *`,
      [username, displayName, role, await hashPassword(password)],
    );
    return rows[0] ? { user: toUser(rows[0]), password } : null;
  }

  async count(): Promise<number> {
    return Number((await this.db.query('SELECT count(*) AS n FROM admin_user'))[0].n);
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db.query('UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, last_login_at = now() WHERE id = $1', [id]);
  }

  async setPassword(id: string, password: string, mustChange: boolean): Promise<void> {
    await this.db.query('UPDATE admin_user SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1', [id, await hashPassword(password), mustChange]);
  }

  async update(id: string, changes: { role?: AdminRole; disabled?: boolean; unlock?: boolean }): Promise<void> {
    if (changes.role) await this.db.query('UPDATE admin_user SET role = $2, updated_at = now() WHERE id = $1', [id, changes.role]);
    if (changes.disabled !== undefined) await this.db.query('UPDATE admin_user SET disabled = $2, updated_at = now() WHERE id = $1', [id, changes.disabled]);
    if (changes.unlock) await this.db.query('UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [id]);
  }

  async setTotpSecret(id: string, secret: string | null): Promise<void> {
    await this.db.query('UPDATE admin_user SET totp_secret = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1', [id, secret]);
  }

  /** Accepts a TOTP time step only once: a code seen on a shoulder cannot be replayed. */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const [rows] = await this.db.query(
      'UPDATE admin_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id',
      [id, step],
    );
    return rows.length > 0;
  }
}

function toUser(r: any): AdminUser {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role, passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password, totpSecret: r.totp_secret, totpLastStep: r.totp_last_step == null ? null : Number(r.totp_last_step),
    failedAttempts: r.failed_attempts, lockedUntil: r.locked_until ? new Date(r.locked_until) : null, disabled: r.disabled,
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at) : null, createdAt: new Date(r.created_at),
  };
}
