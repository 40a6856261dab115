import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_COLUMNS, AuditRow, toAuditRow } from '../../audit/audit.service';
import { likeLiteral } from '../payments/admin-payments.service';
import { AuditFilters } from './audit-filters';

function conditions(f: AuditFilters): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replaceAll('?', `$${params.length}`)); };
  for (const k of ['actor', 'action', 'target'] as const) if (f[k]) add(`coalesce(${k}, '') ILIKE '%' || ? || '%' ESCAPE '\\'`, likeLiteral(f[k]!));
  if (f.outcome) add('outcome = ?', f.outcome);
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.beforeId) add('id < ?', f.beforeId);
  return { where, params };
}

/** The console's read side of the audit log: filtered pages, newest first, and the whole match for export. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly db: DataSource) {}

  async page(f: AuditFilters, limit: number): Promise<AuditRow[]> {
    const { where, params } = conditions(f);
    return (await this.db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${limit}`, params)).map(toAuditRow);
  }

  async count(f: AuditFilters): Promise<number> {
    const { where, params } = conditions(f);
    return (await this.db.query(`SELECT count(*)::int AS n FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params))[0].n;
  }

  /** Keyset batches down the ids, from the head as the export starts: entries appended while it streams are not in it. */
  async *allMatching(f: AuditFilters, batch = 1000): AsyncGenerator<AuditRow> {
    let before = f.beforeId ?? ((await this.db.query('SELECT (last_id + 1)::text AS n FROM audit_chain_head'))[0].n as string);
    for (;;) {
      const rows = await this.page({ ...f, beforeId: before }, batch);
      for (const r of rows) yield r;
      if (rows.length < batch) return;
      before = rows[rows.length - 1].id;
    }
  }
}
