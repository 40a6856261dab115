import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Browser, Page } from 'playwright-core';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { shownBin } from '../../src/antom/card-mask';
import { AuditService } from '../../src/audit/audit.service';
import { s2sPay } from '../support/fixtures';
import { ARTIFACTS } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { addUser, AdminHttp, createScratchDatabase, fillSignIn, openConsoleBrowser } from './admin-support';

jest.setTimeout(120_000);

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.join(ARTIFACTS, 'screenshots');

/** Minimal RFC 4180 reader for the exports (every field quoted). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter(Boolean)) {
    rows.push([...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1].replace(/""/g, '"')));
  }
  return rows;
}

/**
 * In Chromium: the payments list's CSV export of the current filter (masked card, major units, audited), and
 * the audit log's filters (case-insensitive who / what / target, date range, outcome) and its CSV export.
 */
describe('admin exports and audit filters in Chromium', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let browser: Browser;
  let page: Page;
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret
  const ref = `exp-${randomBytes(4).toString('hex')}`;
  const paymentIds: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    stack = await startTestStack({ DATABASE_URL: scratch.url });
    const users = stack.app.get(AdminUsersService);
    for (const [name, role] of [
      ['vera', 'viewer'],
      ['otto', 'operator'],
    ] as const)
      await addUser(users, name, role, PASSWORD);
    for (const value of ['4321', '123456']) {
      const req = s2sPay({ captureMode: 'MANUAL', value });
      req.order.referenceOrderId = ref;
      const res = await stack.merchant.post('payments/pay', req);
      expect(res.body.result.resultStatus).toBe('S');
      paymentIds.push(res.body.paymentId);
    }
    await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '999' })); // not in the filter
    ({ browser, page } = await openConsoleBrowser({ acceptDownloads: true }));
    // A failed sign-in of otto, for the outcome filter.
    await new AdminHttp(stack.gatewayUrl).login('otto', 'not-the-password');
    await fillSignIn(page, stack.gatewayUrl, 'vera', PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/admin/payments');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  async function download(linkSelector: string): Promise<{ name: string; text: string }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(linkSelector)]);
    const file = await d.path();
    const text = fs.readFileSync(file!, 'utf8');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.appendFileSync(path.join(ARTIFACTS, 'admin-pages.jsonl'), JSON.stringify(text) + '\n'); // the leak scan reads exports too
    return { name: d.suggestedFilename(), text };
  }

  it('exports the current filter of the payments list as CSV: masked card, major units, audited', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/payments`);
    await page.fill('input[name=referenceOrderId]', ref);
    await page.click('#filters button[type=submit]');
    expect(await page.textContent('#list-totals')).toContain('2 payments match');
    const { name, text } = await download('#export-csv');
    expect(name).toMatch(/^payments-\d{8}-\d{6}\.csv$/);
    const [header, ...rows] = parseCsv(text);
    expect(header.slice(0, 3)).toEqual(['payment_id', 'payment_request_id', 'created_at_utc']);
    expect(rows.map((r) => r[0]).sort()).toEqual([...paymentIds].sort());
    const col = (r: string[], c: string) => r[header.indexOf(c)];
    const big = rows.find((r) => r[0] === paymentIds[1])!;
    expect([col(big, 'currency'), col(big, 'amount'), col(big, 'captured')]).toEqual(['EUR', '1234.56', '0.00']);
    // The BIN as far as the console shows it (antom/card-mask.ts shownBin), and the last 4.
    expect([col(big, 'card_brand'), col(big, 'card_bin'), col(big, 'card_last4')]).toEqual(['VISA', shownBin('41173478'), '6383']);
    expect(col(big, 'reference_order_id')).toBe(ref);
    // No card number, nor anything shaped like one: a digit run standing alone (the hex ids may hold
    // long digit runs by chance, e.g. gwp_601898417483421e…, which is how this once failed).
    expect(text).not.toMatch(/(?<![0-9A-Za-z])\d{13,19}(?![0-9A-Za-z])/);
    expect(text).not.toContain('41173478');
    const [entry] = await stack.db.query(`SELECT actor, outcome, detail FROM audit_log WHERE action = 'EXPORT_PAYMENTS'`);
    expect(entry).toEqual({ actor: 'admin:vera', outcome: 'SUCCESS', detail: { filters: { referenceOrderId: ref, sort: 'newest' }, rows: 2 } });
    // A refused filter exports nothing.
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('vera', PASSWORD);
    const refused = await http.get(`/admin/payments/export.csv?card=4117347806156383`);
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain('4117347806156383');
    expect(refused.headers.get('content-type')).toContain('text/html');
  });

  it('filters the audit log case-insensitively by who, what and target, by dates and outcome', async () => {
    const list = async (q: Record<string, string>) => {
      await page.goto(`${stack.gatewayUrl}/admin/audit?${new URLSearchParams(q)}`);
      return page
        .locator('table.audit tbody tr[data-audit-id]')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    };
    const byActor = await list({ actor: 'ADMIN:VE' });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((r) => r[2] === 'admin:vera')).toBe(true);
    const logins = await list({ action: 'login', outcome: 'FAILURE' });
    expect(logins.map((r) => `${r[2]} ${r[3]} ${r[6]}`)).toEqual(['admin:otto LOGIN FAILURE']);
    expect(await list({ target: 'OTT' })).toHaveLength(1);
    expect(await list({ actor: '%' })).toHaveLength(0); // % is a literal character
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    // Each read above was itself recorded (10.2.1.3): four VIEW_AUDIT entries of vera's since byActor was read.
    expect((await list({ from: today, to: today, actor: 'vera' })).length).toBe(byActor.length + 4);
    const [{ views }] = await stack.db.query(`SELECT count(*)::int AS views FROM audit_log WHERE action = 'VIEW_AUDIT' AND actor = 'admin:vera'`);
    expect(views).toBeGreaterThanOrEqual(5);
    expect(await list({ from: yesterday, to: yesterday })).toHaveLength(0);
    // The form keeps what was typed.
    await page.goto(`${stack.gatewayUrl}/admin/audit`);
    await page.fill('input[name=actor]', 'OTTO');
    await page.selectOption('select[name=outcome]', 'FAILURE');
    await page.fill('input[name=from]', today);
    await page.click('#audit-filters button[type=submit]');
    expect(await page.textContent('#audit-count')).toContain('1 entry matches');
    expect(await page.inputValue('input[name=actor]')).toBe('OTTO');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-audit-filters.png'), fullPage: true });
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('vera', PASSWORD);
    for (const bad of ['from=2026-13-40', 'outcome=MAYBE', 'actor=%00', 'from=2026-02-02&to=2026-02-01'])
      expect([bad, (await http.get(`/admin/audit?${bad}`)).status]).toEqual([bad, 400]);
    const pan = await http.get('/admin/audit?target=4117347806156383');
    expect(pan.status).toBe(400);
    expect(pan.body).not.toContain('4117347806156383');
  });

  it('exports the filtered audit view as CSV, and the export is audited', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/audit?${new URLSearchParams({ action: 'LOGIN', outcome: 'failure' })}`);
    const { name, text } = await download('#export-csv');
    expect(name).toMatch(/^audit-log-\d{8}-\d{6}\.csv$/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['id', 'occurred_at_utc', 'actor', 'action', 'target', 'ip', 'outcome', 'detail', 'hash']);
    expect(rows.map((r) => `${r[2]} ${r[3]} ${r[6]}`)).toEqual(['admin:otto LOGIN FAILURE']);
    expect(rows[0][7]).toContain('reason: wrong password');
    const [entry] = await stack.db.query(`SELECT actor, detail FROM audit_log WHERE action = 'EXPORT_AUDIT'`);
    expect(entry).toEqual({ actor: 'admin:vera', detail: { filters: { action: 'LOGIN', outcome: 'failure' }, rows: 1 } });
  });

  /**
   * Issue 26: with 1,033 entries page 1 read 999, 998 … 990, 99, 989 … and the export of 1,034 entries had
   * 8,000 rows. Over HTTP as a person reads it: more than 1,000 entries, the list's Older → links to the
   * end, and the CSV export exact.
   */
  it('past 1,000 entries: the pages go 1034 … 1 by number through Older →, and the CSV has each entry exactly once', async () => {
    const audit = stack.app.get(AuditService);
    const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log`);
    for (let i = n; i < 1_040; i++) await audit.append({ actor: 'system:bulk', action: 'NOTE', target: `t${i}`, outcome: 'SUCCESS' });
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('vera', PASSWORD);
    // Each page view is itself an audit entry (appended after the read): the walk sees the log as it was at page 1.
    const first = await http.get('/admin/audit');
    const pageIds = (body: string) => [...body.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
    const top = pageIds(first.body)[0];
    const seen: number[] = [];
    let body = first.body;
    for (;;) {
      seen.push(...pageIds(body));
      const older = /href="(\/admin\/audit\?[^"]*before=\d+[^"]*)">Older →/.exec(body);
      if (!older) break;
      body = (await http.get(older[1].replace(/&amp;/g, '&'))).body;
    }
    expect(top).toBeGreaterThan(1_000);
    expect(seen).toEqual(Array.from({ length: top }, (_, i) => top - i));
    const csv = await http.get('/admin/audit/export.csv');
    expect(csv.status).toBe(200);
    const ids = parseCsv(csv.body)
      .slice(1)
      .map((r) => Number(r[0]));
    const all = (await stack.db.query(`SELECT id::int AS id FROM audit_log ORDER BY id DESC`)).map((r: { id: number }) => r.id);
    // Everything written before the export began (its own EXPORT_AUDIT entry included), once each, newest first.
    expect(ids).toEqual(all);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
