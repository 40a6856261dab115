import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AUDIT_COLUMNS } from '../../audit/audit.service';
import { likeLiteral } from '../payments/admin-payments.repository';
import { AuditFilters } from './audit-filters';

function conditions(f: AuditFilters): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  for (const k of ['actor', 'action', 'target'] as const) {
    const v = f[k];
    if (v) add(`coalesce(${k}, '') ILIKE '%' || ? || '%' ESCAPE '\\'`, likeLiteral(v));
  }
  if (f.outcome) add('outcome = ?', f.outcome);
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.beforeId) add('id < ?', f.beforeId);
  return { where, params };
}

/** The console's reads of audit_log and audit_chain_head (the audit module owns and writes them). */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Raw rows (for toAuditRow) matching the filters, newest first, at most `limit`. Ordered by the table's
   * bigint column, `audit_log.id`: a bare `id` in ORDER BY names the output column, AUDIT_COLUMNS' `id::text`,
   * and sorted as text (issue 26: with 1,033 entries page 1 read 999, 998 … 99, 989 and the CSV export
   * repeated rows). `beforeId` (WHERE `id < $n`) is the keyset on that same column.
   */
  page(f: AuditFilters, limit: number): Promise<unknown[]> {
    const { where, params } = conditions(f);
    return this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY audit_log.id DESC LIMIT ${limit}`,
      params,
    );
  }

  async count(f: AuditFilters): Promise<number> {
    const { where, params } = conditions(f);
    return (await this.db.query(`SELECT count(*)::int AS n FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params))[0].n;
  }

  /** One past the chain's last id: a `beforeId` that takes in every entry written so far. */
  async pastHead(): Promise<string> {
    return (await this.db.query('SELECT (last_id + 1)::text AS n FROM audit_chain_head'))[0].n as string;
  }
}
