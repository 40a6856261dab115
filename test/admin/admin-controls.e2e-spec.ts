import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

import { Browser, Page } from 'playwright-core';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { scanText } from '../support/leak-scanner';
import { startTestStack, TestStack } from '../support/stack';
import { addUser, AdminHttp, createScratchDatabase, fillSignIn, openConsoleBrowser, signedInHttp } from './admin-support';

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
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // Dozens of sign-ins a minute from one address (the suite's many users): the per-IP sign-in limit is not what it tests.
    stack = await startTestStack({
      DATABASE_URL: scratch.url,
      ADMIN_FOUR_EYES_THRESHOLD_MINOR: 'EUR:100000,*:1000000',
      ADMIN_FOUR_EYES_DAILY_THRESHOLD_MINOR: 'EUR:300000,*:10000000',
      IP_RATE_LIMIT_ADMIN_LOGIN: '100000',
    });
    users = stack.app.get(AdminUsersService);
    ({ browser, page } = await openConsoleBrowser());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  const user = (username: string, role: 'viewer' | 'operator' | 'admin') => addUser(users, username, role, PASSWORD);

  const signedIn = (username: string, password = PASSWORD) => signedInHttp(stack.gatewayUrl, username, password);

  async function browserSignIn(username: string) {
    await fillSignIn(page, stack.gatewayUrl, username, PASSWORD);
    expect(page.url()).toContain('/admin/payments');
  }

  const paid = async (value: string, captureMode: 'MANUAL' | 'AUTOMATIC' = 'MANUAL', currency?: string) => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ captureMode, value, ...(currency ? { currency } : {}) }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };
  const amounts = async (paymentId: string) =>
    (
      await stack.db.query('SELECT status, captured_amount::text AS captured, refunded_amount::text AS refunded FROM payment WHERE payment_id = $1', [
        paymentId,
      ])
    )[0];

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
      for (const q of [
        `card=${PAN}`,
        `card=${PAN.slice(0, 8)}-${PAN.slice(8)}`,
        `id=${PAN}`,
        `merchant=x%20${PAN}&status=AUTHORIZED`,
        `referenceOrderId=${PAN}&currency=EUR`,
      ]) {
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
      for (const q of [
        'id=%00',
        'merchant=a%00b',
        'referenceOrderId=a%0d%0ab',
        'status=NOPE',
        'brand=%00',
        'after=abc',
        'before=%00',
        `id=${'a'.repeat(65)}`,
      ]) {
        const res = await http.get(`/admin/payments?${q}`);
        expect([q, res.status]).toEqual([q, 400]);
        expect(res.body).toContain('notice error');
      }
    });

    it('takes % and _ in the merchant filter literally, and several statuses at once', async () => {
      const http = await signedIn('finn');
      const authorized = await paid('1111');
      const captured = await paid('2222', 'AUTOMATIC');
      const list = async (q: string) => await http.get(`/admin/payments?${q}`);
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

  describe('four-eyes and role limits count what one person moved', () => {
    const outcome = (body: string) =>
      body.includes('succeeded')
        ? 'done'
        : body.includes("needs a second operator's approval")
          ? 'waits'
          : body.includes('refused')
            ? 'refused'
            : body;

    it('counts captures (and refunds) of one person on a payment together: four EUR 1,000 captures do not dodge a EUR 1,000 threshold', async () => {
      await user('carl', 'operator');
      const http = await signedIn('carl');
      const big = await paid('500000');
      const first = await act(http, big, 'capture', '1,000.00');
      expect(outcome(first.result.body)).toBe('done');
      const second = await act(http, big, 'capture', '1,000.00');
      expect(second.confirm.body).toContain('With the EUR 1,000.00 you');
      expect(second.confirm.body).toContain(
        'already captured on this payment without approval, EUR 2,000.00 is above the four-eyes threshold of EUR 1,000.00',
      );
      expect(outcome(second.result.body)).toBe('waits');
      expect(await amounts(big)).toMatchObject({ captured: '100000' });

      const sale = await paid('300000', 'AUTOMATIC');
      expect(outcome((await act(http, sale, 'refund', '600')).result.body)).toBe('done');
      expect(outcome((await act(http, sale, 'refund', '600')).result.body)).toBe('waits');
      expect(await amounts(sale)).toMatchObject({ refunded: '60000' });
    });

    it('counts what one person moved in a currency over 24 hours against the daily threshold', async () => {
      await user('dana', 'operator');
      const http = await signedIn('dana');
      for (let i = 0; i < 3; i++) expect(outcome((await act(http, await paid('100000'), 'capture', '1000')).result.body)).toBe('done');
      const fourth = await act(http, await paid('100000'), 'capture', '1000');
      expect(fourth.confirm.body).toContain(
        'in the last 24 hours without approval, EUR 4,000.00 is above the daily four-eyes threshold of EUR 3,000.00',
      );
      expect(outcome(fourth.result.body)).toBe('waits');
    });

    it('counts an admin and the operator it created as one person, and refuses that admin as the approver of the operator', async () => {
      await user('root', 'admin');
      await user('bob', 'operator');
      const root = await signedIn('root');
      const created = await root.submit('/admin/users', '/admin/users', { username: 'eve', displayName: 'Eve Example', role: 'operator' });
      const oneTime = /id="one-time-password">([^<]+)</.exec(created.body)![1];
      const eve = new AdminHttp(stack.gatewayUrl);
      await eve.firstLogin('eve', oneTime, `Second-${PASSWORD}`);
      const shared = await paid('300000');
      expect(outcome((await act(eve, shared, 'capture', '600')).result.body)).toBe('done');
      const byAdmin = await act(root, shared, 'capture', '600');
      expect(byAdmin.confirm.body).toContain('an account you created or reset');
      expect(outcome(byAdmin.result.body)).toBe('waits');

      // Eve asks; the admin who created her cannot approve; an unrelated operator can.
      const request = await act(eve, await paid('300000'), 'capture', '1500');
      expect(outcome(request.result.body)).toBe('waits');
      const [approval] = await stack.db.query(
        `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'eve' ORDER BY requested_at DESC LIMIT 1`,
      );
      const refused = await root.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('one of you created the other&#39;s account or reset its password');
      const approved = await (
        await signedIn('bob')
      ).follow(await (await signedIn('bob')).submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {}));
      expect(approved.body).toContain('succeeded');
    });

    it('refuses an approver whose password the requester reset while the request waited', async () => {
      await user('ivy', 'admin');
      await user('jon', 'operator');
      const ivy = await signedIn('ivy');
      expect(outcome((await act(ivy, await paid('300000'), 'capture', '1500')).result.body)).toBe('waits');
      const [approval] = await stack.db.query(
        `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'ivy'`,
      );
      const jonId = (await users.findByUsername('jon'))!.id;
      const reset = await ivy.submit('/admin/users', `/admin/users/${jonId}`, { op: 'reset-password' });
      const oneTime = /id="one-time-password">([^<]+)</.exec(reset.body)![1];
      const asJon = new AdminHttp(stack.gatewayUrl);
      await asJon.firstLogin('jon', oneTime, `Second-${PASSWORD}`);
      const refused = await asJon.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('are linked');
      const [row] = await stack.db.query('SELECT status FROM admin_approval_request WHERE id = $1', [approval.id]);
      expect(row.status).toBe('PENDING');
    });

    it('follows the whole creation chain: admin A creates admin B, B creates operator C, and C may not approve A', async () => {
      await user('chain.a', 'admin');
      await user('chain.z', 'operator'); // created outside A's chain
      const a = await signedIn('chain.a');
      const create = async (by: AdminHttp, username: string, role: 'admin' | 'operator') => {
        const created = await by.submit('/admin/users', '/admin/users', { username, displayName: username, role });
        const http = new AdminHttp(stack.gatewayUrl);
        await http.firstLogin(username, /id="one-time-password">([^<]+)</.exec(created.body)![1], `Second-${PASSWORD}`);
        return http;
      };
      const b = await create(a, 'chain.b', 'admin');
      const c = await create(b, 'chain.c', 'operator');
      expect(outcome((await act(a, await paid('300000'), 'capture', '1500')).result.body)).toBe('waits');
      const [approval] = await stack.db.query(
        `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'chain.a'`,
      );
      const byC = await c.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
      expect(byC.status).toBe(403);
      expect(byC.body).toContain('You and chain.a are linked');
      expect(byC.body).toContain('(chain.a → chain.b → you: each created the next one&#39;s account or reset its password)');
      expect(byC.body).toContain('An approver may not be in the requester&#39;s creation chain, up or down.');
      // A was created by no account (as the first admin is): the refusal says who can approve at all.
      expect(byC.body).toContain('only an account set up by someone else can approve chain.a&#39;s requests');
      const byB = await b.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
      expect(byB.status).toBe(403);
      expect(byB.body).toContain('one of you created the other&#39;s account or reset its password (chain.a → you)');
      const [row] = await stack.db.query('SELECT status FROM admin_approval_request WHERE id = $1', [approval.id]);
      expect(row.status).toBe('PENDING');
      const denied = await stack.db.query(
        `SELECT actor FROM audit_log WHERE action = 'APPROVE_CAPTURE' AND outcome = 'DENIED' AND detail->>'approvalId' = $1 ORDER BY id`,
        [approval.id],
      );
      expect(denied).toEqual([{ actor: 'admin:chain.c' }, { actor: 'admin:chain.b' }]);
      // Down the chain too: C asks, A (two hops up) may not approve; Z, outside the chain, may.
      expect(outcome((await act(c, await paid('300000'), 'capture', '1500')).result.body)).toBe('waits');
      const [fromC] = await stack.db.query(
        `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'chain.c'`,
      );
      const byA = await a.submit('/admin/approvals', `/admin/approvals/${fromC.id}/approve`, {});
      expect(byA.status).toBe(403);
      expect(byA.body).toContain('(you → chain.b → chain.c: each created the next one&#39;s account');
      const z = await signedIn('chain.z');
      expect((await z.follow(await z.submit('/admin/approvals', `/admin/approvals/${fromC.id}/approve`, {}))).body).toContain('succeeded');
    });

    it('holds role limits per person over 24 hours, and an approver to their own limit for the amount', async () => {
      await user('lim', 'admin');
      await user('hal', 'operator');
      await user('kim', 'operator');
      const admin = await signedIn('lim');
      await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'EUR', maxAmount: '1,200.00' });
      try {
        const hal = await signedIn('hal');
        expect(outcome((await act(hal, await paid('100000'), 'capture', '900')).result.body)).toBe('done');
        const over = await act(hal, await paid('100000'), 'capture', '400');
        expect(outcome(over.result.body)).toBe('refused');
        expect(over.result.body).toContain('EUR 1,300.00 is above your role&#39;s limit of EUR 1,200.00 per 24 hours');
        // The admin (no limit) asks for EUR 1,500; an operator limited to EUR 1,200 may not approve it.
        expect(outcome((await act(admin, await paid('300000'), 'capture', '1500')).result.body)).toBe('waits');
        const [approval] = await stack.db.query(
          `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'lim'`,
        );
        const kim = await signedIn('kim');
        const refused = await kim.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
        expect(refused.status).toBe(403);
        expect(refused.body).toContain('an approver must be allowed to move the amount themselves');
      } finally {
        await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'EUR', remove: '1' });
      }
    });

    // Issue 23: request ids are unique per merchant only, so one id reused on twelve merchants' payments moves
    // money twelve times; the 24-hour sums must count each payment's, not the id once.
    describe("one request id reused across twelve merchants' payments", () => {
      /** One payment at each of twelve merchants of their own. */
      const twelvePayments = async (value: string, captureMode: 'MANUAL' | 'AUTOMATIC', currency: string) => {
        const out: string[] = [];
        for (let i = 0; i < 12; i++) {
          const res = await (await stack.newMerchant()).post('payments/pay', s2sPay({ captureMode, value, currency }));
          expect(res.body.result.resultStatus).toBe('S');
          out.push(res.body.paymentId as string);
        }
        return out;
      };
      /** The confirmation form as the page gives it, posted with `requestId` in place of the page's own. */
      async function actWithRequestId(http: AdminHttp, paymentId: string, action: 'capture' | 'refund', amount: string, requestId: string | null) {
        const confirm = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/${action}/confirm`, { amount });
        const fields = formOf(confirm.body);
        const result = await http.follow(
          await http.post(`/admin/payments/${paymentId}/${action}`, { ...fields, ...(requestId ? { requestId } : {}) }),
        );
        return { requestId: fields.requestId, confirm: confirm.body, body: result.body };
      }

      it('daily four-eyes threshold: 12 captures under one request id, EUR 3,000.01 in all, the twelfth waits for approval', async () => {
        await user('reuse.cap', 'operator');
        const http = await signedIn('reuse.cap');
        const payments = await twelvePayments('100000', 'MANUAL', 'EUR');
        let requestId: string | null = null;
        const outcomes: string[] = [];
        for (const [i, paymentId] of payments.entries()) {
          const r = await actWithRequestId(http, paymentId, 'capture', i === 11 ? '250.01' : '250.00', requestId);
          requestId ??= r.requestId;
          outcomes.push(outcome(r.body));
          if (i === 11) expect(r.confirm).toContain('EUR 3,000.01 is above the daily four-eyes threshold of EUR 3,000.00');
        }
        expect(outcomes).toEqual([...Array(11).fill('done'), 'waits']);
        const captured = await stack.db.query('SELECT coalesce(sum(captured_amount), 0)::text AS s FROM payment WHERE payment_id = ANY($1)', [
          payments,
        ]);
        expect(captured[0].s).toBe('275000'); // EUR 2,750.00: eleven captures ran, the twelfth waits
        const [{ n }] = await stack.db.query(
          `SELECT count(DISTINCT detail->>'requestId')::int AS n FROM audit_log WHERE actor = 'admin:reuse.cap' AND action = 'CAPTURE' AND outcome = 'SUCCESS'`,
        );
        expect(n).toBe(1); // the eleven really shared one request id
      });

      it('role limit per 24 hours: 12 refunds under one request id stop at the limit', async () => {
        await user('reuse.lim', 'admin');
        await user('reuse.ref', 'operator');
        const admin = await signedIn('reuse.lim');
        await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'USD', maxAmount: '1,000.00' });
        try {
          const http = await signedIn('reuse.ref');
          const payments = await twelvePayments('20000', 'AUTOMATIC', 'USD');
          let requestId: string | null = null;
          const outcomes: string[] = [];
          for (const [i, paymentId] of payments.entries()) {
            const r = await actWithRequestId(http, paymentId, 'refund', '100.00', requestId);
            requestId ??= r.requestId;
            outcomes.push(outcome(r.body));
            if (i === 10) expect(r.body).toContain('USD 1,100.00 is above your role&#39;s limit of USD 1,000.00 per 24 hours');
          }
          expect(outcomes).toEqual([...Array(10).fill('done'), 'refused', 'refused']);
          const refunded = await stack.db.query('SELECT coalesce(sum(refunded_amount), 0)::text AS s FROM payment WHERE payment_id = ANY($1)', [
            payments,
          ]);
          expect(refunded[0].s).toBe('100000'); // USD 1,000.00: the limit, not a cent more
        } finally {
          await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'USD', remove: '1' });
        }
      });
    });

    it('shows a refund waiting for approval as taken from "Refundable", and refuses more than what is left', async () => {
      await user('rae', 'operator');
      const http = await signedIn('rae');
      const sale = await paid('200000', 'AUTOMATIC');
      expect(outcome((await act(http, sale, 'refund', '1500')).result.body)).toBe('waits');
      const detail = (await http.get(`/admin/payments/${sale}`)).body;
      expect(/id="refundable">([^<]+)/.exec(detail)![1].trim()).toBe('500.00');
      expect(detail).toContain('EUR 1,500.00 more waits for approval');
      const more = await act(http, sale, 'refund', '600');
      expect(more.confirm.body).toContain('At most EUR 500.00 can still be refunded (EUR 1,500.00 more is waiting for approval).');
    });
  });

  describe('page fixes', () => {
    it('users page: no change is preselected, and neither a reload after a change nor after a password reset repeats it', async () => {
      await user('ursula', 'admin');
      const target = await user('walt', 'viewer');
      await browserSignIn('ursula');
      await page.goto(`${stack.gatewayUrl}/admin/users`);
      const form = page.locator(`form[action="/admin/users/${target.id}"]`);
      expect(await form.locator('select[name=op]').inputValue()).toBe('');
      await form.locator('button[type=submit]').click(); // the browser refuses: nothing chosen
      const changes = async () =>
        (await stack.db.query(`SELECT detail->>'op' AS op FROM audit_log WHERE actor = 'admin:ursula' AND action = 'CHANGE_USER' ORDER BY id`)).map(
          (r: { op: string }) => r.op,
        );
      expect(await changes()).toEqual([]);
      expect((await users.findById(target.id))!.role).toBe('viewer');

      await form.locator('select[name=op]').selectOption('role:operator');
      await form.locator('button[type=submit]').click();
      await page.waitForURL(/\/admin\/users\?done=\d+$/);
      expect(await page.textContent('main')).toContain('walt: now operator');
      await page.reload();
      expect(await changes()).toEqual(['role:operator']);

      await page.locator(`form[action="/admin/users/${target.id}"] select[name=op]`).selectOption('reset-password');
      await page.locator(`form[action="/admin/users/${target.id}"] button[type=submit]`).click();
      expect(await page.textContent('#one-time-password')).toMatch(/\S{8,}/);
      await page.reload(); // re-posts the same form
      expect(await page.textContent('main')).toContain('That form was already submitted');
      expect(await page.locator('#one-time-password').count()).toBe(0);
      expect(await changes()).toEqual(['role:operator', 'reset-password']);
    });

    it('a payment waiting for 3-D Secure offers a cancel without "EUR 0.00" and no "No money actions" beside it', async () => {
      await user('tess', 'operator');
      const req = s2sPay({ cardNo: '4000000000003220', captureMode: 'MANUAL' });
      Object.assign(req.paymentMethod.paymentMethodMetaData, { is3DSAuthentication: true });
      const res = await stack.merchant.post('payments/pay', req);
      expect(res.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
      await browserSignIn('tess');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${res.body.paymentId}`);
      const actions = await page.textContent('.actions');
      expect(actions).not.toContain('0.00');
      expect(actions).toContain('nothing is authorized yet');
      expect(await page.locator('#no-actions').count()).toBe(0);
      await page.click('#cancel-form button[type=submit]');
      expect(await page.textContent('main')).not.toContain('EUR 0.00');
    });

    it('the payment page speaks major units everywhere, with a human timeline, the acquirer ids, captures and refunds with reasons', async () => {
      await user('nina', 'operator');
      await user('otto', 'operator');
      const paymentId = await paid('300000');
      const nina = await signedIn('nina');
      await act(nina, paymentId, 'capture', '1,500.00');
      const [approval] = await stack.db.query(
        `SELECT a.id FROM admin_approval_request a JOIN admin_user u ON u.id = a.requested_by WHERE u.username = 'nina'`,
      );
      const otto = await signedIn('otto');
      await otto.submit('/admin/approvals', `/admin/approvals/${approval.id}/approve`, {});
      await act(nina, paymentId, 'refund', '12.34', { refundReason: 'damaged in transit' });

      await browserSignIn('nina');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      const timeline = (await page.textContent('#timeline'))!;
      expect(timeline).toContain('Console: nina, approved by otto');
      expect(timeline).toContain('EUR 1,500.00');
      expect(timeline).toContain('Refund requested');
      expect(timeline).toContain('EUR 12.34');
      expect(timeline).not.toMatch(/[{}]/); // no JSON
      expect(await page.textContent('#refunds')).toContain('damaged in transit');
      expect(await page.textContent('#captures')).toContain('nina, approved by otto');
      const [row] = await stack.db.query(
        "SELECT upstream_payment_id, payment_result_info->>'networkTransactionId' AS ntid FROM payment WHERE payment_id = $1",
        [paymentId],
      );
      expect(await page.textContent('#upstream-payment-id')).toBe(row.upstream_payment_id);
      expect(await page.textContent('#network-transaction-id')).toBe(row.ntid ?? '—');
      // What the seed's pay request says of the order and the buyer, and the acquirer's retrieval reference.
      expect(await page.textContent('#order-description')).toBe("Cappuccino #grande (Mika's coffee shop)");
      expect(await page.textContent('#buyer-id')).toBe('test12345678');
      expect(await page.textContent('#client-ip')).toBe('112.80.248.78');
      expect(await page.textContent('#rrn')).toMatch(/^\d{12}$/);
      const main = (await page.textContent('main'))!;
      expect(main).not.toContain('150000'); // no minor units anywhere on the page
      expect(main).not.toContain('"resultStatus"');
      expect(await page.textContent('table.approvals')).toContain('S SUCCESS');
      expect(await page.textContent('table.audit')).toContain('amount: EUR 1,500.00');
    });

    it('the list shows newest first, counts and per-currency totals for the filter, and several statuses', async () => {
      await user('lars', 'viewer');
      const merchant = await stack.newMerchant();
      const pay = async (value: string, currency: string, captureMode: 'MANUAL' | 'AUTOMATIC') => {
        const res = await merchant.post('payments/pay', s2sPay({ value, currency, captureMode }));
        return res.body.paymentId as string;
      };
      const older = await pay('1000', 'EUR', 'MANUAL');
      const newer = await pay('2550', 'EUR', 'AUTOMATIC');
      await pay('700', 'JPY', 'MANUAL');
      await browserSignIn('lars');
      await page.goto(`${stack.gatewayUrl}/admin/payments?merchant=${merchant.clientId}`);
      const ids = await page.locator('#payments tr[data-payment-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-payment-id')));
      expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
      const totals = (await page.textContent('#list-totals'))!;
      expect(totals).toContain('3 payments match');
      expect(totals).toContain('2 in EUR, EUR 35.50 ordered');
      expect(totals).toContain('1 in JPY, JPY 700 ordered');
      await page.check('#filters input[name=status][value=AUTHORIZED]');
      await page.check('#filters input[name=status][value=SUCCEEDED]');
      await page.fill('#filters input[name=currency]', 'EUR');
      await page.click('#filters button[type=submit]');
      expect(await page.textContent('#list-totals')).toContain('2 payments match: 2 in EUR');
      expect(page.url()).toContain('status=AUTHORIZED&status=SUCCEEDED');
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
