import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import type { AuditRecord } from './audit-hash';
import type { AuditRow } from './audit-row';

/** Anything that answers rows for a statement: a DataSource's `query`, or the CLI's pg client wrapped. */
export type RowsQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

/** The chain head: the last row's id and hash. */
export interface ChainHead {
  last_id: string;
  last_hash: string;
  /** The migration marker: rows from this id on are keyed (HMAC); absent before that migration. */
  keyed_from?: string | null;
}

/** What the verifier reads: rows in id order and the head (see `auditChainOf`). */
export interface AuditChainSource {
  rowsFrom(fromId: bigint, limit: number): Promise<AuditRow[]>;
  head(): Promise<ChainHead | undefined>;
}

export interface AuditFilter {
  limit?: number;
  beforeId?: string;
  target?: string;
  actor?: string;
  action?: string;
}

export const AUDIT_COLUMNS = 'id::text AS id, occurred_at, actor_id, actor, action, target, ip, outcome, detail, prev_hash, hash';

export function toAuditRow(r: any): AuditRow {
  return {
    id: r.id,
    occurredAt: new Date(r.occurred_at),
    actorId: r.actor_id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    ip: r.ip,
    outcome: r.outcome,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The audit_log and audit_chain_head tables. Appends run in the caller's transaction. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /** The head, locked for the transaction: appends on every instance are serialized here. */
  async lockHead(tx: EntityManager): Promise<ChainHead> {
    const [head] = await tx.query(
      'SELECT last_id::text AS last_id, last_hash, keyed_from::text AS keyed_from FROM audit_chain_head WHERE id = 1 FOR UPDATE',
    );
    return head;
  }

  async insert(tx: EntityManager, record: AuditRecord, hash: string): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (id, occurred_at, actor_id, actor, action, target, ip, outcome, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        record.id,
        record.occurredAt,
        record.actorId,
        record.actor,
        record.action,
        record.target,
        record.ip,
        record.outcome,
        record.detail,
        record.prevHash,
        hash,
      ],
    );
  }

  async moveHead(tx: EntityManager, lastId: string, lastHash: string): Promise<void> {
    await tx.query('UPDATE audit_chain_head SET last_id = $1, last_hash = $2 WHERE id = 1', [lastId, lastHash]);
  }

  /** Newest first, at most 500. */
  async recent(opts: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      params.push(v);
      where.push(cond.replace('?', `$${params.length}`));
    };
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

  chain(): AuditChainSource {
    return auditChainOf((sql, params) => this.db.query(sql, params));
  }
}

/** The chain as stored, over any connection (the console's DataSource, or `npm run audit:verify`'s pg client). */
export function auditChainOf(query: RowsQuery): AuditChainSource {
  return {
    rowsFrom: async (fromId, limit) =>
      (await query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id >= $1 ORDER BY audit_log.id LIMIT ${Number(limit)}`, [fromId.toString()])).map(
        toAuditRow,
      ),
    head: async () =>
      (await query('SELECT last_id::text AS last_id, last_hash, keyed_from::text AS keyed_from FROM audit_chain_head WHERE id = 1'))[0],
  };
}

/** The same over a plain pg client (`npm run audit:verify` connects without TypeORM). */
export function auditChainOverClient(client: { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> }): AuditChainSource {
  return auditChainOf(async (sql, params) => (await client.query(sql, params)).rows);
}
