import { DataSource } from 'typeorm';

import { rowsRead, scans } from '../../scripts/bench-scale-plan';
import { seedScale } from '../../scripts/bench-scale-seed';
import { AdminPaymentRow, AdminPaymentsRepository, COUNT_CAP } from '../../src/admin/payments/admin-payments.repository';
import { Cursor } from '../../src/admin/payments/payment-cursor';
import { parseFilters, PaymentFilters } from '../../src/admin/payments/payment-filters';
import { freshDatabase, TestDatabase } from './support/test-database';

jest.setTimeout(300_000);

function filtersOf(query: string): PaymentFilters {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) q[k] = k in q ? ([] as string[]).concat(q[k], v) : v;
  const f = parseFilters(q);
  if (f.errors.length) throw new Error(`${query}: ${f.errors.join(' ')}`);
  return f;
}

/**
 * Issue 26, the console at a year's data, bound by plans and rows read, never by time (the times are
 * `npm run bench:scale`'s, at 1,000,000 payments: docs/performance.md). 20,000 payments of the bench's own
 * seed (a year, 12 merchants, 8 currencies, the statuses a year leaves), analyzed: enough rows that a
 * sequential scan would be what PostgreSQL picks for a query no index fits.
 */
describe('the payments list at scale: index range scans, pages that read their own rows (db)', () => {
  let db: TestDatabase;
  let repo: AdminPaymentsRepository;
  let sample: { payment_id: string; payment_request_id: string; reference_order_id: string };

  beforeAll(async () => {
    db = await freshDatabase(4);
    await seedScale(db.url, 20_000, () => undefined);
    repo = new AdminPaymentsRepository(db.ds);
    [sample] = await db.ds.query(`SELECT payment_id, payment_request_id, reference_order_id FROM payment WHERE payment_request_id = 'scale_6666'`);
  });
  afterAll(() => db?.drop());

  const month = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
  // [case, query, the most payment rows the first page may read (it shows 50 and reads one more)]
  const CASES: Array<[string, () => string, number]> = [
    ['list, newest first', () => '', 51],
    ['sort oldest first', () => 'sort=oldest', 51],
    ['sort largest amount (first currency)', () => 'sort=amount', 51],
    ['sort largest amount, EUR', () => 'sort=amount&currency=EUR', 51],
    ['date range', () => `from=${month(120)}&to=${month(90)}`, 51],
    ['status FAILED', () => 'status=FAILED', 1500],
    ['status SUCCEEDED + CAPTURED', () => 'status=SUCCEEDED&status=CAPTURED', 200],
    ['status AUTHORIZED (rare: the last week)', () => 'status=AUTHORIZED', 200],
    ['merchant by client id', () => 'merchant=SCALE_M05', 1500],
    ['currency EUR, amount range', () => 'currency=EUR&amountMin=400&amountMax=450', 3000],
    ['card last 4', () => 'card=4321', 51],
    ['card BIN', () => 'card=378282', 3000],
    ['card BIN + last 4', () => 'card=411111******4321', 51],
    ['brand with no payments (a full scan without its index)', () => 'brand=DINERS', 0],
    ['brand with no payments, largest amount first', () => 'brand=JCB&sort=amount', 0],
    ['payment id', () => `id=${sample.payment_id}`, 1],
    ['payment request id', () => `id=${sample.payment_request_id}`, 1],
    ['reference order id', () => `referenceOrderId=${sample.reference_order_id}`, 1],
    ['sort expiring first', () => 'sort=expiry', 1000],
  ];

  it.each(CASES)('%s: no sequential scan of payment; the first page reads its rows, not the table', async (_name, query, most) => {
    const plan = await repo.explainFirstPage(filtersOf(query()), 51, true);
    expect(scans(plan)).not.toMatch(/Seq Scan on payment\b/);
    expect(scans(plan)).toMatch(/Index/);
    expect(rowsRead(plan)).toBeLessThanOrEqual(most);
  });

  it('the 20th page costs what the first does: its read starts at the cursor (no OFFSET)', async () => {
    let f = filtersOf('');
    for (let i = 0; i < 19; i++) f = { ...f, after: (await repo.page(f, 50)).next! };
    const plan = await repo.explainFirstPage(f, 51, true);
    expect(plan).toMatch(/Index Cond: \(ROW\(created_at, id\) < ROW\(/);
    expect(rowsRead(plan)).toBe(51);
  });

  it('counts stop at the cap (and the unfiltered list gives the planner estimate); within it, exact with sums', async () => {
    const all = await repo.totals(filtersOf(''));
    expect(all).toMatchObject({ count: COUNT_CAP, capped: true, sums: [] });
    expect(all.estimate).toBeGreaterThan(15_000);
    const failed = await repo.totals(filtersOf('status=FAILED'));
    const [exact] = await db.ds.query(`SELECT count(*)::int AS n, sum(amount)::text AS amount FROM payment WHERE status = 'FAILED'`);
    expect(failed.capped).toBe(false);
    expect(failed.count).toBe(exact.n);
    expect(failed.sums.reduce((s, r) => s + BigInt(r.amount), 0n)).toBe(BigInt(exact.amount));
    expect(await repo.totals(filtersOf('merchant=no-such-merchant'))).toEqual({ count: 0, capped: false, estimate: null, sums: [] });
  });
});

/**
 * The keyset walk, against the order written out in full: every sort, forward by Next and back by Previous,
 * pages of 7 over 600 payments with ties (many on one created_at, many on one amount), and the export's batches.
 */
describe('the payments list keyset: each payment once, in order, both ways (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: AdminPaymentsRepository;

  beforeAll(async () => {
    db = await freshDatabase(4);
    ds = db.ds;
    await seedScale(db.url, 600, () => undefined);
    // Ties: a tenth of the payments share their day's first second; failed ones all have the same amount.
    await ds.query(
      `UPDATE payment SET created_at = date_trunc('day', created_at) WHERE ('x' || substr(md5(payment_id), 1, 4))::bit(16)::int % 10 = 0`,
    );
    await ds.query(`UPDATE payment SET amount = 500 WHERE status IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION')`);
    await ds.query(
      `UPDATE payment SET auth_expiry_time = NULL WHERE status = 'AUTHORIZED' AND ('x' || substr(md5(payment_id), 1, 4))::bit(16)::int % 2 = 0`,
    );
    repo = new AdminPaymentsRepository(ds);
  });
  afterAll(() => db?.drop());

  const CAPTURABLE = `p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`;
  const ORDER: Record<string, string> = {
    newest: 'p.created_at DESC, p.id DESC',
    oldest: 'p.created_at ASC, p.id ASC',
    expiry: `CASE WHEN ${CAPTURABLE} THEN 0 ELSE 1 END, CASE WHEN ${CAPTURABLE} THEN coalesce(p.auth_expiry_time, 'infinity') END ASC, CASE WHEN ${CAPTURABLE} THEN p.id END ASC, p.created_at DESC, p.id DESC`,
    amount: 'p.currency ASC, p.amount DESC, p.created_at DESC, p.id DESC',
  };
  const expected = async (sort: string, where = 'true'): Promise<string[]> =>
    (await ds.query(`SELECT p.payment_id FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE ${where} ORDER BY ${ORDER[sort]}`)).map(
      (r: { payment_id: string }) => r.payment_id,
    );

  async function walk(f: PaymentFilters): Promise<{ forward: string[][]; back: string[][] }> {
    const forward: string[][] = [];
    let after: Cursor | undefined;
    let last: { prev: Cursor | null } = { prev: null };
    for (;;) {
      const page = await repo.page({ ...f, after }, 7);
      forward.push(page.rows.map((r: AdminPaymentRow) => r.payment_id));
      last = page;
      if (!page.next) break;
      after = page.next;
    }
    const back: string[][] = [];
    let before = last.prev;
    while (before) {
      const page = await repo.page({ ...f, before }, 7);
      back.unshift(page.rows.map((r: AdminPaymentRow) => r.payment_id));
      before = page.prev;
    }
    return { forward, back };
  }

  it.each([
    ['newest', 'sort=newest', 'true'],
    ['oldest', 'sort=oldest', 'true'],
    ['expiry', 'sort=expiry', 'true'],
    ['amount', 'sort=amount', 'true'],
    ['amount', 'sort=amount&currency=USD', `p.currency = 'USD'`],
    ['newest', 'status=SUCCEEDED&status=FAILED&merchant=Shop 1', `p.status IN ('SUCCEEDED', 'FAILED') AND m.name ILIKE '%Shop 1%'`],
  ])('%s (%s): Next pages hold every payment once in order; Previous pages are the same pages', async (sort, query, where) => {
    const want = await expected(sort, where);
    expect(want.length).toBeGreaterThan(20);
    const { forward, back } = await walk(filtersOf(query));
    expect(forward.flat()).toEqual(want);
    expect(forward.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    // Back from the last page: every page before it, as Next showed them (the first page whole).
    expect(back).toEqual(forward.slice(0, -1));
  });

  it('the export batches: every payment made before it began, once, in the list order', async () => {
    const until = new Date();
    const seen: string[] = [];
    for await (const rows of repo.batches(filtersOf('sort=amount'), until, 13)) seen.push(...rows.map((r) => r.payment_id));
    expect(seen).toEqual(await expected('amount'));
  });
});
