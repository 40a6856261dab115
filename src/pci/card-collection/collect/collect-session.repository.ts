import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { affectedRows } from '../../../platform/database/affected-rows';
import { Queryable } from '../../../platform/database/prepared';

export interface NewCollectSession {
  id: string;
  merchantId: string;
  parentOrigin: string;
  onFile: boolean;
  ttlSeconds: number;
}

/** A session the page may still be shown for. */
export interface OpenSessionRow {
  id: string;
  merchant_id: string;
  parent_origin: string;
  on_file: boolean;
  framed: boolean;
  redirect_url: string | null;
}

/** A session as a submit sees it, locked. */
export interface SubmitSessionRow {
  merchant_id: string;
  on_file: boolean;
  accept_header: string | null;
  attempts: number;
  card_id: string | null;
  live: boolean;
}

/** card_collect_session (the hosted card page's sessions) and the merchant's collect_origins. */
@Injectable()
export class CollectSessionRepository {
  constructor(private readonly db: DataSource) {}

  /** A top-level vaulting page's session, kept on file, in the caller's transaction; its expiry. */
  async insertVaultingPage(tx: Queryable, s: Omit<NewCollectSession, 'onFile'>, redirectUrl: string | null): Promise<Date> {
    const rows = await tx.query(
      `INSERT INTO card_collect_session (id, merchant_id, parent_origin, on_file, framed, redirect_url, expires_at)
       VALUES ($1, $2, $3, true, false, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
      [s.id, s.merchantId, s.parentOrigin, redirectUrl, s.ttlSeconds],
    );
    return new Date(rows[0].expires_at);
  }

  async insert(s: NewCollectSession): Promise<void> {
    await this.db.query(
      `INSERT INTO card_collect_session (id, merchant_id, parent_origin, on_file, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [s.id, s.merchantId, s.parentOrigin, s.onFile, s.ttlSeconds],
    );
  }

  /** A vaulting page's session locked for the caller's transaction: its card, and whether it is unexpired. */
  async lockVaultingPage(tx: Queryable, id: string): Promise<{ card_id: string | null; live: boolean } | undefined> {
    const rows = await tx.query(`SELECT card_id, expires_at > now() AS live FROM card_collect_session WHERE id = $1 AND NOT framed FOR UPDATE`, [id]);
    return rows[0];
  }

  /** The session locked for the caller's transaction (a double submit waits here). */
  async lockForSubmit(tx: Queryable, id: string): Promise<SubmitSessionRow | undefined> {
    const rows = await tx.query(
      `SELECT merchant_id, on_file, accept_header, attempts, card_id, expires_at > now() AS live FROM card_collect_session WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async countAttempt(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE card_collect_session SET attempts = attempts + 1 WHERE id = $1`, [id]);
  }

  async attachCard(tx: Queryable, id: string, cardId: string): Promise<void> {
    await tx.query(`UPDATE card_collect_session SET card_id = $2 WHERE id = $1`, [id, cardId]);
  }

  /** The session while it is unspent, unexpired and under `maxAttempts`; the first Accept header is kept. */
  async open(id: string, acceptHeader: string | null, maxAttempts: number): Promise<OpenSessionRow | undefined> {
    const rows = await this.db.query(
      `UPDATE card_collect_session SET accept_header = coalesce(accept_header, $2)
        WHERE id = $1 AND card_id IS NULL AND expires_at > now() AND attempts < $3
        RETURNING id, merchant_id, parent_origin, on_file, framed, redirect_url`,
      [id, acceptHeader, maxAttempts],
    );
    const r = Array.isArray(rows[0]) ? rows[0][0] : rows[0];
    return r?.id ? r : undefined;
  }

  async allowedOrigins(merchantId: string): Promise<string[]> {
    const rows = await this.db.query(`SELECT collect_origins FROM merchant WHERE id = $1`, [merchantId]);
    return rows[0]?.collect_origins ?? [];
  }

  async setAllowedOrigins(merchantId: string, origins: string[]): Promise<void> {
    await this.db.query(`UPDATE merchant SET collect_origins = $2 WHERE id = $1`, [merchantId, origins]);
  }

  /**
   * Sessions a day past their expiry: nothing can use them any more, and their rows (origin, browser
   * Accept header, attempt count) need not be kept. The card they collected stays.
   */
  async purgeExpired(): Promise<number> {
    const res = await this.db.query(`DELETE FROM card_collect_session WHERE expires_at < now() - interval '1 day' RETURNING id`);
    return affectedRows(res);
  }
}
