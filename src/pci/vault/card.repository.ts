import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { affectedRows } from '../../platform/database/affected-rows';
import { Queryable } from '../../platform/database/prepared';
import { RideAlong, TRANSITION_ROW } from '../../platform/database/ride-along';
import { insertRow, Sql } from '../../platform/database/sql';
import { CardRecord, CardSecret, CvvKey } from './card.entity';
import { TokenCard } from './token-card';

/** A card's sealed fields and its CVV's, read in one snapshot for decryption. */
export interface SealedCardRow {
  id: string;
  kek_version: number;
  field_key_version: number;
  wrapped_dek: Buffer;
  pan_enc: Buffer;
  expiry_enc: Buffer;
  holder_enc: Buffer | null;
  cvv_enc: Buffer | null;
  cvv_live: boolean | null;
  /** The CVV's own data key (table cvv_key); null once destroyed, or after a crash truncated it. */
  cvv_kek_version: number | null;
  cvv_wrapped_key: Buffer | null;
}

/** What the expiry sweep reads of a stored card: its sealed expiry and the key that opens it. */
export interface SealedExpiryRow {
  id: string;
  kek_version: number;
  field_key_version: number;
  wrapped_dek: Buffer;
  expiry_enc: Buffer;
}

/** A data key to re-wrap (key rotation). */
export interface WrappedKeyRow {
  id: string;
  kek_version: number;
  wrapped_dek: Buffer;
}

export interface ConsentRow {
  consent_at: Date | null;
  network_transaction_id: string | null;
}

/** The CVV's destruction as a statement; `after` makes it conditional on that CTE having returned a row. */
export function destroyCvvSql(cardId: string, after?: string): Sql {
  return { text: `DELETE FROM card_secret WHERE card_id = $1${after ? ` AND EXISTS (SELECT 1 FROM ${after})` : ''}`, values: [cardId] };
}

/** Intent: destroy the card's CVV, in the statement of the payment transition that ends its authorization. */
export function cvvDestroyedAlong(cardId: string): RideAlong {
  return { ctes: [['cvv', destroyCvvSql(cardId, TRANSITION_ROW)]] };
}

/** The vault's card and card_secret tables (ciphertext, key versions, the masked view, consent). */
@Injectable()
export class CardRepository {
  constructor(private readonly db: DataSource) {}

  /** The INSERTs of a card and (with a CVV) its secret and the CVV's key, named for a caller that runs them in its own statement. */
  insertStatements(card: Partial<CardRecord>, secret?: Partial<CardSecret>, cvvKey?: Partial<CvvKey>): Array<[name: string, row: Sql]> {
    const rows: Array<[string, Sql]> = [['card_row', insertRow(this.db.getMetadata(CardRecord), card)]];
    if (secret) rows.push(['card_secret_row', insertRow(this.db.getMetadata(CardSecret), secret)]);
    if (secret && cvvKey) rows.push(['cvv_key_row', insertRow(this.db.getMetadata(CvvKey), cvvKey)]);
    return rows;
  }

  /** Runs `insertStatements` in the caller's transaction, one after the other. */
  async insert(tx: Queryable, rows: Array<[name: string, row: Sql]>): Promise<void> {
    for (const [, row] of rows) await tx.query(row.text, row.values);
  }

  /** One statement: the record and its CVV from the same snapshot, so a concurrent re-wrap is seen whole. */
  async sealed(cardId: string): Promise<SealedCardRow | undefined> {
    const rows: SealedCardRow[] = await this.db.query(
      `SELECT c.id, c.kek_version, c.field_key_version, c.wrapped_dek, c.pan_enc, c.expiry_enc, c.holder_enc,
              s.cvv_enc, s.expires_at > now() AS cvv_live, k.kek_version AS cvv_kek_version, k.wrapped_key AS cvv_wrapped_key
         FROM card c LEFT JOIN card_secret s ON s.card_id = c.id LEFT JOIN cvv_key k ON k.card_id = c.id WHERE c.id = $1`,
      [cardId],
    );
    return rows[0];
  }

