import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';
import { Browser, Page } from 'playwright-core';

import { InitialAdmin } from '../../src/admin/auth/initial-admin';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { LeakHit, scanText } from '../support/leak-scanner';
import { ARTIFACTS } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { AdminHttp, createScratchDatabase, openConsoleBrowser } from './admin-support';

jest.setTimeout(120_000);

// The README's screenshots are refreshed on purpose (UPDATE_SCREENSHOTS=1), not by every run: a test run
// must not leave the checkout modified.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.join(ARTIFACTS, 'screenshots');

/**
 * The console in a real Chromium against the real gateway, sandbox and PostgreSQL: the first admin
 * signs in with the one-time password from the data dir, creates two operators; one captures part of a
 * manual-capture payment, sees the timeline and the audit entry, and is held at the four-eyes limit
 * until the other approves.
 */
describe('admin console in Chromium', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let browser: Browser;
  let page: Page;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    stack = await startTestStack({ DATABASE_URL: scratch.url, ADMIN_FOUR_EYES_THRESHOLD_MINOR: 'EUR:10000,*:1000000' });
    ({ browser, page } = await openConsoleBrowser());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  const paid = async (value: string, referenceOrderId?: string) => {
    const req = s2sPay({ captureMode: 'MANUAL', value });
    if (referenceOrderId) req.order.referenceOrderId = referenceOrderId;
    const res = await stack.merchant.post('payments/pay', req);
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };
  const amounts = async (paymentId: string) =>
    (await stack.db.query('SELECT status, captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]))[0];

  async function signIn(username: string, password: string) {
    await page.context().clearCookies();
    await page.goto(`${stack.gatewayUrl}/admin`);
    expect(page.url()).toContain('/admin/login');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  it('the first admin signs in with the one-time password, must change it, then adds operators', async () => {
    const file = path.join(stack.app.get(GatewayConfig).dataDir, 'dev', 'admin-initial-password.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const oneTime = /password: (\S+)/.exec(fs.readFileSync(file, 'utf8'))![1];
    await signIn('admin', oneTime);
    expect(page.url()).toContain('/admin/account');
    await page.goto(`${stack.gatewayUrl}/admin/payments`); // anything else sends the person back
    expect(page.url()).toContain('/admin/account');
    passwords.admin = 'Correct-Horse-Battery-0';
    await page.fill('input[name=current]', oneTime);
    await page.fill('input[name=next]', passwords.admin);
    await page.fill('input[name=again]', passwords.admin);
    await page.click('#password-form button[type=submit]');
    expect(page.url()).toContain('/admin/payments');
    await stack.app.get(InitialAdmin).onApplicationBootstrap(); // what the next start runs
    expect(fs.existsSync(file)).toBe(false); // a dead secret is not left lying on disk

    for (const [username, role] of [
      ['alice', 'operator'],
      ['bob', 'operator'],
      ['victor', 'viewer'],
    ]) {
      await page.goto(`${stack.gatewayUrl}/admin/users`);
      await page.fill('#new-user input[name=username]', username);
      await page.fill('#new-user input[name=displayName]', `${username[0].toUpperCase()}${username.slice(1)} Example`);
      await page.selectOption('#new-user select[name=role]', role);
      await page.click('#new-user button[type=submit]');
      const otp = await page.textContent('#one-time-password');
      passwords[username] = `Correct-Horse-Battery-${role}-${username.length}`;
      await new AdminHttp(stack.gatewayUrl).firstLogin(username, otp!, passwords[username]);
    }
    // The one-time password was never logged.
    const log = fs.readFileSync(
      path.join(path.dirname(stack.app.get(GatewayConfig).LOG_FILE!), path.basename(stack.app.get(GatewayConfig).LOG_FILE!)),
      'utf8',
    );
    expect(log).not.toContain(oneTime);
  });

  it('an operator finds an authorized payment, captures part of it, sees the timeline and the audit entry', async () => {
    const paymentId = await paid('30000');
    await signIn('alice', passwords.alice);
    expect(page.url()).toContain('/admin/payments');
    await page.fill('#filters input[name=id]', paymentId);
    await page.check('#filters input[name=status][value=AUTHORIZED]');
    await page.click('#filters button[type=submit]');
    const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
    await expect(row.textContent()).resolves.toContain('EUR 300.00');
    await page.goto(`${stack.gatewayUrl}/admin/payments`);

    await page.click(`a[href="/admin/payments/${paymentId}"]`);
    await page.fill('#capture-form input[name=amount]', '50.00');
    await page.click('#capture-form button[type=submit]');
    expect(await page.textContent('#confirm-amount')).toBe('EUR 50.00');
    await page.click('#confirm-form button[type=submit]');
    expect(await page.textContent('main')).toContain('Capture of EUR 50.00 succeeded');
    await page.click('#back-to-payment');

    expect(await page.textContent('#captured')).toBe('50.00');
    expect(await page.textContent('#capturable')).toBe('250.00');
    const timeline = await page.textContent('#timeline');
    expect(timeline).toContain('Console: alice');
    expect(timeline).toContain('Capture requested');
    expect(timeline).toMatch(/PARTIALLY_CAPTURED/);
    const audit = await page.textContent('table.audit');
    expect(audit).toContain('admin:alice');
    expect(audit).toContain('CAPTURE');
    expect(audit).toContain('SUCCESS');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-payment-detail.png'), fullPage: true });
    expect(await amounts(paymentId)).toEqual({ status: 'PARTIALLY_CAPTURED', captured: '5000' });
  });

  it('holds a capture above the four-eyes limit until a second operator approves; the requester cannot approve', async () => {
    const paymentId = await paid('30000');
    await signIn('alice', passwords.alice);
    await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
    await page.fill('#capture-form input[name=amount]', '150.00');
    await page.click('#capture-form button[type=submit]');
    expect(await page.textContent('main')).toContain('above the four-eyes threshold');
    await page.click('#confirm-form button[type=submit]');
    expect(await page.textContent('main')).toContain("needs a second operator's approval");
    expect(await amounts(paymentId)).toEqual({ status: 'AUTHORIZED', captured: '0' });

    // Alice sees her own request without an approve button, and a direct POST is refused.
    await page.goto(`${stack.gatewayUrl}/admin/approvals`);
    const approvalId = await page.locator('table.approvals tr[data-approval-id]').first().getAttribute('data-approval-id');
    expect(await page.locator('form.approve').count()).toBe(0);
    const aliceHttp = new AdminHttp(stack.gatewayUrl);
    await aliceHttp.login('alice', passwords.alice);
    const self = await aliceHttp.submit('/admin/approvals', `/admin/approvals/${approvalId}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body).toContain('a second person must approve');
    expect(await amounts(paymentId)).toEqual({ status: 'AUTHORIZED', captured: '0' });

    // Bob approves in the browser: the capture runs with Alice's request id.
    await signIn('bob', passwords.bob);
    await page.goto(`${stack.gatewayUrl}/admin/approvals`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-approvals.png'), fullPage: false });
    await page.click(`tr[data-approval-id="${approvalId}"] form.approve button`);
    expect(await page.textContent('main')).toContain('succeeded');
    expect(await amounts(paymentId)).toEqual({ status: 'PARTIALLY_CAPTURED', captured: '15000' });
    const rows = await stack.db.query(`SELECT actor, action, outcome FROM audit_log WHERE target = $1 ORDER BY id`, [paymentId]);
    expect(rows.map((r: Record<string, string>) => `${r.actor} ${r.action} ${r.outcome}`)).toEqual([
      'admin:alice REQUEST_CAPTURE PENDING',
      'admin:alice APPROVE_CAPTURE DENIED',
      'admin:bob APPROVE_CAPTURE SUCCESS',
    ]);
    const [approval] = await stack.db.query('SELECT status FROM admin_approval_request WHERE id = $1', [approvalId]);
    expect(approval.status).toBe('EXECUTED');
  });

  it('shows a viewer no money actions, and refuses the admin endpoint when called directly', async () => {
    const paymentId = await paid('20000');
    await signIn('victor', passwords.victor);
    await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
    expect(await page.locator('#capture-form').count()).toBe(0);
    expect(await page.locator('input[name=paymentId]').count()).toBe(0);

    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('victor', passwords.victor);
    const confirm = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture/confirm`, { amount: '10.00' });
    expect(confirm.status).toBe(403);
    const direct = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture`, {
      amountMinor: '1000',
      currency: 'EUR',
      requestId: `adm_cap_${'a'.repeat(32)}`,
    });
    expect(direct.status).toBe(403);
    const bulk = await http.submit('/admin/payments', '/admin/payments/bulk-capture', { item: `${paymentId}|20000|adm_cap_${'b'.repeat(32)}` });
    expect(bulk.status).toBe(403);
    expect(await amounts(paymentId)).toEqual({ status: 'AUTHORIZED', captured: '0' });
    const [{ n }] = await stack.db.query('SELECT count(*)::int AS n FROM capture c JOIN payment p ON p.id = c.payment_id WHERE p.payment_id = $1', [
      paymentId,
    ]);
    expect(n).toBe(0);
    const denied = await stack.db.query(`SELECT action FROM audit_log WHERE actor = 'admin:victor' AND outcome = 'DENIED'`);
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('bulk-captures selected payments after confirming amounts and currency', async () => {
    const a = await paid('1000');
    const b = await paid('2500');
    await signIn('alice', passwords.alice);
    await page.goto(`${stack.gatewayUrl}/admin/payments`);
    await page.check(`input[name=paymentId][value="${a}"]`);
    await page.check(`input[name=paymentId][value="${b}"]`);
    await page.click('#bulk button[type=submit]');
    expect(await page.textContent('#confirm-amount')).toBe('EUR 35.00');
    await page.click('#confirm-form button[type=submit]');
    expect(page.url()).toContain('/admin/payments/bulk-capture/results?ids=');
    expect(await page.textContent('main')).toContain(`Capture on ${b} of EUR 25.00 succeeded`);
    expect(await amounts(a)).toEqual({ status: 'CAPTURED', captured: '1000' });
    expect(await amounts(b)).toEqual({ status: 'CAPTURED', captured: '2500' });
  });
  it('refunds part of a captured payment and cancels another, each after a confirmation', async () => {
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('alice', passwords.alice);
    const captured = await paid('8000');
    const capture = await http.submit(`/admin/payments/${captured}`, `/admin/payments/${captured}/capture/confirm`, { amount: '80' });
    expect(capture.body).toContain('EUR 80.00');
    await http.post(`/admin/payments/${captured}/capture`, formOf(capture.body));
    const refund = await http.submit(`/admin/payments/${captured}`, `/admin/payments/${captured}/refund/confirm`, {
      amount: '30.00',
      refundReason: 'damaged',
    });
    expect(refund.body).toContain('Refund <strong id="confirm-amount">EUR 30.00</strong>');
    const refunded = await http.post(`/admin/payments/${captured}/refund`, formOf(refund.body));
    expect(refunded.status).toBe(303);
    expect((await http.follow(refunded)).body).toContain('Refund of EUR 30.00 succeeded');
    const [row] = await stack.db.query('SELECT status, refunded_amount::text AS refunded FROM payment WHERE payment_id = $1', [captured]);
    expect(row).toEqual({ status: 'PARTIALLY_REFUNDED', refunded: '3000' });

    const voided = await paid('4000');
    const cancel = await http.submit(`/admin/payments/${voided}`, `/admin/payments/${voided}/cancel/confirm`, {});
    expect(cancel.body).toContain('EUR 40.00');
    const done = await http.follow(await http.post(`/admin/payments/${voided}/cancel`, formOf(cancel.body)));
    expect(done.body).toContain('Cancel succeeded');
    expect((await amounts(voided)).status).toBe('CANCELLED');
  });

  it('fits the payments list into a 1280×800 window, long order ids shortened with the full id on hover', async () => {
    const longOrder = `ORDER-${'7'.repeat(20)}-WEBSHOP-CHECKOUT-${'A'.repeat(20)}`.slice(0, 64);
    const paymentId = await paid('1234', longOrder);
    await signIn('alice', passwords.alice);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.gatewayUrl}/admin/payments`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    const table = (await page.locator('#payments').boundingBox())!;
    expect(table.x + table.width).toBeLessThanOrEqual(1280);
    // The order id is on one line (not broken mid-word) and complete in its title.
    const order = page.locator(`tr[data-payment-id="${paymentId}"] [title="${longOrder}"]`);
    expect(await order.count()).toBe(1);
    expect((await order.boundingBox())!.height).toBeLessThan(24); // one line of 12.5 px text
    // The list with payments in several states, for the README.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-payments-list.png'), fullPage: false });
  });

  it('refuses a capture above what is left before any confirmation or approval request, in major units', async () => {
    const small = await paid('1999');
    await signIn('alice', passwords.alice);
    await page.goto(`${stack.gatewayUrl}/admin/payments/${small}`);
    await page.fill('#capture-form input[name=amount]', '25.00');
    await page.click('#capture-form button[type=submit]');
    expect(await page.locator('#confirm-form').count()).toBe(0);
    expect(await page.textContent('main')).toContain('At most EUR 19.99 can still be captured.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', 'admin-capture-refused.png') });
    await page.goto(`${stack.gatewayUrl}/admin/payments/${small}`);
    await page.fill('#capture-form input[name=amount]', '0');
    await page.click('#capture-form button[type=submit]');
    expect(await page.textContent('main')).toContain('more than zero');

    // Above the four-eyes threshold too: neither the confirmation page nor a forged confirmation makes an approval request.
    const big = await paid('12000');
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('alice', passwords.alice);
    const confirm = await http.submit(`/admin/payments/${big}`, `/admin/payments/${big}/capture/confirm`, { amount: '150.00' });
    expect(confirm.body).not.toContain('confirm-form');
    expect(confirm.body).toContain('At most EUR 120.00 can still be captured.');
    const forged = await http.submit(`/admin/payments/${big}`, `/admin/payments/${big}/capture`, {
      amountMinor: '15000',
      currency: 'EUR',
      requestId: `adm_cap_${'d'.repeat(32)}`,
    });
    expect(forged.body).toContain('At most EUR 120.00 can still be captured.');
    expect(forged.body).not.toContain('minor units');
    const approvals = await stack.db.query('SELECT 1 FROM admin_approval_request a JOIN payment p ON p.id = a.payment_id WHERE p.payment_id = $1', [
      big,
    ]);
    expect(approvals).toHaveLength(0);
    expect(await amounts(big)).toEqual({ status: 'AUTHORIZED', captured: '0' });
  });

  it('shows a result page after a four-eyes request that a reload does not post again', async () => {
    const paymentId = await paid('30000');
    await signIn('alice', passwords.alice);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
    await page.fill('#capture-form input[name=amount]', '150.00');
    await page.click('#capture-form button[type=submit]');
    await page.click('#confirm-form button[type=submit]');
    expect(await page.textContent('main')).toContain("needs a second operator's approval");
    const auditRows = async () =>
      (await stack.db.query('SELECT action FROM audit_log WHERE target = $1', [paymentId])).map((r: { action: string }) => r.action);
    expect(await auditRows()).toEqual(['REQUEST_CAPTURE']);
    await page.reload();
    expect(await page.textContent('main')).toContain("needs a second operator's approval");
    await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', 'admin-request-result.png') });
    expect(await auditRows()).toEqual(['REQUEST_CAPTURE']);
    const [{ n }] = await stack.db.query(
      'SELECT count(*)::int AS n FROM admin_approval_request a JOIN payment p ON p.id = a.payment_id WHERE p.payment_id = $1',
      [paymentId],
    );
    expect(n).toBe(1);
    expect((await page.request.get(`${stack.gatewayUrl}/favicon.ico`)).status()).not.toBe(404);
    expect(errors).toEqual([]);
  });

  it('speaks major units on the approvals and limits pages, and lists "None." for no limits', async () => {
    await signIn('admin', passwords.admin);
    await page.goto(`${stack.gatewayUrl}/admin/approvals`);
    const approvals = await page.textContent('main');
    expect(approvals).not.toContain('minor units');
    expect(approvals).toContain('EUR 100.00');
    await page.goto(`${stack.gatewayUrl}/admin/users`);
    expect(await page.textContent('#limits tbody')).toContain('None.');
    expect(await page.textContent('#set-limit')).not.toContain('minor units');
    await page.selectOption('#set-limit select[name=role]', 'operator');
    await page.fill('#set-limit input[name=currency]', 'JPY');
    await page.fill('#set-limit input[name=maxAmount]', '5000');
    await page.click('#set-limit button[type=submit]');
    expect(await page.textContent('#limits')).toContain('JPY 5,000');
    const [limit] = await stack.db.query(`SELECT max_amount::text AS m FROM admin_role_limit WHERE role = 'operator' AND currency = 'JPY'`);
    expect(limit.m).toBe('5000');
    await page.fill('#set-limit input[name=currency]', 'EUR');
    await page.fill('#set-limit input[name=maxAmount]', '50.00');
    await page.click('#set-limit button[type=submit]');
    expect(await page.textContent('#limits')).toContain('EUR 50.00');
    await stack.db.query(`DELETE FROM admin_role_limit`);
    // A card's heading sits at the card's top padding, not a blank line below it.
    await page.goto(`${stack.gatewayUrl}/admin/account`);
    const [card, heading] = [(await page.locator('#password-form').boundingBox())!, (await page.locator('#password-form h2').boundingBox())!];
    expect(heading.y - card.y).toBeLessThanOrEqual(20);
  });

  it('leaves no card number, CVV or expiry in any table of its database', async () => {
    const db = new Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const tables = await db.query(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      const hits: LeakHit[] = [];
      for (const t of tables.rows) {
        const res = await db.query(`SELECT row_to_json(x)::text AS j FROM "${t.table_schema}"."${t.table_name}" x`);
        for (const r of res.rows) hits.push(...scanText(`${t.table_schema}.${t.table_name}`, r.j));
      }
      expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(['audit_log', 'admin_user', 'admin_approval_request']));
      expect(hits).toEqual([]);
    } finally {
      await db.end();
    }
  });
});

/** The hidden fields of a confirmation page's form, as the browser would submit them. */
function formOf(page: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*" id="confirm-form">([\s\S]*?)<\/form>/.exec(page)![1];
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&amp;/g, '&');
  return fields;
}
