import { anAdminPayment, anAdminUser } from '../admin.fakes';
import { AdminContext } from '../http/admin-http';
import { encodeCursor } from '../payments/payment-cursor';
import { parseFilters } from '../payments/payment-filters';
import { paymentsListPage } from './payments.view';

const ctx = { user: anAdminUser({ role: 'viewer' }), session: { csrfToken: 'csrf', stage: 'ACTIVE' } } as unknown as AdminContext;
const CURSOR = encodeCursor({ seg: 'all', values: ['2026-03-01 10:00:00.123456+00', '0b7e1d2c-1f4a-4c3e-9d51-6a0f3b2c1d4e'] });
const EXACT = { count: 2, capped: false, estimate: null, byCurrency: [] };
const href = (page: string, id: string) => new RegExp(`href="([^"]*)" id="${id}"`).exec(page)?.[1]?.replace(/&amp;/g, '&');

describe('the payments list page: keyset links and capped counts', () => {
  it('Next carries the cursor and the filter; no Previous or First page on the first page', () => {
    const f = parseFilters({ status: ['FAILED', 'UNKNOWN'], merchant: 'acme' });
    const page = String(paymentsListPage(ctx, f, [anAdminPayment()], { next: CURSOR, prev: null }, EXACT));
    const next = new URLSearchParams(href(page, 'page-next')!.split('?')[1]);
    expect([next.get('after'), next.get('merchant'), next.getAll('status')]).toEqual([CURSOR, 'acme', ['FAILED', 'UNKNOWN']]);
    expect(page).not.toContain('id="page-prev"');
    expect(page).not.toContain('id="page-first"');
  });

  it('a later page: Previous with before=, a First page link with no cursor, and the export link without one', () => {
    const f = parseFilters({ after: CURSOR, sort: 'newest' });
    const page = String(paymentsListPage(ctx, f, [anAdminPayment()], { next: null, prev: CURSOR }, EXACT));
    expect(href(page, 'page-prev')).toBe(`/admin/payments?sort=newest&before=${CURSOR}`);
    expect(href(page, 'page-first')).toBe('/admin/payments?sort=newest');
    expect(page).not.toContain('id="page-next"');
    expect(page).toContain('href="/admin/payments/export.csv?sort=newest"');
  });

  it('past the cap: "10,000+", the estimate, and why there are no totals', () => {
    const page = String(
      paymentsListPage(ctx, parseFilters({}), [], { next: null, prev: null }, { count: 10_000, capped: true, estimate: 1_000_000, byCurrency: [] }),
    );
    const totals = /<p id="list-totals">(.*?)<\/p>/s.exec(page)![1].replace(/<[^>]+>/g, '');
    expect(totals).toBe(
      "10,000+ payments match (about 1,000,000 payments in all, PostgreSQL's estimate). Counted up to 10,000: totals per currency are shown when at most 10,000 payments match — narrow the dates, merchant or status.",
    );
  });
});