  /** The masked view and lifecycle of a token; no ciphertext is read. */
  async findToken(token: string): Promise<TokenCard | null> {
    const rows = await this.db.query(
      `SELECT c.id, c.token, c.merchant_id, c.bin, c.last4, c.brands, c.fingerprint, c.on_file, c.token_expires_at,
              c.consumed_at, c.buyer_env, (k.card_id IS NOT NULL AND s.expires_at > now()) AS has_cvv
         FROM card c LEFT JOIN card_secret s ON s.card_id = c.id LEFT JOIN cvv_key k ON k.card_id = c.id WHERE c.token = $1`,
      [token],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      cardId: r.id,
      token: r.token,
      merchantId: r.merchant_id,
      bin: r.bin,
      last4: r.last4,
      brands: r.brands,
      fingerprint: r.fingerprint,
      onFile: r.on_file,
      tokenExpiresAt: r.token_expires_at,
      consumedAt: r.consumed_at,
      buyerEnv: r.buyer_env,
      hasCvv: r.has_cvv,
    };
  }

  /** False if the one-time token was already spent. */
  async consumeOneTime(tx: Queryable, cardId: string): Promise<boolean> {
    return affectedRows(await tx.query(`UPDATE card SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL RETURNING id`, [cardId])) === 1;
  }

  /** The card row (its CVV row cascades); false when the merchant has no such token. */
  async deleteByToken(merchantId: string, token: string): Promise<boolean> {
    return affectedRows(await this.db.query(`DELETE FROM card WHERE token = $1 AND merchant_id = $2 RETURNING id`, [token, merchantId])) === 1;
  }

  async destroyCvv(tx: Queryable, cardId: string): Promise<void> {
    const d = destroyCvvSql(cardId);
    await tx.query(d.text, d.values);
  }

  async purgeExpiredCvvs(): Promise<number> {
    return affectedRows(await this.db.query(`DELETE FROM card_secret WHERE expires_at < now() RETURNING card_id`));
  }

  async purgeExpiredOneTimeCards(): Promise<number> {
    return affectedRows(await this.db.query(`DELETE FROM card WHERE on_file = false AND token_expires_at < now() - interval '1 day' RETURNING id`));
  }

  /** The next stored (on-file) cards after `after` ('' from the start) in id order: the expiry sweep's batch. */
  onFileExpiryBatch(after: string, limit: number): Promise<SealedExpiryRow[]> {
    return this.db.query(
      `SELECT id, kek_version, field_key_version, wrapped_dek, expiry_enc FROM card WHERE on_file AND id > $1::uuid ORDER BY id LIMIT $2`,
      [after || '00000000-0000-0000-0000-000000000000', limit],
    );
  }

  /** Shreds the given cards (crypto-shredding, as deleteByToken); payments keep their masked view. */
  async deleteCards(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return affectedRows(await this.db.query(`DELETE FROM card WHERE id = ANY($1::uuid[]) RETURNING id`, [ids]));
  }

  /** Records under each KEK version. */
  async census(): Promise<Record<number, number>> {
    const rows: { v: number; n: string }[] = await this.db.query(`SELECT kek_version AS v, count(*) AS n FROM card GROUP BY kek_version`);
    return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
  }

  /** The next rewrap batch after `after` (id order), locked for the caller's transaction; rows locked elsewhere are skipped. */
  lockRewrapBatch(tx: Queryable, to: number, after: string, limit: number): Promise<WrappedKeyRow[]> {
    return tx.query(`SELECT id, kek_version, wrapped_dek FROM card WHERE kek_version <> $1 AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`, [
      to,
      after,
      limit,
    ]);
  }

  /** The wrapped key and its version change together (the row is locked by `lockRewrapBatch`). */
  async rewrapKey(tx: Queryable, id: string, wrapped: Buffer, version: number): Promise<void> {
    await tx.query(`UPDATE card SET wrapped_dek = $1, kek_version = $2 WHERE id = $3`, [wrapped, version, id]);
  }

  countUnder(tx: Queryable, version: number): Promise<number> {
    return tx.query(`SELECT count(*) AS n FROM card WHERE kek_version = $1`, [version]).then((r: { n: string }[]) => Number(r[0].n));
  }

  /** Consent and network transaction id, each kept from the first time it is set; a card on file only. */
  async recordConsent(cardId: string, networkTransactionId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE card SET consent_at = coalesce(consent_at, now()), network_transaction_id = coalesce(network_transaction_id, $2) WHERE id = $1 AND on_file`,
      [cardId, networkTransactionId],
    );
  }

  async consentOf(cardId: string): Promise<ConsentRow | undefined> {
    const rows = await this.db.query(`SELECT consent_at, network_transaction_id FROM card WHERE id = $1`, [cardId]);
    return rows[0];
  }
}
