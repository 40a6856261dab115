import { Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { loadPublicKey } from '../antom/keys';
import { Merchant, MerchantKey } from './merchant.entity';
import type { AvsPolicy } from './merchant-admin';

export interface MerchantIdentity {
  id: string;
  clientId: string;
  status: string;
  notifyUrl: string | null;
  keys: Map<number, KeyObject>;
  latestKeyVersion: number;
  avsPolicy: 'ACCEPT' | 'REVIEW' | 'VOID';
}

const CACHE_TTL_MS = 30_000;
/** Bounded: random Client-Id values must not grow the cache without limit. */
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Looks up merchants by client id with their parsed public keys. Parsed keys are cached briefly:
 * parsing a key per request would cost more than the verify itself, and a 30 s TTL bounds how long a
 * revoked key keeps working on another instance.
 */
@Injectable()
export class MerchantsService {
  private readonly cache = new Map<string, { at: number; value: MerchantIdentity | null }>();

  constructor(private readonly db: DataSource) {}

  async findByClientId(clientId: string): Promise<MerchantIdentity | null> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
    const merchant = await this.db.getRepository(Merchant).findOne({ where: { clientId }, relations: { keys: true } });
    const value = merchant ? toIdentity(merchant) : null;
    // Only known merchants are cached: an unknown id costs a query each time instead of a cache slot.
    if (value) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
      this.cache.set(clientId, { at: Date.now(), value });
    }
    return value;
  }

  async findById(id: string): Promise<MerchantIdentity | null> {
    const merchant = await this.db.getRepository(Merchant).findOne({ where: { id }, relations: { keys: true } });
    return merchant ? toIdentity(merchant) : null;
  }

  /** The merchant's AVS/CVV policy, read in the caller's transaction (settlement decides with it). */
  async avsPolicyOf(q: Pick<EntityManager, 'query'>, id: string): Promise<AvsPolicy> {
    const rows: Array<{ avs_policy: AvsPolicy }> = await q.query(`SELECT avs_policy FROM merchant WHERE id = $1`, [id]);
    return rows[0]?.avs_policy ?? 'ACCEPT';
  }

  async create(clientId: string, name: string, publicKeyPem: string, notifyUrl?: string): Promise<Merchant> {
    return this.db.transaction(async (tx) => {
      const merchant = await tx.save(Merchant, tx.create(Merchant, { clientId, name, status: 'ACTIVE', notifyUrl: notifyUrl ?? null }));
      await tx.insert(MerchantKey, { merchantId: merchant.id, keyVersion: 1, publicKeyPem });
      this.cache.delete(clientId);
      return merchant;
    });
  }
}

function toIdentity(m: Merchant): MerchantIdentity {
  const keys = new Map<number, KeyObject>(m.keys.map((k: MerchantKey) => [k.keyVersion, loadPublicKey(k.publicKeyPem)]));
  return { id: m.id, clientId: m.clientId, status: m.status, notifyUrl: m.notifyUrl, keys, latestKeyVersion: Math.max(0, ...keys.keys()), avsPolicy: m.avsPolicy ?? 'ACCEPT' };
}
