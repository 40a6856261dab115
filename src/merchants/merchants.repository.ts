import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { Merchant, MerchantKey } from './merchant.entity';
import type { AvsPolicy, MerchantChanges } from './merchant-policies';

/** A merchant row with its keys as `views` reads it (the CLI's list and show). */
export interface MerchantListRow {
  client_id: string;
  name: string;
  status: string;
  notify_url: string | null;
  avs_policy: string;
  auth_expiry_policy: string;
  created_at: Date;
  keys: Array<{ v: number; pem: string; at: string }>;
}

export interface NewMerchantRow {
  clientId: string;
  name: string;
  notifyUrl: string | null;
  avsPolicy: string;
  authExpiryPolicy: string;
}

const COLUMNS: Record<keyof MerchantChanges, string> = {
  name: 'name',
  notifyUrl: 'notify_url',
  avsPolicy: 'avs_policy',
  authExpiryPolicy: 'auth_expiry_policy',
  status: 'status',
};

/** The merchant and merchant_key tables. Writes take the caller's transaction. */
@Injectable()
export class MerchantsRepository {
  constructor(private readonly db: DataSource) {}

  findByClientIdWithKeys(clientId: string): Promise<Merchant | null> {
    return this.db.getRepository(Merchant).findOne({ where: { clientId }, relations: { keys: true } });
  }

  findByIdWithKeys(id: string): Promise<Merchant | null> {
    return this.db.getRepository(Merchant).findOne({ where: { id }, relations: { keys: true } });
  }

  async avsPolicyOf(q: Pick<EntityManager, 'query'>, id: string): Promise<AvsPolicy | undefined> {
    const rows: Array<{ avs_policy: AvsPolicy }> = await q.query(`SELECT avs_policy FROM merchant WHERE id = $1`, [id]);
    return rows[0]?.avs_policy;
  }

  /** An ACTIVE merchant with keyVersion 1, through the entities (their defaults apply). */
  async insertWithFirstKey(tx: EntityManager, clientId: string, name: string, publicKeyPem: string, notifyUrl: string | null): Promise<Merchant> {
    const merchant = await tx.save(Merchant, tx.create(Merchant, { clientId, name, status: 'ACTIVE', notifyUrl }));
    await tx.insert(MerchantKey, { merchantId: merchant.id, keyVersion: 1, publicKeyPem });
    return merchant;
  }

  /** The new merchant's id, or null when the client id is taken (nothing written then). */
  async insertIfAbsent(tx: EntityManager, m: NewMerchantRow): Promise<string | null> {
    const [row] = await tx.query(
      `INSERT INTO merchant (client_id, name, status, notify_url, avs_policy, auth_expiry_policy)
       VALUES ($1, $2, 'ACTIVE', $3, $4, $5) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
      [m.clientId, m.name, m.notifyUrl, m.avsPolicy, m.authExpiryPolicy],
    );
    return row ? row.id : null;
  }

  /** The merchant's id with its row locked for the transaction (changes to one merchant queue up), or null. */
  async lockByClientId(tx: EntityManager, clientId: string): Promise<string | null> {
    const [row] = await tx.query('SELECT id FROM merchant WHERE client_id = $1 FOR UPDATE', [clientId]);
    return row ? row.id : null;
  }

  async nextKeyVersion(tx: EntityManager, merchantId: string): Promise<number> {
    const [{ next }] = await tx.query('SELECT COALESCE(MAX(key_version), 0) + 1 AS next FROM merchant_key WHERE merchant_id = $1', [merchantId]);
    return Number(next);
  }

  /** The keyVersion under which this exact key is already registered, if it is. */
  async keyVersionOf(tx: EntityManager, merchantId: string, publicKeyPem: string): Promise<number | undefined> {
    const [dup] = await tx.query('SELECT key_version FROM merchant_key WHERE merchant_id = $1 AND public_key_pem = $2', [merchantId, publicKeyPem]);
    return dup ? dup.key_version : undefined;
  }

  keysOf(tx: EntityManager, merchantId: string): Promise<Array<{ key_version: number; public_key_pem: string }>> {
    return tx.query('SELECT key_version, public_key_pem FROM merchant_key WHERE merchant_id = $1', [merchantId]);
  }

  async insertKey(tx: EntityManager, merchantId: string, keyVersion: number, publicKeyPem: string): Promise<void> {
    await tx.query('INSERT INTO merchant_key (merchant_id, key_version, public_key_pem) VALUES ($1, $2, $3)', [merchantId, keyVersion, publicKeyPem]);
  }

  async deleteKey(tx: EntityManager, merchantId: string, keyVersion: number): Promise<void> {
    await tx.query('DELETE FROM merchant_key WHERE merchant_id = $1 AND key_version = $2', [merchantId, keyVersion]);
  }

  /** The named fields' current values, keyed by their MerchantChanges names (the audit's "before"). */
  async fieldsOf(tx: EntityManager, merchantId: string, fields: Array<keyof MerchantChanges>): Promise<{ [K in keyof MerchantChanges]?: unknown }> {
    const [before] = await tx.query(`SELECT ${fields.map((k) => `${COLUMNS[k]} AS "${k}"`).join(', ')} FROM merchant WHERE id = $1`, [merchantId]);
    return before;
  }

  async updateFields(tx: EntityManager, merchantId: string, fields: Array<[keyof MerchantChanges, unknown]>): Promise<void> {
    const sets = fields.map(([k], i) => `${COLUMNS[k]} = $${i + 2}`).join(', ');
    await tx.query(`UPDATE merchant SET ${sets} WHERE id = $1`, [merchantId, ...fields.map(([, v]) => v)]);
  }

  /** Every merchant (or one) with its keys, oldest first. */
  listWithKeys(clientId?: string): Promise<MerchantListRow[]> {
    return this.db.query(
      `SELECT m.client_id, m.name, m.status, m.notify_url, m.avs_policy, m.auth_expiry_policy, m.created_at,
              COALESCE(json_agg(json_build_object('v', k.key_version, 'pem', k.public_key_pem, 'at', k.created_at) ORDER BY k.key_version)
                FILTER (WHERE k.key_version IS NOT NULL), '[]') AS keys
         FROM merchant m LEFT JOIN merchant_key k ON k.merchant_id = m.id
        ${clientId ? 'WHERE m.client_id = $1' : ''}
        GROUP BY m.id ORDER BY m.created_at, m.client_id`,
      clientId ? [clientId] : [],
    );
  }

  /** Client ids of ACTIVE merchants beginning with `prefix` (taken literally: `_` and `%` are escaped). */
  async activeClientIdsStartingWith(prefix: string): Promise<string[]> {
    const rows: Array<{ client_id: string }> = await this.db.query(`SELECT client_id FROM merchant WHERE client_id LIKE $1 AND status = 'ACTIVE'`, [
      `${prefix.replace(/[\\_%]/g, (c) => `\\${c}`)}%`,
    ]);
    return rows.map((r) => r.client_id);
  }
}
