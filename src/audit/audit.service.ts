import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { loadConfig } from '../config/gateway-config';
import { AuditFilter, AuditRepository } from './audit.repository';
import { AuditRecord, chainHash } from './audit-hash';
import { AuditKey } from './audit-key';
import type { AuditRow } from './audit-row';
import { verifyAuditChain } from './audit-verifier';

export { AUDIT_COLUMNS, toAuditRow } from './audit.repository';

export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED' | 'PENDING' | 'UNKNOWN';

export interface AuditEntry {
  /** Who: the admin user's id when known, and a readable name ("admin:alice", "system:expiry-job"). */
  actorId?: string | null;
  actor: string;
  /** What: a verb such as LOGIN, CAPTURE, APPROVE_CAPTURE, CREATE_USER. */
  action: string;
  /** On what: a payment id (gwp_…), a user name, a request id. */
  target?: string | null;
  /** From where: the client IP as the gateway saw it. */
  ip?: string | null;
  outcome: AuditOutcome;
  /** Never card data: amounts, result codes, reasons. */
  detail?: Record<string, unknown> | null;
}

export type { AuditRow } from './audit-row';

/**
 * The append-only, hash-chained audit log. Appends take the chain head row's lock, so they are
 * serialized across every gateway instance; pass the caller's EntityManager to append inside its
 * transaction (the entry then commits or rolls back with the change it describes).
 */
@Injectable()
export class AuditService {
  private loadedKey: AuditKey | undefined;

  /**
   * Outside Nest (the merchant CLI) the repository is made from the DataSource, and the key is loaded as the
   * gateway loads it (AUDIT_HMAC_KEY_FILE, else the development key under GATEWAY_DATA_DIR) when first needed.
   */
  constructor(
    private readonly db: DataSource,
    private readonly rows: AuditRepository = new AuditRepository(db),
    @Optional() key?: AuditKey,
  ) {
    this.loadedKey = key;
  }

  private key(): AuditKey {
    return (this.loadedKey ??= AuditKey.load(loadConfig(process.env).dataDir));
  }

  append(entry: AuditEntry, em?: EntityManager): Promise<AuditRow> {
    return em ? this.appendIn(em, entry) : this.db.transaction((tx) => this.appendIn(tx, entry));
  }

  private async appendIn(tx: EntityManager, entry: AuditEntry): Promise<AuditRow> {
    const head = await this.rows.lockHead(tx);
    const record: AuditRecord = {
      id: (BigInt(head.last_id) + 1n).toString(),
      occurredAt: new Date(),
      actorId: entry.actorId ?? null,
      actor: entry.actor.slice(0, 128),
      action: entry.action.slice(0, 64),
      target: entry.target?.slice(0, 128) ?? null,
      ip: entry.ip?.slice(0, 64) ?? null,
      outcome: entry.outcome,
      detail: entry.detail ? jsonSafe(entry.detail) : null,
      prevHash: head.last_hash,
    };
    const keyedFrom = head.keyed_from ? BigInt(head.keyed_from) : null;
    const hash = chainHash(record, keyedFrom, keyedFrom !== null && BigInt(record.id) >= keyedFrom ? this.key() : null);
    await this.rows.insert(tx, record, hash);
    await this.rows.moveHead(tx, record.id, hash);
    return { ...record, hash };
  }

  /** Re-hashes the whole chain (the console's "verify" button; `npm run audit:verify` does the same). */
  async verifyChain(): ReturnType<typeof verifyAuditChain> {
    const chain = this.rows.chain();
    return verifyAuditChain(chain, (await chain.head())?.keyed_from ? this.key() : null);
  }

  /** Newest first, optionally for one target (a payment's page shows its own entries). */
  recent(opts: AuditFilter = {}): Promise<AuditRow[]> {
    return this.rows.recent(opts);
  }
}

/** bigint amounts become strings, undefined disappears: what jsonb gives back is what was hashed. */
// Record: an audit entry's detail is whatever its caller recorded (any JSON); this only makes it JSON-safe.
function jsonSafe(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}
