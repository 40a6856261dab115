import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IDLE_TIMEOUT_MINUTES, SESSION_MAX_HOURS } from '../admin-settings';
import { AdminUser, AdminUsersService } from './admin-users.service';

export interface AdminSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  stage: 'MFA' | 'ACTIVE';
  /** A TOTP secret being enrolled: kept here, not on the account, until a correct first code. */
  totpPending: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Server-side sessions in PostgreSQL, so every gateway instance sees the same ones. The cookie
 * carries 256 random bits; the table keeps only their hash. Idle sessions die after 15 minutes,
 * every session after 12 hours.
 */
@Injectable()
export class SessionsService {
  constructor(private readonly db: DataSource, private readonly users: AdminUsersService) {}

  async create(userId: string, stage: AdminSession['stage'], ip: string, userAgent: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(
      `INSERT INTO admin_session (id_hash, user_id, csrf_token, stage, ip, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
      [sha256(token), userId, randomBytes(32).toString('base64url'), stage, ip.slice(0, 64), userAgent.slice(0, 256), SESSION_MAX_HOURS],
    );
    // Housekeeping on login: expired rows go, so the table stays the size of the active staff.
    await this.db.query(`DELETE FROM admin_session WHERE expires_at < now() OR last_seen_at < now() - make_interval(mins => $1)`, [IDLE_TIMEOUT_MINUTES]);
    return token;
  }

  /** The live session and its user, touching it (one statement: a timed-out session cannot be revived). */
  async resolve(token: string | undefined): Promise<{ session: AdminSession; user: AdminUser } | null> {
    if (!token || token.length > 100) return null;
    const [rows] = await this.db.query(
      `UPDATE admin_session SET last_seen_at = now()
       WHERE id_hash = $1 AND last_seen_at > now() - make_interval(mins => $2) AND expires_at > now()
       RETURNING id_hash, user_id, csrf_token, stage, totp_pending`,
      [sha256(token), IDLE_TIMEOUT_MINUTES],
    );
    const r = rows[0];
    if (!r) return null;
    const user = await this.users.findById(r.user_id);
    if (!user || user.disabled) return null;
    return { session: { idHash: r.id_hash, userId: r.user_id, csrfToken: r.csrf_token, stage: r.stage, totpPending: r.totp_pending ?? null }, user };
  }

  async activate(idHash: string): Promise<void> {
    await this.db.query(`UPDATE admin_session SET stage = 'ACTIVE' WHERE id_hash = $1`, [idHash]);
  }

  async setTotpPending(idHash: string, secret: string | null): Promise<void> {
    await this.db.query('UPDATE admin_session SET totp_pending = $2 WHERE id_hash = $1', [idHash, secret]);
  }

  async destroy(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM admin_session WHERE id_hash = $1', [idHash]);
  }

  /** After a password change, role change or disable: every other session of that person ends. */
  async destroyAllFor(userId: string, exceptIdHash?: string): Promise<void> {
    await this.db.query('DELETE FROM admin_session WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [userId, exceptIdHash ?? null]);
  }
}
