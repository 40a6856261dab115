import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Browser, Page } from 'playwright-core';

import { runAdminApproverCli } from '../../src/admin/cli/admin-approver-cli';
import { runAuditVerify } from '../../src/audit/audit-verify-cli';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { ARTIFACTS } from '../support/merchant-client';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';
import { AdminHttp, createScratchDatabase, fillSignIn, openConsoleBrowser } from './admin-support';

jest.setTimeout(180_000);

/**
 * Issue 26, the operator's side of the console, in Chromium against the real gateway, sandbox and PostgreSQL: four
 * eyes from a fresh install (the first admin and an operator it created cannot approve each other; the first
 * independent approver, set up as docs/console.md says, can), disputes where money moves, errors at the field,
 * AVS/CVV in words, and the console-wide page of failing merchant notifications with a confirmed retry.
 */
describe('admin console: the operator on a fresh install', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const pw = () => 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: test passwords, never secrets
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    stack = await startTestStack({
      DATABASE_URL: scratch.url,
      ADMIN_FOUR_EYES_THRESHOLD_MINOR: 'EUR:100000,*:1000000',
      SANDBOX_DISPUTE_DELAY_SECONDS: '0.5',
      WORKER_POLL_MS: '100',
      IP_RATE_LIMIT_ADMIN_LOGIN: '100000',
    });
    dataDir = stack.app.get(GatewayConfig).dataDir;
    ({ browser, page } = await openConsoleBrowser());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  async function browserSignIn(username: string) {
    await fillSignIn(page, stack.gatewayUrl, username, passwords[username]);
    expect(page.url()).toContain('/admin/payments');
  }

  const paid = async (value: string, extra: Record<string, unknown> = {}) => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value, ...extra }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };

  describe('four eyes from a fresh install', () => {
    let admin: AdminHttp;
    let approvalId: string;
    let paymentId: string;

    it('the first admin creates operator carol; the capture carol asks for waits, and the admin is not offered Approve', async () => {
      const oneTime = /password: (\S+)/.exec(fs.readFileSync(path.join(dataDir, 'dev', 'admin-initial-password.txt'), 'utf8'))![1];
      admin = new AdminHttp(stack.gatewayUrl);
      passwords.admin = pw();
      await admin.firstLogin('admin', oneTime, passwords.admin);
      const created = await admin.submit('/admin/users', '/admin/users', { username: 'carol', displayName: 'Carol', role: 'operator' });
      const carol = new AdminHttp(stack.gatewayUrl);
      passwords.carol = pw();
      await carol.firstLogin('carol', /id="one-time-password">([^<]+)</.exec(created.body)![1], passwords.carol);

      paymentId = await paid('300000');
      const confirm = await carol.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture/confirm`, { amount: '1500' });
      expect(confirm.body).toContain('above the four-eyes threshold');
      const fields = Object.fromEntries([...confirm.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
      const waiting = await carol.follow(await carol.post(`/admin/payments/${paymentId}/capture`, fields));
      expect(waiting.body).toContain('needs a second operator');
      [{ id: approvalId }] = await stack.db.query(`SELECT id FROM admin_approval_request WHERE status = 'PENDING'`);

      await browserSignIn('admin');
      await page.goto(`${stack.gatewayUrl}/admin/approvals`);
      const row = page.locator(`tr[data-approval-id="${approvalId}"]`);
      expect(await row.locator('form.approve').count()).toBe(0);
      const said = await row.textContent();
      expect(said).toContain('You cannot approve this.');
      expect(said).toContain('You and carol are linked');
      expect(said).toContain('Nobody on this console can approve it yet');
      expect(said).toContain('npm run admin:approver');
    });

    it('the independent approver set up outside the console (admin:approver, attested and audited) is offered Approve and it runs', async () => {
      const env = { DATABASE_URL: scratch.url, GATEWAY_DATA_DIR: dataDir };
      const run = async (args: string[]) => {
        let out = '';
        let err = '';
        const code = await runAdminApproverCli(
          args,
          env,
          (l) => (out += `${l}\n`),
          (l) => (err += `${l}\n`),
        );
        return { code, out, err };
      };
      const attest = ['--attest', 'I hold no console account and handed the one-time password to Dora in person'];
      // An account holder cannot vouch for an approver independent of them; nor without a statement or a name.
      expect(await run(['--user', 'dora', '--name', 'Dora', ...attest, '--actor', 'admin'])).toMatchObject({ code: 2 });
      expect((await run(['--user', 'dora', '--name', 'Dora', '--attest', 'ok', '--actor', 'sec.officer'])).err).toContain('--attest needs');
      expect((await run(['--user', 'dora', '--name', 'Dora', ...attest])).err).toContain('name the operator');
      expect(await stack.db.query(`SELECT 1 FROM admin_user WHERE username = 'dora'`)).toEqual([]);

      const made = await run(['--user', 'dora', '--name', 'Dora Approver', ...attest, '--actor', 'sec.officer']);
      expect(made.code).toBe(0);
      const oneTime = /one-time password[^:]*: (\S+)/.exec(made.out)![1];
      const [entry] = await stack.db.query(`SELECT actor, actor_id, detail FROM audit_log WHERE action = 'CREATE_USER' AND target = 'dora'`);
      expect(entry.actor).toMatch(/^cli:sec\.officer \(/);
      expect(entry.actor_id).toBeNull();
      expect(entry.detail).toMatchObject({ role: 'operator', independentApprover: true, attestation: attest[1] });
      let verified = '';
      expect(await runAuditVerify(env, (l) => (verified += l))).toBe(0); // the CLI's entry is in the keyed chain

      // The admin now reads who could approve carol's request.
      await page.goto(`${stack.gatewayUrl}/admin/approvals`);
      expect(await page.textContent(`tr[data-approval-id="${approvalId}"]`)).toContain('Could approve: dora.');

      // Dora signs in (the forced password change first) and approves in the browser.
      passwords.dora = pw();
      await page.context().clearCookies();
      await page.goto(`${stack.gatewayUrl}/admin/login`);
      await page.fill('input[name=username]', 'dora');
      await page.fill('input[name=password]', oneTime);
      await page.click('button[type=submit]');
      await page.fill('input[name=current]', oneTime);
      await page.fill('input[name=next]', passwords.dora);
      await page.fill('input[name=again]', passwords.dora);
      await page.click('#password-form button[type=submit]');
      await page.goto(`${stack.gatewayUrl}/admin/approvals`);
      await page.click(`tr[data-approval-id="${approvalId}"] form.approve button`);
      expect(await page.textContent('main')).toContain('succeeded');
      const [p] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]);
      expect(p.captured).toBe('150000');
      const [approved] = await stack.db.query(`SELECT actor, outcome FROM audit_log WHERE action = 'APPROVE_CAPTURE' ORDER BY id DESC LIMIT 1`);
      expect(approved).toEqual({ actor: 'admin:dora', outcome: 'SUCCESS' });
    });

    it('writes one log line per console money action: level name, admin, both payment ids, amount, outcome', async () => {
      const file = path.join(ARTIFACTS, 'logs', 'admin-operator.e2e-spec.ts.log');
      const lines = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"console_action"'))
        .map((l) => JSON.parse(l));
      const [request] = await stack.db.query(`SELECT payment_request_id FROM payment WHERE payment_id = $1`, [paymentId]);
      expect(lines.filter((l) => l.paymentId === paymentId).map((l) => [l.level, l.action, l.admin, l.outcome, l.amount])).toEqual([
        ['info', 'REQUEST_CAPTURE', 'carol', 'PENDING', '150000'],
        ['info', 'APPROVE_CAPTURE', 'dora', 'SUCCESS', '150000'],
      ]);
      expect(lines.every((l) => l.paymentRequestId && !/cardNo|cvv|4111/i.test(JSON.stringify(l)))).toBe(true);
      expect(lines.find((l) => l.paymentId === paymentId && l.action === 'APPROVE_CAPTURE').paymentRequestId).toBe(request.payment_request_id);
    });
  });

  describe('the payment page', () => {
    beforeAll(async () => {
      // An operator for the pages below, created by the admin (in the first admin's chain: it does not approve here).
      const created = await new AdminHttp(stack.gatewayUrl);
      await created.login('admin', passwords.admin);
      const made = await created.submit('/admin/users', '/admin/users', { username: 'otto', displayName: 'Otto', role: 'operator' });
      passwords.otto = pw();
      await new AdminHttp(stack.gatewayUrl).firstLogin('otto', /id="one-time-password">([^<]+)</.exec(made.body)![1], passwords.otto);
    });

    it('shows an amount error at the field, keeping what was typed, on the payment page itself', async () => {
      const paymentId = await paid('2000');
      await browserSignIn('otto');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      await page.fill('#capture-form input[name=amount]', '1,000');
      await page.check('#capture-form input[name=isLastCapture]');
      await page.click('#capture-form button[type=submit]');
      expect(await page.locator('#confirm-form').count()).toBe(0);
      expect(await page.textContent('h1')).toContain(`Payment ${paymentId}`);
      expect(await page.textContent('#capture-amount-error')).toContain('ambiguous');
      expect(await page.inputValue('#capture-form input[name=amount]')).toBe('1,000');
      expect(await page.getAttribute('#capture-form input[name=amount]', 'aria-invalid')).toBe('true');
      expect(await page.isChecked('#capture-form input[name=isLastCapture]')).toBe(true);
      // Too much: the same place, in major units; then a right amount goes on to the confirmation.
      await page.fill('#capture-form input[name=amount]', '25.00');
      await page.click('#capture-form button[type=submit]');
      expect(await page.textContent('#capture-amount-error')).toContain('At most EUR 20.00 can still be captured.');
      await page.fill('#capture-form input[name=amount]', '5.00');
      await page.click('#capture-form button[type=submit]');
      expect(await page.textContent('#confirm-amount')).toBe('EUR 5.00');
    });

    it("shows the Users page's form errors in the form, keeping what was typed", async () => {
      await browserSignIn('admin');
      await page.goto(`${stack.gatewayUrl}/admin/users`);
      await page.fill('#new-user input[name=username]', '1234'); // the page's pattern allows it; the server wants a letter
      await page.fill('#new-user input[name=displayName]', 'Digits Only');
      await page.selectOption('#new-user select[name=role]', 'viewer');
      await page.click('#new-user button[type=submit]');
      expect(await page.textContent('#new-user-error')).toContain('with at least one letter');
      expect(await page.inputValue('#new-user input[name=username]')).toBe('1234');
      expect(await page.inputValue('#new-user input[name=displayName]')).toBe('Digits Only');
      expect(await page.inputValue('#new-user select[name=role]')).toBe('viewer');

      await page.fill('#set-limit input[name=currency]', 'EUR');
      await page.fill('#set-limit input[name=maxAmount]', '1,000');
      await page.click('#set-limit button[type=submit]');
      expect(await page.textContent('#set-limit-error')).toContain('ambiguous');
      expect(await page.inputValue('#set-limit input[name=maxAmount]')).toBe('1,000');
      expect(await page.getAttribute('#set-limit input[name=maxAmount]', 'aria-invalid')).toBe('true');
      expect(await stack.db.query(`SELECT 1 FROM admin_role_limit`)).toEqual([]);
    });

    it('shows AVS and CVV results with their meaning', async () => {
      const paymentId = await paid('2000');
      await browserSignIn('otto');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      expect(await page.textContent('#cvv-result')).toMatch(/^[A-Z] — \S/);
      expect(await page.textContent('#avs-result')).toMatch(/^([A-Z] — \S|—)/);
    });

    it('marks a disputed payment, and its refund warns, is not prefilled and needs the box ticked', async () => {
      const pay = await stack.merchant.post('payments/pay', s2sPay({ cardNo: '4000000000000259', value: '2500' }));
      expect(pay.body.result.resultStatus).toBe('S');
      const paymentId = pay.body.paymentId as string;
      await waitFor(
        async () => (await stack.db.query(`SELECT 1 FROM dispute d JOIN payment p ON p.id = d.payment_id WHERE p.payment_id = $1`, [paymentId]))[0],
        15_000,
      );
      await browserSignIn('otto');
      await page.goto(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      expect(await page.textContent('#dispute-badge')).toMatch(/^(DISPUTED|CHARGED BACK)$/);
      expect(await page.textContent('#refund-dispute-warning')).toContain('pays them twice');
      expect(await page.inputValue('#refund-form input[name=amount]')).toBe('');
      // The box is required in the page; the server refuses without it too, at the field.
      await page.fill('#refund-form input[name=amount]', '5.00');
      await page.click('#refund-form button[type=submit]');
      expect(page.url()).toBe(`${stack.gatewayUrl}/admin/payments/${paymentId}`);
      const http = new AdminHttp(stack.gatewayUrl);
      await http.login('otto', passwords.otto);
      const refused = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/refund/confirm`, { amount: '5.00' });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('id="refund-amount-error"');
      expect(refused.body).toContain('Tick the box to confirm you mean it.');
      expect(refused.body).not.toContain('id="confirm-form"');
      await page.check('#refund-dispute-ack');
      await page.click('#refund-form button[type=submit]');
      expect(await page.textContent('#confirm-amount')).toBe('EUR 5.00');
      expect(await page.textContent('#confirm-dispute-warning')).toContain('pays them twice');
    });
  });

  describe('failing merchant notifications', () => {
    it('lists failing notices console-wide; Retry now asks first, then says it was delivered, audited', async () => {
      let failing = true;
      const receiver = await startReceiver(() => (failing ? { status: 500, body: 'down' } : ack()));
      try {
        const req = s2sPay({ captureMode: 'MANUAL', value: '1200', notifyUrl: `${receiver.url}/notify` });
        const pay = await stack.merchant.post('payments/pay', req);
        const paymentId = pay.body.paymentId as string;
        const notice = await waitFor(
          async () =>
            (
              await stack.db.query(
                `SELECT n.id FROM merchant_notification n JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.attempts > 0 AND n.status = 'PENDING'`,
                [paymentId],
              )
            )[0],
          20_000,
        );
        await browserSignIn('otto');
        await page.click('nav a[href="/admin/notifications"]');
        const row = page.locator(`#failing-notifications tr[data-notification-id="${notice.id}"]`);
        const text = await row.textContent();
        expect(text).toContain(paymentId);
        expect(text).toContain('PAYMENT_RESULT');
        expect(text).toContain('no Antom ack in the answer'); // the last error, as the worker recorded it

        failing = false;
        await row.locator('a.retry').click();
        expect(await page.textContent('#confirm-form')).toContain('Yes, retry now');
        expect(await stack.db.query(`SELECT 1 FROM audit_log WHERE action = 'RETRY_NOTIFICATION'`)).toEqual([]); // asking sends nothing
        await page.click('#confirm-form button[type=submit]');
        expect(await page.textContent('#retry-result')).toMatch(/Delivered|Queued/);
        await waitFor(async () => receiver.received.length > 1, 15_000);
        await page.reload(); // the answer is read again, nothing is sent again
        expect(await page.textContent('#retry-result')).toContain('Delivered');
        const audit = await stack.db.query(`SELECT actor, outcome, detail FROM audit_log WHERE action = 'RETRY_NOTIFICATION'`);
        expect(audit).toEqual([{ actor: 'admin:otto', outcome: 'SUCCESS', detail: { notificationId: notice.id } }]);
        await page.goto(`${stack.gatewayUrl}/admin/notifications`);
        expect(await page.locator(`tr[data-notification-id="${notice.id}"]`).count()).toBe(0);
      } finally {
        await receiver.close();
      }
    });

    it('pages by keyset: 120 failing notices over three pages, each once, newest first', async () => {
      const [p] = await stack.db.query(`SELECT id, merchant_id FROM payment ORDER BY created_at LIMIT 1`);
      // Same created_at for many: the id breaks the tie, so nothing repeats or goes missing across pages.
      await stack.db.query(
        `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, status, attempts, last_error, created_at)
         SELECT $1, $2, 'PAYMENT_RESULT', 'keyset-' || g, 'https://merchant.invalid/notify', '{}', 'FAILED', 8, 'HTTP 503',
                now() - (g / 3) * interval '1 second'
         FROM generate_series(1, 120) g`,
        [p.merchant_id, p.id],
      );
      await browserSignIn('otto');
      await page.goto(`${stack.gatewayUrl}/admin/notifications`);
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        seen.push(
          ...(await page.$$eval('#failing-notifications tr[data-notification-id]', (rows) =>
            rows.map((r) => r.getAttribute('data-notification-id')!),
          )),
        );
        if ((await page.locator('#next-page').count()) === 0) break;
        await page.click('#next-page');
      }
      // Other suites' notices may start failing meanwhile; the 120 planted ones must each come once, in order.
      const planted: string[] = (
        await stack.db.query(`SELECT id FROM merchant_notification WHERE dedupe_key LIKE 'keyset-%' ORDER BY created_at DESC, id DESC`)
      ).map((r: { id: string }) => r.id);
      expect(planted).toHaveLength(120);
      expect(seen.filter((id) => planted.includes(id))).toEqual(planted);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });
});
