import { Injectable } from '@nestjs/common';

import { AuditRow, toAuditRow } from '../../audit/audit.service';
import { AuditFilters } from './audit-filters';
import { AuditLogRepository } from './audit-log.repository';

/**
 * The console's read side of the audit log: filtered pages, newest first, and the whole match for export.
 * Newest first means by the numeric id: the keyset (`beforeId`) is only sound on that order. Issue 26: the
 * SQL once sorted the ids as text, page 1 of 1,033 entries read 999, 998 … 99, 989 and the export of 1,034
 * entries had 8,000 rows. A page out of that order is refused here rather than shown or exported wrong.
 */
@Injectable()
export class AuditQueryService {
  constructor(private readonly repo: AuditLogRepository) {}

  async page(f: AuditFilters, limit: number): Promise<AuditRow[]> {
    const rows = (await this.repo.page(f, limit)).map(toAuditRow);
    descending(rows, f.beforeId);
    return rows;
  }

  async count(f: AuditFilters): Promise<number> {
    return this.repo.count(f);
  }

  /**
   * Keyset batches down the ids, from the head as the export starts: entries appended while it streams are
   * not in it. Each batch continues strictly below the last id yielded, so no entry is exported twice.
   */
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

/** Throws unless the ids fall strictly, as numbers, and all lie below `beforeId`. */
function descending(rows: AuditRow[], beforeId: string | undefined): void {
  let above = beforeId === undefined ? null : BigInt(beforeId);
  for (const r of rows) {
    const id = BigInt(r.id);
    if (above !== null && id >= above) throw new Error(`audit log page out of order: entry ${r.id} after ${above} (the ids must fall as numbers)`);
    above = id;
  }
}
