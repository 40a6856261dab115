import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Queryable } from '../../platform/database/prepared';
import { SecretSealer } from '../../platform/secret-sealer';
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
  /** When an administrator last enabled the account (inactivity counts from the latest of this, creation, sign-in). */
  enabledAt: Date | null;
  /** argon2 hashes of the passwords before the current one, newest first (PASSWORD_HISTORY of them). */
  previousPasswordHashes: string[];
}

/** A sign-in attempt's place in the current run of failures, as the lockout statement counted it. */
export interface AttemptRow {
  attempt: number;
  lockedUntil: Date | null;
}

/** Not locked, or locked by this very attempt ($2, the tenth): nobody else can have claimed since. */
const OWN_LOCK = 'locked_until IS NULL OR locked_until <= now() OR ($2::int >= $3::int AND failed_attempts = $2::int)';

/**
 * The admin_user table: accounts, and the lockout counters, each changed in one statement (no lost
 * updates). TypeORM answers UPDATE … RETURNING with [rows, rowCount].
 */
@Injectable()
export class AdminUsersRepository implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * PCI DSS 8.3.2: TOTP seeds are stored sealed (the vault's envelope scheme, SecretSealer); a seed stored
   * in clear before that is sealed here once, at start-up (the data half of migration AdminTotpSealed).
   */
  async onApplicationBootstrap(): Promise<void> {
    const rows: { id: string; totp_secret: string }[] = await this.db.query(
      `SELECT id, totp_secret FROM admin_user WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'vault:%'`,
    );
    for (const r of rows) {
      await this.db.query('UPDATE admin_user SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3', [
        r.id,
        this.sealer.seal(r.totp_secret, totpContext(r.id)),
        r.totp_secret,
      ]);
    }
  }

  private toUser = (r: any): AdminUser =>
    toUser(r, (sealed) => (SecretSealer.isSealed(sealed) ? this.sealer.open(sealed, totpContext(r.id)) : sealed));

  async findByUsername(username: string): Promise<AdminUser | null> {
    const rows = await this.db.query('SELECT * FROM admin_user WHERE username = $1', [username]);
    return rows[0] ? this.toUser(rows[0]) : null;
  }

  async findById(id: string): Promise<AdminUser | null> {
    const rows = await this.db.query('SELECT * FROM admin_user WHERE id = $1', [id]);
    return rows[0] ? this.toUser(rows[0]) : null;
  }

  async list(): Promise<AdminUser[]> {
    return (await this.db.query('SELECT * FROM admin_user ORDER BY username')).map(this.toUser);
  }

  /** Null if the name is taken. */
  async insert(username: string, displayName: string, role: AdminRole, passwordHash: string): Promise<AdminUser | null> {
    const rows = await this.db.query(
      `INSERT INTO admin_user (username, display_name, role, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (username) DO NOTHING RETURNING *`,
      [username, displayName, role, passwordHash],
    );
    return rows[0] ? this.toUser(rows[0]) : null;
  }

  /** The same insert inside the caller's transaction (the independent-approver command writes its audit entry with it). */
  static async insertIn(q: Queryable, username: string, displayName: string, role: AdminRole, passwordHash: string): Promise<string | null> {
    const rows: { id: string }[] = await q.query(
      `INSERT INTO admin_user (username, display_name, role, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [username, displayName, role, passwordHash],
    );
    return rows[0]?.id ?? null;
  }

  /** True when an account has this user name (the independent-approver command refuses an attester who holds one). */
  static async exists(q: Queryable, username: string): Promise<boolean> {
    return (await q.query('SELECT 1 FROM admin_user WHERE username = $1', [username])).length > 0;
  }

  async count(): Promise<number> {
    return Number((await this.db.query('SELECT count(*) AS n FROM admin_user'))[0].n);
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db.query('UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, last_login_at = now() WHERE id = $1', [id]);
  }

  /** The current hash moves to the front of the history, which keeps the newest `keep`. */
  async setPasswordHash(id: string, passwordHash: string, mustChange: boolean, keep: number): Promise<void> {
    await this.db.query(
      `UPDATE admin_user SET password_hash = $2, must_change_password = $3, updated_at = now(),
         previous_password_hashes = (ARRAY[password_hash] || previous_password_hashes)[1:$4]
       WHERE id = $1`,
      [id, passwordHash, mustChange, keep],
    );
  }

  async setRole(id: string, role: AdminRole): Promise<void> {
    await this.db.query('UPDATE admin_user SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
  }

  /** Enabling stamps enabled_at: the inactivity clock (8.2.6) starts again. */
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db.query(
      'UPDATE admin_user SET disabled = $2, enabled_at = CASE WHEN $2 THEN enabled_at ELSE now() END, updated_at = now() WHERE id = $1',
      [id, disabled],
    );
  }

  /**
   * PCI DSS 8.2.2: disables the generic bootstrap account once a named admin (enabled, signed in at least
   * once) exists. True when this call disabled it.
   */
  async retireBootstrap(username: string): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET disabled = true, updated_at = now()
       WHERE username = $1 AND NOT disabled
         AND EXISTS (SELECT 1 FROM admin_user n WHERE n.username <> $1 AND n.role = 'admin' AND NOT n.disabled AND n.last_login_at IS NOT NULL)
       RETURNING id`,
      [username],
    );
    return rows.length > 0;
  }

  async unlock(id: string): Promise<void> {
    await this.db.query('UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [id]);
  }

  async setTotpSecret(id: string, secret: string | null): Promise<void> {
    await this.db.query('UPDATE admin_user SET totp_secret = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1', [
      id,
      secret === null ? null : this.sealer.seal(secret, totpContext(id)),
    ]);
  }

  /** True when `step` is later than every step accepted before (then it is recorded). */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const [rows] = await this.db.query(
      'UPDATE admin_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id',
      [id, step],
    );
    return rows.length > 0;
  }

  /** Counts an attempt as a failure in advance (the one reaching `lockAfter` sets the lock); null when locked or gone. */
  async claimAttempt(userId: string, lockAfter: number, lockMinutes: number): Promise<AttemptRow | null> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET
         failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_attempts + 1 END,
         locked_until = CASE
           WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
           WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3)
           ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
       RETURNING failed_attempts, locked_until`,
      [userId, lockAfter, lockMinutes],
    );
    const r = rows[0];
    return r ? { attempt: r.failed_attempts, lockedUntil: r.locked_until ? new Date(r.locked_until) : null } : null;
  }

  /** The count starts again (and `lastLogin` is stamped), unless another attempt locked the account since. */
  async clearAttempts(userId: string, attempt: number, lockAfter: number, lastLogin: boolean): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, updated_at = now()${lastLogin ? ', last_login_at = now()' : ''}
       WHERE id = $1 AND (${OWN_LOCK})
       RETURNING id`,
      [userId, attempt, lockAfter],
    );
    return rows.length > 0;
  }

  /** This attempt stops counting as a failure (a lock it set itself is lifted), unless another attempt locked the account since. */
  async uncountAttempt(userId: string, attempt: number, lockAfter: number): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET
         failed_attempts = GREATEST(failed_attempts - 1, 0),
         locked_until = CASE WHEN $2::int >= $3::int AND failed_attempts = $2::int THEN NULL ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 AND (${OWN_LOCK})
       RETURNING id`,
      [userId, attempt, lockAfter],
    );
    return rows.length > 0;
  }
}

/** The sealed TOTP seed is bound to its row: copied to another account it does not open. */
const totpContext = (id: string) => `admin_user/${id}/totp`;

function toUser(r: any, openTotp: (sealed: string) => string): AdminUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password,
    totpSecret: r.totp_secret == null ? null : openTotp(r.totp_secret),
    totpLastStep: r.totp_last_step == null ? null : Number(r.totp_last_step),
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
    disabled: r.disabled,
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at) : null,
    createdAt: new Date(r.created_at),
    enabledAt: r.enabled_at ? new Date(r.enabled_at) : null,
    previousPasswordHashes: r.previous_password_hashes ?? [],
  };
}
