import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Browser, chromium, Page } from 'playwright-core';
import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { scanText } from '../support/leak-scanner';
import { startTestStack, TestStack } from '../support/stack';
import { AdminHttp, CHROMIUM_ARGS, createScratchDatabase, recordPage } from './admin-support';

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

  describe('payments list filters', () => {
    const PAN = '4117347806156383';

    it('refuses a full card number in the browser before sending: nothing with it leaves the page', async () => {
      await user('finn', 'viewer');
      await browserSignIn('finn');
      const sent: string[] = [];
      page.on('request', (r) => sent.push(r.url()));
      await page.goto(`${stack.gatewayUrl}/admin/payments`);
      const before = sent.length;
      await page.fill('#card-filter', `${PAN.slice(0, 4)} ${PAN.slice(4, 8)} ${PAN.slice(8, 12)} ${PAN.slice(12)}`);
      await page.click('#filters button[type=submit]');
      await page.waitForSelector('#card-filter-error:not([hidden])');
      expect(await page.textContent('#card-filter-error')).toContain('BIN (first 6-8 digits), the last 4');
      expect(await page.inputValue('#card-filter')).toBe('');
      // A card number in another field is stopped too.
      await page.fill('#filters input[name=referenceOrderId]', PAN);
      await page.click('#filters button[type=submit]');
      expect(await page.inputValue('#filters input[name=referenceOrderId]')).toBe('');
      expect(sent.slice(before).filter((u) => u.includes('/admin/payments'))).toEqual([]); // no search was sent at all
      expect(page.url()).not.toContain(PAN.slice(0, 8));
      // BIN and last 4 still search.
      await page.fill('#card-filter', '411734******6383');
      await page.click('#filters button[type=submit]');
      await page.waitForURL(/card=/);
      expect(page.url()).toContain('card=411734');
      page.removeAllListeners('request');
    });

    it('refuses a card number that reaches the server anyway with a 400, without echoing or logging it', async () => {
      const http = await signedIn('finn');
      for (const q of [`card=${PAN}`, `card=${PAN.slice(0, 8)}-${PAN.slice(8)}`, `id=${PAN}`, `merchant=x%20${PAN}&status=AUTHORIZED`, `referenceOrderId=${PAN}&currency=EUR`]) {
        const res = await http.get(`/admin/payments?${q}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatch(/card number/);
        expect(scanText(q, res.body)).toEqual([]);
        expect(res.body).not.toContain(PAN.slice(0, 10));
      }
      const logFile = stack.app.get(GatewayConfig).LOG_FILE!;
      expect(fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '').not.toContain(PAN);
    });

    it('answers a NUL or control character with a 400 page, not a 500', async () => {
      const http = await signedIn('finn');
      for (const q of ['id=%00', 'merchant=a%00b', 'referenceOrderId=a%0d%0ab', 'status=NOPE', 'brand=%00', 'page=abc', `id=${'a'.repeat(65)}`]) {
        const res = await http.get(`/admin/payments?${q}`);
        expect([q, res.status]).toEqual([q, 400]);
        expect(res.body).toContain('notice error');
      }
    });

    it('takes % and _ in the merchant filter literally, and several statuses at once', async () => {
      const http = await signedIn('finn');
      const authorized = await paid('1111');
      const captured = await paid('2222', 'AUTOMATIC');
      const list = async (q: string) => (await http.get(`/admin/payments?${q}`));
      for (const literal of ['%25', '_', 'Test_merchant', 'Test%25merchant']) {
        const res = await list(`merchant=${literal}`);
        expect(res.status).toBe(200);
        expect(res.body).not.toContain(authorized);
      }
      expect((await list('merchant=est%20merch')).body).toContain(authorized);
      const both = (await list('status=AUTHORIZED&status=SUCCEEDED')).body;
      expect(both).toContain(authorized);
      expect(both).toContain(captured);
      const one = (await list('status=SUCCEEDED')).body;
      expect(one).not.toContain(authorized);
      expect(one).toContain(captured);
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

