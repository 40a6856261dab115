import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A live session row as `touch` returns it. */
export interface AdminSessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  stage: 'MFA' | 'ACTIVE';
  totp_pending: string | null;
}

export interface NewAdminSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  stage: 'MFA' | 'ACTIVE';
  ip: string;
  userAgent: string;
}

/** The admin_session table: hashed session ids, idle and absolute expiry evaluated by PostgreSQL's clock. */
@Injectable()
export class AdminSessionsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(s: NewAdminSession, maxHours: number): Promise<void> {
    await this.db.query(
      `INSERT INTO admin_session (id_hash, user_id, csrf_token, stage, ip, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
      [s.idHash, s.userId, s.csrfToken, s.stage, s.ip, s.userAgent, maxHours],
    );
  }

  async deleteExpired(idleMinutes: number): Promise<void> {
    await this.db.query(`DELETE FROM admin_session WHERE expires_at < now() OR last_seen_at < now() - make_interval(mins => $1)`, [idleMinutes]);
  }

  /** The live session, touched in the same statement (a timed-out session cannot be revived). */
  async touch(idHash: string, idleMinutes: number): Promise<AdminSessionRow | null> {
    const [rows] = await this.db.query(
      `UPDATE admin_session SET last_seen_at = now()
       WHERE id_hash = $1 AND last_seen_at > now() - make_interval(mins => $2) AND expires_at > now()
       RETURNING id_hash, user_id, csrf_token, stage, totp_pending`,
      [idHash, idleMinutes],
    );
    return rows[0] ?? null;
  }

  async activate(idHash: string): Promise<void> {
    await this.db.query(`UPDATE admin_session SET stage = 'ACTIVE' WHERE id_hash = $1`, [idHash]);
  }

  async setTotpPending(idHash: string, secret: string | null): Promise<void> {
    await this.db.query('UPDATE admin_session SET totp_pending = $2 WHERE id_hash = $1', [idHash, secret]);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM admin_session WHERE id_hash = $1', [idHash]);
  }

  async deleteAllFor(userId: string, exceptIdHash: string | null): Promise<void> {
    await this.db.query('DELETE FROM admin_session WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [userId, exceptIdHash]);
  }
}
