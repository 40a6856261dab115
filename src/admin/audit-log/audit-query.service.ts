import { Injectable } from '@nestjs/common';
import { AuditRow, toAuditRow } from '../../audit/audit.service';
import { AuditFilters } from './audit-filters';
import { AuditLogRepository } from './audit-log.repository';

/** The console's read side of the audit log: filtered pages, newest first, and the whole match for export. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly repo: AuditLogRepository) {}

  async page(f: AuditFilters, limit: number): Promise<AuditRow[]> {
    return (await this.repo.page(f, limit)).map(toAuditRow);
  }

  async count(f: AuditFilters): Promise<number> {
    return this.repo.count(f);
  }

  /** Keyset batches down the ids, from the head as the export starts: entries appended while it streams are not in it. */
  async *allMatching(f: AuditFilters, batch = 1000): AsyncGenerator<AuditRow> {
    let before = f.beforeId ?? (await this.repo.pastHead());
    for (;;) {
      const rows = await this.page({ ...f, beforeId: before }, batch);
      for (const r of rows) yield r;
      if (rows.length < batch) return;
      before = rows[rows.length - 1].id;
    }
  }
}
