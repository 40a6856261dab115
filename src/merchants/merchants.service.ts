import { KeyObject } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { loadPublicKey } from '../antom/keys';
import { Merchant, MerchantKey } from './merchant.entity';
import type { AvsPolicy } from './merchant-admin';
import { MerchantsRepository } from './merchants.repository';

export interface MerchantIdentity {
  id: string;
  clientId: string;
  status: string;
  notifyUrl: string | null;
  keys: Map<number, KeyObject>;
  latestKeyVersion: number;
  avsPolicy: 'ACCEPT' | 'REVIEW' | 'VOID';
}

/** How long a change to a merchant (key, status) may take to reach a running gateway: the CLI's "within 30 s". */
export const MERCHANT_CACHE_TTL_MS = 30_000;
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

  constructor(
    private readonly db: DataSource,
    private readonly merchants: MerchantsRepository,
  ) {}

  async findByClientId(clientId: string): Promise<MerchantIdentity | null> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < MERCHANT_CACHE_TTL_MS) return hit.value;
    const merchant = await this.merchants.findByClientIdWithKeys(clientId);
    const value = merchant ? toIdentity(merchant) : null;
    // Only known merchants are cached: an unknown id costs a query each time instead of a cache slot.
    if (value) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
      this.cache.set(clientId, { at: Date.now(), value });
    }
    return value;
  }

  async findById(id: string): Promise<MerchantIdentity | null> {
    const merchant = await this.merchants.findByIdWithKeys(id);
    return merchant ? toIdentity(merchant) : null;
  }

  /** The merchant's AVS/CVV policy, read in the caller's transaction (settlement decides with it). */
  async avsPolicyOf(q: Pick<EntityManager, 'query'>, id: string): Promise<AvsPolicy> {
    return (await this.merchants.avsPolicyOf(q, id)) ?? 'ACCEPT';
  }

  /** Client ids of ACTIVE merchants whose id begins with `prefix` (start-up names leftover demo merchants). */
  activeClientIdsStartingWith(prefix: string): Promise<string[]> {
    return this.merchants.activeClientIdsStartingWith(prefix);
  }

  async create(clientId: string, name: string, publicKeyPem: string, notifyUrl?: string): Promise<Merchant> {
    return this.db.transaction(async (tx) => {
      const merchant = await this.merchants.insertWithFirstKey(tx, clientId, name, publicKeyPem, notifyUrl ?? null);
      this.cache.delete(clientId);
      return merchant;
    });
  }
}

function toIdentity(m: Merchant): MerchantIdentity {
  const keys = new Map<number, KeyObject>(m.keys.map((k: MerchantKey) => [k.keyVersion, loadPublicKey(k.publicKeyPem)]));
  return {
    id: m.id,
    clientId: m.clientId,
    status: m.status,
    notifyUrl: m.notifyUrl,
    keys,
    latestKeyVersion: Math.max(0, ...keys.keys()),
    avsPolicy: m.avsPolicy ?? 'ACCEPT',
  };
}
