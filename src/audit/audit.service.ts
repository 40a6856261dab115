import { verifyAuditChain } from './audit-verifier';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { auditHash, AuditRecord } from './audit-hash';

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

export interface AuditRow extends AuditRecord {
  hash: string;
}

/**
 * The append-only, hash-chained audit log. Appends take the chain head row's lock, so they are
 * serialized across every gateway instance; pass the caller's EntityManager to append inside its
 * transaction (the entry then commits or rolls back with the change it describes).
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  append(entry: AuditEntry, em?: EntityManager): Promise<AuditRow> {
    return em ? this.appendIn(em, entry) : this.db.transaction((tx) => this.appendIn(tx, entry));
  }

  private async appendIn(tx: EntityManager, entry: AuditEntry): Promise<AuditRow> {
    const [head] = await tx.query('SELECT last_id::text AS last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
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
    const hash = auditHash(record);
    await tx.query(
      `INSERT INTO audit_log (id, occurred_at, actor_id, actor, action, target, ip, outcome, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [record.id, record.occurredAt, record.actorId, record.actor, record.action, record.target, record.ip, record.outcome, record.detail, record.prevHash, hash],
    );
    await tx.query('UPDATE audit_chain_head SET last_id = $1, last_hash = $2 WHERE id = 1', [record.id, hash]);
    return { ...record, hash };
  }

  /** Newest first, optionally for one target (a payment's page shows its own entries). */
  /** Re-hashes the whole chain (the console's "verify" button; `npm run audit:verify` does the same). */
  verifyChain(): ReturnType<typeof verifyAuditChain> {
    return verifyAuditChain((sql, params) => this.db.query(sql, params));
  }

  async recent(opts: { limit?: number; beforeId?: string; target?: string; actor?: string; action?: string } = {}): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (opts.beforeId) add('id < ?', opts.beforeId);
    if (opts.target) add('target = ?', opts.target);
    if (opts.actor) add('actor = ?', opts.actor);
    if (opts.action) add('action = ?', opts.action);
    params.push(Math.min(opts.limit ?? 50, 500));
    const rows = await this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditRow);
  }
}

export const AUDIT_COLUMNS = 'id::text AS id, occurred_at, actor_id, actor, action, target, ip, outcome, detail, prev_hash, hash';

export function toAuditRow(r: any): AuditRow {
  return {
    id: r.id, occurredAt: new Date(r.occurred_at), actorId: r.actor_id, actor: r.actor, action: r.action, target: r.target,
    ip: r.ip, outcome: r.outcome, detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** bigint amounts become strings, undefined disappears: what jsonb gives back is what was hashed. */
function jsonSafe(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}
