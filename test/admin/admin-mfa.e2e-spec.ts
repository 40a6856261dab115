import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Secret, TOTP } from 'otpauth';
import { Browser, Page } from 'playwright-core';
import * as QRCode from 'qrcode';

import { AdminUsersRepository } from '../../src/admin/auth/admin-users.repository';
import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { totpUri } from '../../src/admin/auth/totp';
import { ARTIFACTS } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { addUser, AdminHttp, createScratchDatabase, fillSignIn, openConsoleBrowser } from './admin-support';

jest.setTimeout(120_000);

// As in admin-console.e2e-spec.ts: docs/screenshots only when UPDATE_SCREENSHOTS=1.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.join(ARTIFACTS, 'screenshots');

/** A code of the secret for the time step `ahead` steps from now (the console accepts ±1 step, each step once). */
const codeOf = (secret: string, ahead = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + ahead * 30_000 });
const wrongCodeOf = (secret: string) => (codeOf(secret) === '000000' ? '111111' : '000000');

/**
 * PCI DSS 8.4.2 in a real Chromium: with ADMIN_REQUIRE_MFA on, a person without TOTP is sent to enrolment
 * after the password and reaches nothing else; the QR code loads under the console's CSP; a wrong first code
 * keeps the pending key; a right one turns TOTP on and shows ten recovery codes once, stored hashed, each
 * accepted once at sign-in and counted by the lockout.
 */
