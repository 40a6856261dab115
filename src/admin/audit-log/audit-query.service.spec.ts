import { mock } from 'jest-mock-extended';

import { anAuditDbRow } from '../admin.fakes';
import { AuditFilters } from './audit-filters';
import { AuditLogRepository } from './audit-log.repository';
import { AuditQueryService } from './audit-query.service';

const NONE: AuditFilters = { raw: {}, errors: [] };

/**
 * An audit log of ids 1…n, answering `page` as the SQL does: ids below `beforeId`, newest first, at most `limit`.
 * `order` is how the ids are sorted: 'numeric' is the fixed `ORDER BY audit_log.id DESC`; 'text' is issue 26's bug
 * (`ORDER BY id DESC` naming the `id::text` output column).
 */
function logOf(n: number, order: 'numeric' | 'text' = 'numeric') {
  const repo = mock<AuditLogRepository>();
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  repo.pastHead.mockResolvedValue(String(n + 1));
  repo.count.mockResolvedValue(n);
  repo.page.mockImplementation(async (f, limit) => {
    const below = ids.filter((id) => f.beforeId === undefined || id < Number(f.beforeId));
    const sorted = order === 'numeric' ? below.sort((a, b) => b - a) : below.map(String).sort().reverse().map(Number);
    return sorted.slice(0, limit).map((id) => anAuditDbRow(id));
  });
  return repo;
}

async function exported(service: AuditQueryService, f: AuditFilters = NONE, batch?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const r of service.allMatching(f, batch)) out.push(r.id);
  return out;
}

describe('AuditQueryService', () => {
  describe('page (issue 26: newest first by the numeric id)', () => {
    it('page 1 of 1,033 entries reads 1033, 1032 … 934', async () => {
      const service = new AuditQueryService(logOf(1033));
      const ids = (await service.page(NONE, 100)).map((r) => r.id);
      expect(ids).toHaveLength(100);
      expect(ids.slice(0, 3)).toEqual(['1033', '1032', '1031']);
      expect(ids[99]).toBe('934');
    });

    it('crosses the 1000 → 999 boundary in order on the "older than" page', async () => {
      const service = new AuditQueryService(logOf(1033));
      const ids = (await service.page({ ...NONE, beforeId: '1002' }, 4)).map((r) => r.id);
      expect(ids).toEqual(['1001', '1000', '999', '998']);
    });

    it('refuses a page the store sorted as text instead of showing 999, 998 … 99, 989', async () => {
      const service = new AuditQueryService(logOf(1033, 'text'));
      await expect(service.page(NONE, 100)).rejects.toThrow(/out of order: entry 989 after 99 /);
    });

    it('refuses a row at or above the keyset cursor (a repeated entry)', async () => {
      const repo = mock<AuditLogRepository>();
      repo.page.mockResolvedValue([anAuditDbRow(50), anAuditDbRow(49)]);
      await expect(new AuditQueryService(repo).page({ ...NONE, beforeId: '50' }, 10)).rejects.toThrow(/entry 50 after 50/);
    });

    it('maps the stored row (id as text, times as Date) and passes the filters and limit through', async () => {
      const repo = mock<AuditLogRepository>();
      repo.page.mockResolvedValue([anAuditDbRow('9007199254740993', { occurred_at: '2026-03-01T10:00:00.000Z', detail: { amount: '5' } })]);
      const f: AuditFilters = { ...NONE, actor: 'alice', outcome: 'DENIED' };
      const [row] = await new AuditQueryService(repo).page(f, 100);
      expect(row).toMatchObject({
        id: '9007199254740993',
        occurredAt: new Date('2026-03-01T10:00:00Z'),
        actor: 'admin:alice',
        detail: { amount: '5' },
      });
      expect(repo.page).toHaveBeenCalledWith(f, 100);
    });

    it('an empty log is an empty page', async () => {
      expect(await new AuditQueryService(logOf(0)).page(NONE, 100)).toEqual([]);
    });
  });

  describe('allMatching (the CSV export)', () => {
    it('exports each of 1,034 entries exactly once, newest first, in batches down from the head', async () => {
      const repo = logOf(1034);
      const ids = await exported(new AuditQueryService(repo));
      expect(ids).toHaveLength(1034);
      expect(new Set(ids).size).toBe(1034);
      expect(ids).toEqual(Array.from({ length: 1034 }, (_, i) => String(1034 - i)));
      // keyset: the head, then the last id of the full first batch
      expect(repo.page.mock.calls.map(([f, limit]) => [f.beforeId, limit])).toEqual([
        ['1035', 1000],
        ['35', 1000],
      ]);
    });

    it('stops after an empty batch when the count is an exact multiple of the batch', async () => {
      const repo = logOf(20);
      expect(await exported(new AuditQueryService(repo), NONE, 10)).toHaveLength(20);
      expect(repo.page.mock.calls.map(([f]) => f.beforeId)).toEqual(['21', '11', '1']);
    });

    it('starts below the filter\'s own "older than" id without reading the head', async () => {
      const repo = logOf(1033);
      const ids = await exported(new AuditQueryService(repo), { ...NONE, beforeId: '1001' }, 500);
      expect(ids).toHaveLength(1000);
      expect([ids[0], ids[999]]).toEqual(['1000', '1']);
      expect(repo.pastHead).not.toHaveBeenCalled();
    });

    it('keeps the other filters on every batch', async () => {
      const repo = logOf(30);
      await exported(new AuditQueryService(repo), { ...NONE, action: 'CAPTURE', raw: { action: 'CAPTURE' } }, 10);
      expect(repo.page.mock.calls.every(([f]) => f.action === 'CAPTURE')).toBe(true);
    });

    it('an export over a text-sorted store fails instead of writing 8,000 rows for 1,034 entries', async () => {
      await expect(exported(new AuditQueryService(logOf(1034, 'text')))).rejects.toThrow(/out of order/);
    });

    it('an empty log exports nothing', async () => {
      expect(await exported(new AuditQueryService(logOf(0)))).toEqual([]);
    });
  });

  it('count passes the filters to the repository', async () => {
    const repo = logOf(1033);
    expect(await new AuditQueryService(repo).count(NONE)).toBe(1033);
    expect(repo.count).toHaveBeenCalledWith(NONE);
  });
});
