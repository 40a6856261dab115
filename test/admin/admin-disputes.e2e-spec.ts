import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';

import { Browser, Page } from 'playwright-core';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { s2sPay } from '../support/fixtures';
import { ARTIFACTS } from '../support/merchant-client';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';
import { addUser, AdminHttp, createScratchDatabase, fillSignIn, openConsoleBrowser } from './admin-support';

jest.setTimeout(120_000);

// Refreshed on purpose only (UPDATE_SCREENSHOTS=1), as in admin-console.e2e-spec.ts.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.join(ARTIFACTS, 'screenshots');

function pdf(text: string): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n'),
    deflateSync(Buffer.from(`BT (${text}) Tj ET`)),
    Buffer.from('\nendstream\nendobj\n%%EOF\n'),
  ]);
}

/**
 * Disputes in the console, in Chromium against the real gateway, sandbox and PostgreSQL: the list (filters,
 * deadline nearest first), the payment page with its disputes and timeline, a defence uploaded (checked:
 * type, size, no card number), and an acceptance above the four-eyes threshold that waits for a second operator.
 */
describe('admin console: disputes', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let browser: Browser;
  let page: Page;
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    stack = await startTestStack({
      DATABASE_URL: scratch.url,
      ADMIN_FOUR_EYES_THRESHOLD_MINOR: 'EUR:100000,*:1000000',
      SANDBOX_DISPUTE_DELAY_SECONDS: '0.5',
      WORKER_POLL_MS: '100',
    });
    const users = stack.app.get(AdminUsersService);
    for (const [name, role] of [
      ['olga', 'operator'],
      ['omar', 'operator'],
      ['vera', 'viewer'],
    ] as const)
      await addUser(users, name, role, PASSWORD);
    ({ browser, page } = await openConsoleBrowser());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  async function signIn(username: string) {
    await fillSignIn(page, stack.gatewayUrl, username, PASSWORD);
    expect(page.url()).toContain('/admin/payments');
  }

  /** A captured payment of the sandbox's dispute card, and the dispute it drew. */
  async function disputed(value: string) {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ cardNo: '4000000000000259', value }));
    expect(pay.body.result.resultStatus).toBe('S');
    const d = await waitFor(
      async () =>
        (
          await stack.db.query(`SELECT d.dispute_id FROM dispute d JOIN payment p ON p.id = d.payment_id WHERE p.payment_id = $1`, [
            pay.body.paymentId,
          ])
        )[0],
      15_000,
    );
    return { paymentId: pay.body.paymentId as string, disputeId: d.dispute_id as string };
  }
  const statusOf = async (disputeId: string) => (await stack.db.query('SELECT status FROM dispute WHERE dispute_id = $1', [disputeId]))[0].status;

  let small: { paymentId: string; disputeId: string };
  let large: { paymentId: string; disputeId: string };

  it('lists disputes with the nearest defence deadline first, filtered by status and merchant', async () => {
    small = await disputed('2500');
    large = await disputed('150000');
    // The large one's deadline is brought forward: it must come first.
    await stack.db.query(`UPDATE dispute SET defense_due_at = now() + interval '2 days' WHERE dispute_id = $1`, [large.disputeId]);
    await signIn('olga');
    await page.click('nav a[href="/admin/disputes"]');
    const ids = await page.$$eval('#disputes tbody tr[data-dispute-id]', (rows) => rows.map((r) => r.getAttribute('data-dispute-id')));
    expect(ids.indexOf(large.disputeId)).toBeLessThan(ids.indexOf(small.disputeId));
    expect(await page.textContent(`#disputes tr[data-dispute-id="${large.disputeId}"]`)).toContain('EUR 1,500.00');
    expect(await page.getAttribute(`#disputes tr[data-dispute-id="${large.disputeId}"]`, 'class')).toBe('soon');
    expect(await page.getAttribute(`#disputes tr[data-dispute-id="${small.disputeId}"]`, 'class')).toBe('');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-disputes-list.png'), fullPage: false });

    await page.check('#dispute-filters input[value=WON]');
    await page.click('#dispute-filters button[type=submit]');
    expect(await page.locator('#disputes tr[data-dispute-id]').count()).toBe(0);
    await page.goto(`${stack.gatewayUrl}/admin/disputes?status=OPEN&merchant=${stack.merchant.clientId}`);
    expect(await page.locator(`#disputes tr[data-dispute-id="${small.disputeId}"]`).count()).toBe(1);
    await page.goto(`${stack.gatewayUrl}/admin/disputes?merchant=SOMEONE_ELSE`);
    expect(await page.locator('#disputes tr[data-dispute-id]').count()).toBe(0);
    const bad = await page.goto(`${stack.gatewayUrl}/admin/disputes?status=NOPE&merchant=%00`);
    expect(bad!.status()).toBe(400);
    expect(await page.textContent('main')).toContain('Status must be one of');

    // The payments list shows the dispute beside the status (SUCCEEDED alone read as settled money).
    await page.goto(`${stack.gatewayUrl}/admin/payments?id=${small.paymentId}`);
    const listRow = page.locator(`tr[data-payment-id="${small.paymentId}"]`);
    expect(await listRow.locator('a.badge.DISPUTED').textContent()).toBe('DISPUTED');
    expect(await listRow.locator('a.badge.DISPUTED').getAttribute('href')).toBe(`/admin/payments/${small.paymentId}#disputes`);
  });

  it('shows the dispute on its payment with its timeline; an operator uploads a defence, checked before it is sent', async () => {
    await signIn('olga');
    await page.goto(`${stack.gatewayUrl}/admin/payments/${small.paymentId}`);
    const row = page.locator(`#payment-disputes tr[data-dispute-id="${small.disputeId}"]`);
    expect(await row.textContent()).toContain('OPEN');
    expect(await row.textContent()).toContain('10.4');
    expect(await page.textContent('#timeline')).toContain('Dispute opened by the cardholder');

    // A card number in the document: refused, nothing sent.
    await row.locator('input[type=file]').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: pdf('card 4242 4242 4242 4242') });
    await row.locator('.defense-upload button[type=submit]').click();
    expect(await page.textContent('main')).toMatch(/Defence upload failed: PARAM_ILLEGAL.*must not contain a card number/);
    expect(await statusOf(small.disputeId)).toBe('OPEN');

    await page.goto(`${stack.gatewayUrl}/admin/payments/${small.paymentId}`);
    await page
      .locator(`#payment-disputes tr[data-dispute-id="${small.disputeId}"] input[type=file]`)
      .setInputFiles({ name: 'proof.pdf', mimeType: 'application/pdf', buffer: pdf('Delivered and signed for') });
    await page.click(`#payment-disputes tr[data-dispute-id="${small.disputeId}"] .defense-upload button[type=submit]`);
    expect(await page.textContent('main')).toContain('Defence upload succeeded');
    expect(await statusOf(small.disputeId)).toBe('DEFENDED');
    await page.click('#back-to-payment');
    expect(await page.textContent('#timeline')).toContain('Dispute defence document sent to the acquirer');
    expect(await page.textContent('#timeline')).toContain('Console: olga');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-payment-disputes.png'), fullPage: true });

    // Size-limited before anything is read into memory past the limit; the wrong type is refused by content.
    const csrf = (await page.getAttribute('input[name=_csrf]', 'value'))!;
    const big = await page.request.post(`${stack.gatewayUrl}/admin/disputes/${small.disputeId}/defense`, {
      multipart: {
        _csrf: csrf,
        document: { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(800_000)]) },
      },
    });
    expect(big.status()).toBe(413);
    const gif = await page.request.post(`${stack.gatewayUrl}/admin/disputes/${small.disputeId}/defense`, {
      multipart: { _csrf: csrf, document: { name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf') } },
    });
    expect(await gif.text()).toContain('PDF or Word');
    const noToken = await page.request.post(`${stack.gatewayUrl}/admin/disputes/${small.disputeId}/defense`, {
      multipart: { document: { name: 'p.pdf', mimeType: 'application/pdf', buffer: pdf('x') } },
    });
    expect(noToken.status()).toBe(403);
    const audit = await stack.db.query(`SELECT outcome, detail FROM audit_log WHERE action = 'SUPPLY_DEFENSE' ORDER BY id`);
    expect(audit.map((a: { outcome: string }) => a.outcome)).toEqual(['FAILURE', 'SUCCESS', 'FAILURE']);
    expect(JSON.stringify(audit)).not.toContain('4242');
  });

  it('an acceptance above the four-eyes threshold waits for a second operator; a viewer may not act', async () => {
    await signIn('olga');
    await page.goto(`${stack.gatewayUrl}/admin/payments/${large.paymentId}`);
    await page.click(`#payment-disputes tr[data-dispute-id="${large.disputeId}"] .accept-dispute button`);
    expect(await page.textContent('#confirm-amount')).toBe('EUR 1,500.00');
    expect(await page.textContent('main')).toContain('second person');
    await page.click('#confirm-form button[type=submit]');
    expect(await page.textContent('main')).toContain("needs a second operator's approval");
    expect(await statusOf(large.disputeId)).toBe('OPEN');

    // The requester is offered no approval, and a forged one is refused.
    await page.goto(`${stack.gatewayUrl}/admin/approvals`);
    expect(await page.locator('form.approve').count()).toBe(0);
    expect(await page.textContent('main')).toContain('your request');
    const approvalId = (await stack.db.query(`SELECT id FROM admin_approval_request WHERE action = 'ACCEPT_DISPUTE'`))[0].id;
    const own = await page.request.post(`${stack.gatewayUrl}/admin/approvals/${approvalId}/approve`, {
      form: { _csrf: (await page.getAttribute('input[name=_csrf]', 'value'))! },
    });
    expect(own.status()).toBe(403);
    expect(await own.text()).toContain('a second person must approve it');

    await signIn('omar');
    await page.goto(`${stack.gatewayUrl}/admin/approvals`);
    expect(await page.textContent('form.approve button')).toContain('Approve accept dispute of EUR 1,500.00');
    await page.click('form.approve button');
    expect(await page.textContent('main')).toContain('succeeded');
    expect(await statusOf(large.disputeId)).toBe('ACCEPTED');
    const audit = await stack.db.query(`SELECT action, actor, outcome FROM audit_log WHERE action LIKE '%ACCEPT_DISPUTE' ORDER BY id`);
    expect(audit).toEqual([
      { action: 'REQUEST_ACCEPT_DISPUTE', actor: 'admin:olga', outcome: 'PENDING' },
      { action: 'APPROVE_ACCEPT_DISPUTE', actor: 'admin:olga', outcome: 'DENIED' },
      { action: 'APPROVE_ACCEPT_DISPUTE', actor: 'admin:omar', outcome: 'SUCCESS' },
    ]);
    await page.goto(`${stack.gatewayUrl}/admin/payments/${large.paymentId}`);
    expect(await page.locator(`#payment-disputes tr[data-dispute-id="${large.disputeId}"] .accept-dispute`).count()).toBe(0);
    expect(await page.textContent('#timeline')).toContain('Dispute acceptance sent to the acquirer');

    // A viewer sees the disputes, gets no forms, and a forged POST is refused and audited.
    const viewer = new AdminHttp(stack.gatewayUrl);
    await viewer.login('vera', PASSWORD);
    const detail = await viewer.get(`/admin/payments/${small.paymentId}`);
    expect(detail.body).toContain(small.disputeId);
    expect(detail.body).not.toContain('accept-dispute');
    const refused = await viewer.submit(`/admin/payments/${small.paymentId}`, `/admin/disputes/${small.disputeId}/accept/confirm`, {});
    expect(refused.status).toBe(403);
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ROLE_REFUSED' AND actor = 'admin:vera'`))[0].n).toBe(1);
  });
});