describe('admin MFA enrolment in Chromium', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let browser: Browser;
  let page: Page;
  let users: AdminUsersService;
  const cspErrors: string[] = [];
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // Far more sign-ins from 127.0.0.1 than one person makes: the per-IP limit (its own suite, ip-limits) is off here.
    stack = await startTestStack({ DATABASE_URL: scratch.url, IP_RATE_LIMIT_ADMIN_LOGIN: '0', ADMIN_REQUIRE_MFA: 'true' });
    users = stack.app.get(AdminUsersService);
    ({ browser, page } = await openConsoleBrowser({ width: 1200 }));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  const user = (username: string) => addUser(users, username, 'operator', PASSWORD);

  async function signIn(username: string) {
    await fillSignIn(page, stack.gatewayUrl, username, PASSWORD);
  }

  const row = async (username: string) =>
    (
      await stack.db.query(
        `SELECT totp_secret, failed_attempts, (SELECT count(*)::int FROM admin_recovery_code c WHERE c.user_id = u.id AND used_at IS NULL) AS codes
     FROM admin_user u WHERE username = $1`,
        [username],
      )
    )[0];

  it('sends a person without TOTP to enrolment after the password, and lets them do nothing else', async () => {
    await user('mila');
    await signIn('mila');
    expect(new URL(page.url()).pathname).toBe('/admin/account');
    expect(await page.textContent('main')).toContain('This gateway requires two-factor sign-in');
    for (const p of ['/admin/payments', '/admin/audit', '/admin/approvals']) {
      await page.goto(`${stack.gatewayUrl}${p}`);
      expect([p, new URL(page.url()).pathname]).toEqual([p, '/admin/account']);
    }
    // Outside the browser too: a POST with a valid session and CSRF token is refused and audited.
    const http = new AdminHttp(stack.gatewayUrl);
    expect((await http.login('mila', PASSWORD)).location).toBe('/admin/account#totp');
    const refused = await http.submit('/admin/account', '/admin/payments/00000000-0000-0000-0000-000000000000/capture/confirm', { amount: '1.00' });
    expect(refused.location).toBe('/admin/account');
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor = 'admin:mila' AND action = 'MFA_REQUIRED' AND outcome = 'DENIED'`,
    );
    expect(n).toBe(1);
  });

  it('shows a QR code the CSP allows and the key as text; a wrong first code keeps the key pending', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/account`);
    await page.click('#totp button[type=submit]');
    const qr = page.locator('#totp-qr');
    await qr.waitFor();
    await page.waitForFunction("document.getElementById('totp-qr').complete");
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0); // loaded, not blocked
    secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The image is the QR code of the otpauth:// URI of exactly that key.
    // (Fetched with the browser's cookies; the page itself may not fetch: connect-src falls back to 'none'.)
    const answer = await page.context().request.get(`${stack.gatewayUrl}/admin/account/totp/qr.svg`);
    expect(answer.headers()['content-type']).toContain('image/svg+xml');
    expect(answer.headers()['cache-control']).toBe('no-store');
    const svg = await answer.text();
    expect(svg).toBe(await QRCode.toString(totpUri(secret, 'mila'), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    expect(svg).not.toContain('<script');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-mfa-enrol.png'), fullPage: true });

    await page.fill('input[name=code]', wrongCodeOf(secret));
    await page.click('#totp button[type=submit]');
    expect(await page.textContent('main')).toContain('That code did not match. The key stays the same');
    expect((await page.textContent('#totp-secret'))!.replace(/\s/g, '')).toBe(secret);
    await page.reload();
    expect((await page.textContent('#totp-secret'))!.replace(/\s/g, '')).toBe(secret);
    expect((await row('mila')).totp_secret).toBeNull(); // not on the account before a right code
    expect(new URL((await page.goto(`${stack.gatewayUrl}/admin/payments`))!.url()).pathname).toBe('/admin/account');
    expect(cspErrors).toEqual([]);
  });

  it('turns TOTP on with a right code and shows ten recovery codes once, stored only as hashes', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/account`);
    await page.fill('input[name=code]', codeOf(secret));
    await page.click('#totp button[type=submit]');
    expect(await page.textContent('main')).toContain('Two-factor sign-in is on.');
    recoveryCodes = await page.locator('#recovery-codes li').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    // PCI DSS 8.3.2: stored sealed in the vault's envelope scheme, never in clear; the account opens it.
    expect(await row('mila')).toMatchObject({ totp_secret: expect.stringMatching(/^vault:v1:\d+:/), codes: 10 });
    expect((await row('mila')).totp_secret).not.toContain(secret);
    expect((await stack.app.get(AdminUsersRepository).findByUsername('mila'))!.totpSecret).toBe(secret);
    const stored = (await stack.db.query(`SELECT code_hash FROM admin_recovery_code`)).map((r: { code_hash: string }) => r.code_hash);
    for (const c of recoveryCodes) for (const h of stored) expect(h).not.toContain(c.replace(/-/g, ''));
    const [{ pending }] = await stack.db.query(`SELECT count(*)::int AS pending FROM admin_session WHERE totp_pending IS NOT NULL`);
    expect(pending).toBe(0);
    // Shown once: the page again says how many are left, not what they are.
    await page.goto(`${stack.gatewayUrl}/admin/account`);
    expect(await page.locator('#recovery-codes').count()).toBe(0);
    expect(await page.textContent('#recovery-left')).toBe('10');
    expect(await page.textContent('#totp')).toContain('cannot be turned off');
    await page.goto(`${stack.gatewayUrl}/admin/payments`);
    expect(new URL(page.url()).pathname).toBe('/admin/payments');
    const audit = await stack.db.query(`SELECT outcome, detail FROM audit_log WHERE action = 'ENABLE_TOTP' ORDER BY id`);
    expect(audit.map((r: { outcome: string }) => r.outcome)).toEqual(['FAILURE', 'SUCCESS']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('accepts each recovery code once at sign-in, counts wrong ones toward the lockout, and never lets TOTP be turned off', async () => {
    await signIn('mila');
    expect(new URL(page.url()).pathname).toBe('/admin/login/totp');
    await page.fill('input[name=code]', 'ABCD-EFGH-JKLM-NPQR');
    await page.click('button[type=submit]');
    expect(page.url()).toContain('/admin/login/totp?failed=1');
    expect((await row('mila')).failed_attempts).toBe(1);
    await page.fill('input[name=code]', recoveryCodes[3].toLowerCase());
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/admin/payments');
    expect(await row('mila')).toMatchObject({ failed_attempts: 0, codes: 9 });
    const [entry] = await stack.db.query(`SELECT detail FROM audit_log WHERE action = 'LOGIN_TOTP' AND outcome = 'SUCCESS' ORDER BY id DESC LIMIT 1`);
    expect(entry.detail).toMatchObject({ method: 'recovery code', recoveryCodesLeft: 9 });
    expect(JSON.stringify(await stack.db.query('SELECT detail FROM audit_log'))).not.toContain(recoveryCodes[3]);

    // The same code a second time: refused.
    await signIn('mila');
    await page.fill('input[name=code]', recoveryCodes[3]);
    await page.click('button[type=submit]');
    expect(page.url()).toContain('/admin/login/totp?failed=1');
    // A code from the app (the next time step: the enrolment code's step is used up) still works.
    await page.fill('input[name=code]', codeOf(secret, 1));
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/admin/payments');

    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('mila', PASSWORD);
    expect((await http.submit('/admin/login/totp', '/admin/login/totp', { code: recoveryCodes[5] })).location).toBe('/admin/payments');
    const off = await http.submit('/admin/account', '/admin/account/totp/disable', { code: codeOf(secret, 1) });
    expect(off.status).toBe(403);
    expect((await stack.app.get(AdminUsersRepository).findByUsername('mila'))!.totpSecret).toBe(secret);
  });

  it('seals a TOTP seed stored in clear before (the data migration at start-up), and a sealed seed copied to another account does not open', async () => {
    const repo = stack.app.get(AdminUsersRepository);
    await user('legacy-totp');
    await user('thief');
    const seed = new Secret({ size: 20 }).base32;
    await stack.db.query(`UPDATE admin_user SET totp_secret = $2 WHERE username = $1`, ['legacy-totp', seed]);
    await repo.onApplicationBootstrap();
    const sealed = (await row('legacy-totp')).totp_secret as string;
    expect(sealed).toMatch(/^vault:v1:/);
    expect(sealed).not.toContain(seed);
    expect((await repo.findByUsername('legacy-totp'))!.totpSecret).toBe(seed);
    await repo.onApplicationBootstrap(); // idempotent: a sealed seed is left as it is
    expect((await row('legacy-totp')).totp_secret).toBe(sealed);
    await stack.db.query(`UPDATE admin_user SET totp_secret = $2 WHERE username = $1`, ['thief', sealed]);
    await expect(repo.findByUsername('thief')).rejects.toThrow();
    await stack.db.query(`UPDATE admin_user SET totp_secret = NULL WHERE username = 'thief'`);
  });

  it('makes a new set of recovery codes for the current code; the old set stops working', async () => {
    await page.goto(`${stack.gatewayUrl}/admin/account`);
    // The code of the last step used to sign in: refused as a replay (or, a step later, as too old).
    const [{ step }] = await stack.db.query(`SELECT totp_last_step::text AS step FROM admin_user WHERE username = 'mila'`);
    await page.fill('#totp input[name=code]', new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Number(step) * 30_000 }));
    await page.click('#totp button[type=submit]');
    expect(await page.textContent('main')).toContain('That code did not match.');
    await stack.db.query(`UPDATE admin_user SET totp_last_step = NULL WHERE username = 'mila'`);
    await page.fill('#totp input[name=code]', codeOf(secret));
    await page.click('#totp button[type=submit]');
    const fresh = await page.locator('#recovery-codes li').allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    expect((await row('mila')).codes).toBe(10);
    const http = new AdminHttp(stack.gatewayUrl);
    await http.login('mila', PASSWORD);
    expect((await http.submit('/admin/login/totp', '/admin/login/totp', { code: recoveryCodes[0] })).location).toBe('/admin/login/totp?failed=1');
    expect((await http.submit('/admin/login/totp', '/admin/login/totp', { code: fresh[0] })).location).toBe('/admin/payments');
  });

  it('after a one-time password, the forced change comes first and then enrolment; an admin can reset a lost second factor', async () => {
    const created = (await users.create('nina', 'Nina', 'viewer'))!;
    const nina = new AdminHttp(stack.gatewayUrl);
    const next = 'Pw1-' + randomBytes(12).toString('base64url');
    await nina.firstLogin('nina', created.password, next);
    expect((await nina.get('/admin/payments')).location).toBe('/admin/account');
    expect((await nina.get('/admin/account')).body).toContain('This gateway requires two-factor sign-in');

    // An admin (enrolled, as everyone here must be) resets mila's second factor: her sessions end, she enrols again.
    const ines = await user('ines');
    await users.update(ines.id, { role: 'admin' });
    const adminSecret = new Secret({ size: 20 }).base32;
    await users.setTotpSecret(ines.id, adminSecret);
    const admin = new AdminHttp(stack.gatewayUrl);
    expect((await admin.login('ines', PASSWORD)).location).toBe('/admin/login/totp');
    expect((await admin.submit('/admin/login/totp', '/admin/login/totp', { code: codeOf(adminSecret) })).location).toBe('/admin/payments');
    const mila = (await users.findByUsername('mila'))!;
    const milaHttp = new AdminHttp(stack.gatewayUrl);
    await milaHttp.login('mila', PASSWORD);
    expect((await milaHttp.submit('/admin/login/totp', '/admin/login/totp', { code: recoveryCodes[7] })).location).toBe('/admin/login/totp?failed=1'); // the old set was replaced
    const reset = await admin.follow(await admin.submit('/admin/users', `/admin/users/${mila.id}`, { op: 'reset-2fa' }));
    expect(reset.body).toContain('mila: two-factor sign-in reset');
    expect(await row('mila')).toMatchObject({ totp_secret: null, codes: 0 });
    expect((await milaHttp.get('/admin/payments')).location).toBe('/admin/login'); // her session ended
    const again = new AdminHttp(stack.gatewayUrl);
    expect((await again.login('mila', PASSWORD)).location).toBe('/admin/account#totp');
  });
});
