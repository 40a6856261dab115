import { AuditFilters } from '../../src/admin/audit-log/audit-filters';
import { AuditLogRepository } from '../../src/admin/audit-log/audit-log.repository';
import { AuditQueryService } from '../../src/admin/audit-log/audit-query.service';
import { AuditService } from '../../src/audit/audit.service';
import { freshDatabase, TestDatabase } from './support/test-database';

jest.setTimeout(180_000);

const NONE: AuditFilters = { raw: {}, errors: [] };
const N = 1_034;

/**
 * Issue 26: the console's audit log, newest first by the numeric id, on a real PostgreSQL with 1,034 entries
 * (the count: sorted as text, page 1 read 999, 998 … 990, 99, 989 …, entries 1000–1034 were missing
 * and the export of 1,034 entries had 8,000 rows). Appended through AuditService, so the chain verifies.
 */
describe('the console audit log past 1,000 entries (db)', () => {
  let db: TestDatabase;
  let query: AuditQueryService;

  beforeAll(async () => {
    db = await freshDatabase(4);
    const audit = new AuditService(db.ds);
    for (let i = 1; i <= N; i++)
      await audit.append({
        actor: `admin:${i % 2 ? 'alice' : 'bob'}`,
        action: i % 3 ? 'CAPTURE' : 'LOGIN',
        target: `gwp_${i}`,
        outcome: 'SUCCESS',
        detail: { i },
      });
    expect(await audit.verifyChain()).toMatchObject({ ok: true, checked: N });
    query = new AuditQueryService(new AuditLogRepository(db.ds));
  });
  afterAll(() => db?.drop());

  const ids = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => String(from - i));

  it('page 1 is 1034 … 935, as numbers', async () => {
    expect((await query.page(NONE, 100)).map((r) => r.id)).toEqual(ids(1034, 935));
  });

  it('the pages around 1000: older than 1001 is 1000, 999, 998; older than 1000 starts at 999', async () => {
    expect((await query.page({ ...NONE, beforeId: '1001' }, 3)).map((r) => r.id)).toEqual(['1000', '999', '998']);
    expect((await query.page({ ...NONE, beforeId: '1000' }, 2)).map((r) => r.id)).toEqual(['999', '998']);
    expect((await query.page({ ...NONE, beforeId: '100' }, 2)).map((r) => r.id)).toEqual(['99', '98']);
  });

  it('Older → links from page 1 to the end: every entry once, none missing, in order (pages of 100 and of 999)', async () => {
    for (const size of [100, 999]) {
      const seen: string[] = [];
      let beforeId: string | undefined;
      for (;;) {
        const page = await query.page({ ...NONE, beforeId }, size);
        seen.push(...page.map((r) => r.id));
        if (page.length < size) break;
        beforeId = page[page.length - 1].id;
      }
      expect(seen).toEqual(ids(N, 1));
    }
  });

  it('the export (keyset batches of 1000): exactly the 1,034 entries, each once, newest first; filtered, exactly the matches', async () => {
    const all: string[] = [];
    for await (const r of query.allMatching(NONE)) all.push(r.id);
    expect(all).toHaveLength(N);
    expect(new Set(all).size).toBe(N);
    expect(all).toEqual(ids(N, 1));
    expect(await query.count(NONE)).toBe(N);
    const logins: string[] = [];
    const f: AuditFilters = { raw: { action: 'LOGIN' }, errors: [], action: 'LOGIN' };
    for await (const r of query.allMatching(f, 100)) logins.push(r.id);
    expect(logins).toEqual(ids(N, 1).filter((id) => Number(id) % 3 === 0));
    expect(await query.count(f)).toBe(logins.length);
  });
});
