import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { IDLE_TIMEOUT_MINUTES, SESSION_MAX_HOURS } from '../admin-settings';
import { AdminSessionsRepository } from './admin-sessions.repository';
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
  constructor(
    private readonly sessions: AdminSessionsRepository,
    private readonly users: AdminUsersService,
  ) {}

  async create(userId: string, stage: AdminSession['stage'], ip: string, userAgent: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.sessions.insert(
      { idHash: sha256(token), userId, csrfToken, stage, ip: ip.slice(0, 64), userAgent: userAgent.slice(0, 256) },
      SESSION_MAX_HOURS,
    );
    // Housekeeping on login: expired rows go, so the table stays the size of the active staff.
    await this.sessions.deleteExpired(IDLE_TIMEOUT_MINUTES);
    return token;
  }

  /** The live session and its user, touching it (one statement: a timed-out session cannot be revived). */
  async resolve(token: string | undefined): Promise<{ session: AdminSession; user: AdminUser } | null> {
    if (!token || token.length > 100) return null;
    const r = await this.sessions.touch(sha256(token), IDLE_TIMEOUT_MINUTES);
    if (!r) return null;
    const user = await this.users.findById(r.user_id);
    if (!user || user.disabled) return null;
    return { session: { idHash: r.id_hash, userId: r.user_id, csrfToken: r.csrf_token, stage: r.stage, totpPending: r.totp_pending ?? null }, user };
  }

  activate(idHash: string): Promise<void> {
    return this.sessions.activate(idHash);
  }

  setTotpPending(idHash: string, secret: string | null): Promise<void> {
    return this.sessions.setTotpPending(idHash, secret);
  }

  destroy(idHash: string): Promise<void> {
    return this.sessions.delete(idHash);
  }

  /** After a password change, role change or disable: every other session of that person ends. */
  destroyAllFor(userId: string, exceptIdHash?: string): Promise<void> {
    return this.sessions.deleteAllFor(userId, exceptIdHash ?? null);
  }
}
