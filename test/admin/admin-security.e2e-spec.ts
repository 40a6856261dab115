import { randomBytes } from 'node:crypto';

import { Secret, TOTP } from 'otpauth';
import { Client } from 'pg';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { runAuditVerify } from '../../src/audit/audit-verify-cli';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';
import { addUser, AdminHttp, createScratchDatabase, csrfOf, signedInHttp } from './admin-support';

jest.setTimeout(120_000);

/** The console's defences over plain HTTP: lockout, CSRF, idle timeout, headers, TOTP, and the audit chain. */
describe('admin console security', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let users: AdminUsersService;
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // Far more sign-ins from 127.0.0.1 than one person makes: the per-IP limit (its own suite, ip-limits) is off here.
    stack = await startTestStack({ DATABASE_URL: scratch.url, IP_RATE_LIMIT_ADMIN_LOGIN: '0' });
    users = stack.app.get(AdminUsersService);
  });

  afterAll(async () => {
    await stack?.stop();
    await scratch?.drop();
  });

  const user = (username: string, role: 'viewer' | 'operator' | 'admin') => addUser(users, username, role, PASSWORD);

  const signedIn = (username: string) => signedInHttp(stack.gatewayUrl, username, PASSWORD);

  it('serves pages under a strict CSP with HttpOnly, SameSite=Strict session cookies kept in the database', async () => {
    await user('hana', 'viewer');
    const http = new AdminHttp(stack.gatewayUrl);
    const login = await http.get('/admin/login');
    const csp = login.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(login.headers.get('x-frame-options')).toBe('SAMEORIGIN'); // helmet's, kept
    const res = await http.post('/admin/login', { _csrf: csrfOf(login.body), username: 'hana', password: PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gw_admin='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM admin_session s JOIN admin_user u ON u.id = s.user_id WHERE u.username = 'hana'`,
    );
    expect(n).toBe(1);
    const token = http.cookie('gw_admin')!;
    const raw = await stack.db.query('SELECT 1 FROM admin_session WHERE id_hash = $1', [token]);
    expect(raw).toHaveLength(0); // only the hash is stored
    expect((await http.get('/admin/assets/admin.css')).status).toBe(200);
  });

  it('locks an account after 10 failed sign-ins for 30 minutes, even for the right password', async () => {
    await user('lena', 'operator');
    const http = new AdminHttp(stack.gatewayUrl);
    for (let i = 0; i < 10; i++) expect((await http.login('lena', `wrong-password-${i}`)).location).toBe('/admin/login?failed=1');
    const right = await http.login('lena', PASSWORD);
    expect(right.location).toBe('/admin/login?failed=1');
    const [row] = await stack.db.query(
      `SELECT failed_attempts, extract(epoch FROM locked_until - now()) AS secs FROM admin_user WHERE username = 'lena'`,
    );
    expect(row.failed_attempts).toBe(10);
    expect(Number(row.secs)).toBeGreaterThan(29 * 60);
    expect(Number(row.secs)).toBeLessThanOrEqual(30 * 60);
    const audit = await stack.db.query(
      `SELECT outcome, detail->>'reason' AS reason FROM audit_log WHERE action = 'LOGIN' AND target = 'lena' ORDER BY id`,
    );
    expect(audit).toHaveLength(11);
    expect(audit[10]).toEqual({ outcome: 'DENIED', reason: 'account locked' });
    // Once the lock has run out, the right password works again.
    await stack.db.query(`UPDATE admin_user SET locked_until = now() - interval '1 second' WHERE username = 'lena'`);
    await users.recordSuccess((await users.findByUsername('lena'))!.id);
    expect((await http.login('lena', PASSWORD)).location).toBe('/admin/payments');
  });

  it('refuses a form without its CSRF token (or from another site) and moves no money', async () => {
    await user('omar', 'operator');
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '5000' }));
    const paymentId = pay.body.paymentId;
    const http = await signedIn('omar');
    const fields = { amountMinor: '1000', currency: 'EUR', requestId: `adm_cap_${'c'.repeat(32)}` };
    const missing = await http.post(`/admin/payments/${paymentId}/capture`, fields);
    expect(missing.status).toBe(403);
    const wrong = await http.post(`/admin/payments/${paymentId}/capture`, { ...fields, _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const [{ captured }] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]);
    expect(captured).toBe('0');
    const audit = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'admin:omar' AND action = 'CSRF_REJECTED'`);
    expect(audit[0].n).toBe(2);
    // The login form has its own (double-submit) token.
    const bare = await new AdminHttp(stack.gatewayUrl).post('/admin/login', { username: 'omar', password: PASSWORD });
    expect(bare.status).toBe(403);
    // The same capture with the token goes through, and a double submit does not capture twice.
    const ok = await http.follow(await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture`, fields));
    expect(ok.body).toContain('succeeded');
    const again = await http.follow(await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture`, fields));
    expect(again.body).toContain('succeeded');
    const [{ captured: after }] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]);
    expect(after).toBe('1000');
  });

  it('answers a money action with a redirect to a result page that only the actor sees and that repeats nothing', async () => {
    await user('pia', 'operator');
    await user('quin', 'operator');
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '3000' }));
    const paymentId = pay.body.paymentId;
    const pia = await signedIn('pia');
    const posted = await pia.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture`, {
      amountMinor: '1000',
      currency: 'EUR',
      requestId: `adm_cap_${'e'.repeat(32)}`,
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(new RegExp(`^/admin/payments/${paymentId}/results/\\d+$`));
    const entries = async () => (await stack.db.query('SELECT count(*)::int AS n FROM audit_log WHERE target = $1', [paymentId]))[0].n;
    const before = await entries();
    for (let i = 0; i < 2; i++) expect((await pia.get(posted.location!)).body).toContain('Capture of EUR 10.00 succeeded');
    expect(await entries()).toBe(before);
    expect((await (await signedIn('quin')).get(posted.location!)).status).toBe(404);
    const [{ captured }] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]);
    expect(captured).toBe('1000');
    // A four-eyes confirmation sent twice (back button, double click) is one request and one audit entry.
    const big = (await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '150000' }))).body.paymentId;
    const request = { amountMinor: '110000', currency: 'EUR', requestId: `adm_cap_${'f'.repeat(32)}` };
    const first = await pia.submit(`/admin/payments/${big}`, `/admin/payments/${big}/capture`, request);
    const second = await pia.submit(`/admin/payments/${big}`, `/admin/payments/${big}/capture`, request);
    expect(second.location).toBe(first.location);
    expect((await pia.follow(second)).body).toContain("needs a second operator's approval");
    const actions = await stack.db.query('SELECT action FROM audit_log WHERE target = $1', [big]);
    expect(actions).toEqual([{ action: 'REQUEST_CAPTURE' }]);
    const icon = await pia.get('/favicon.ico');
    expect([200, 204]).toContain(icon.status);
  });

  it('ends a session after 15 idle minutes', async () => {
    await user('ivan', 'viewer');
    const http = await signedIn('ivan');
    expect((await http.get('/admin/payments')).status).toBe(200);
    await stack.db.query(
      `UPDATE admin_session SET last_seen_at = now() - interval '16 minutes' WHERE user_id = (SELECT id FROM admin_user WHERE username = 'ivan')`,
    );
    const res = await http.get('/admin/payments');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/login');
  });

  it('asks for a TOTP code when the second factor is on, and accepts each code once', async () => {
    const u = await user('tara', 'operator');
    const secret = new Secret({ size: 20 }).base32;
    await users.setTotpSecret(u.id, secret);
    const http = new AdminHttp(stack.gatewayUrl);
    expect((await http.login('tara', PASSWORD)).location).toBe('/admin/login/totp');
    expect((await http.get('/admin/payments')).location).toBe('/admin/login/totp');
    const bad = await http.submit('/admin/login/totp', '/admin/login/totp', {
      code: '000000' === new TOTP({ secret: Secret.fromBase32(secret) }).generate() ? '111111' : '000000',
    });
    expect(bad.location).toBe('/admin/login/totp?failed=1');
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    expect((await http.submit('/admin/login/totp', '/admin/login/totp', { code })).location).toBe('/admin/payments');
    expect((await http.get('/admin/payments')).status).toBe(200);
    // The same code cannot be replayed for a second sign-in.
    const other = new AdminHttp(stack.gatewayUrl);
    await other.login('tara', PASSWORD);
    expect((await other.submit('/admin/login/totp', '/admin/login/totp', { code })).location).toBe('/admin/login/totp?failed=1');
  });

  it('filters the payments list by masked card, brand, merchant, amount and status, and refuses a full card number', async () => {
    await user('fred', 'viewer');
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '4321' }));
    const paymentId = pay.body.paymentId;
    const http = await signedIn('fred');
    const list = async (q: Record<string, string>) => (await http.get(`/admin/payments?${new URLSearchParams(q)}`)).body;
    const hit = {
      merchant: stack.merchant.clientId,
      status: 'AUTHORIZED',
      card: '411734******6383',
      brand: 'VISA',
      currency: 'EUR',
      amountMin: '43.21',
      amountMax: '43.21',
    };
    expect(await list(hit)).toContain(paymentId);
    for (const miss of [{ card: '5555' }, { brand: 'MASTERCARD' }, { amountMin: '43.22' }, { status: 'CAPTURED' }, { merchant: 'SANDBOX_NOBODY' }]) {
      expect(await list({ ...hit, ...miss })).not.toContain(paymentId);
    }
    const refused = await list({ card: '4117347806156383' });
    expect(refused).toContain('A card number was typed into a filter');
    expect(refused).not.toContain('4117347806156383');
  });

  it('refuses a limit too large to store (a major-unit amount past bigint) with a 400, not a 500', async () => {
    await user('rita', 'admin');
    const admin = await signedIn('rita');
    const huge = await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'BHD', maxAmount: '999999999999999999' });
    expect(huge.status).toBe(400);
  });

  it('holds operators to the per-role limit an admin sets, and ends the sessions of a disabled user', async () => {
    await user('root', 'admin');
    const op = await user('olga', 'operator');
    const admin = await signedIn('root');
    const set = await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'EUR', maxAmount: '50.00' });
    expect(set.body).toContain('Limit for operator in EUR set.');
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '9000' }));
    const paymentId = pay.body.paymentId;
    const olga = await signedIn('olga');
    const confirm = await olga.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/capture/confirm`, { amount: '60.00' });
    const fields = Object.fromEntries([...confirm.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    const refused = await olga.post(`/admin/payments/${paymentId}/capture`, fields);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('above your role&#39;s limit of EUR 50.00');
    const [{ captured }] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]);
    expect(captured).toBe('0');
    const removed = await admin.submit('/admin/users', '/admin/limits', { role: 'operator', currency: 'EUR', remove: '1' });
    expect(removed.body).toContain('Limit for operator in EUR removed.');

    const disable = await admin.follow(await admin.submit('/admin/users', `/admin/users/${op.id}`, { op: 'disable' }));
    expect(disable.body).toContain('olga: disabled');
    expect((await olga.get('/admin/payments')).location).toBe('/admin/login');
    expect((await new AdminHttp(stack.gatewayUrl).login('olga', PASSWORD)).location).toBe('/admin/login?failed=1');
    const audit = await stack.db.query(`SELECT action, outcome FROM audit_log WHERE actor = 'admin:root' ORDER BY id`);
    expect(audit.map((r: Record<string, string>) => `${r.action} ${r.outcome}`)).toEqual([
      'LOGIN SUCCESS',
      'SET_LIMIT SUCCESS',
      'REMOVE_LIMIT SUCCESS',
      'CHANGE_USER SUCCESS',
    ]);
  });

  it('retries a merchant notification on request, sending it again at once', async () => {
    await user('nora', 'operator');
    const receiver = await startReceiver((_r, n) => (n === 1 ? { status: 500, body: 'down' } : ack()));
    try {
      const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '1200', notifyUrl: `${receiver.url}/hook` }));
      const paymentId = pay.body.paymentId;
      const notification = await waitFor(
        async () =>
          (
            await stack.db.query(
              `SELECT n.id FROM merchant_notification n JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.attempts = 1 AND n.status = 'PENDING' AND EXISTS (SELECT 1 FROM notification_attempt a WHERE a.notification_id = n.id)`,
              [paymentId],
            )
          )[0],
      );
      const http = await signedIn('nora');
      const detail = await http.get(`/admin/payments/${paymentId}`);
      expect(detail.body).toContain('Retry now');
      const retry = await http.submit(`/admin/payments/${paymentId}`, `/admin/payments/${paymentId}/notifications/${notification.id}/retry`, {});
      expect(retry.status).toBe(303);
      // The schedule's next attempt was two minutes away; the retry sends it now.
      await waitFor(async () => receiver.received.length >= 2, 10_000);
      await waitFor(
        async () => (await stack.db.query(`SELECT 1 FROM merchant_notification WHERE id = $1 AND status = 'DELIVERED'`, [notification.id]))[0],
      );
      const after = await http.get(`/admin/payments/${paymentId}`);
      expect(after.body).toContain('DELIVERED');
      expect(after.body).toContain('RETRY_NOTIFICATION');
    } finally {
      await receiver.close();
    }
  });

  it('keeps the audit log append-only, and audit:verify names the first tampered entry', async () => {
    await user('ada', 'admin');
    const ada = await signedIn('ada');
    await ada.get('/admin/audit');
    // The same data directory as the gateway: its audit key (dev default) and checkpoint file live there.
    const env = { DATABASE_URL: scratch.url, GATEWAY_DATA_DIR: stack.app.get(GatewayConfig).dataDir };
    const lines: string[] = [];
    const first = await runAuditVerify(env, (l) => lines.push(l));
    expect(lines).toEqual([
      expect.stringMatching(/audit chain intact: (\d+) entries verified \(\1 keyed under audit key [0-9a-f]{16}, 0 unkeyed before the marker\)/),
    ]);
    expect(first).toBe(0);
    // Reading the audit log was itself recorded (10.2.1.3).
    expect((await stack.db.query(`SELECT actor FROM audit_log WHERE action = 'VIEW_AUDIT'`)).map((r: { actor: string }) => r.actor)).toEqual([
      'admin:ada',
    ]);

    await expect(stack.db.query(`UPDATE audit_log SET outcome = 'SUCCESS' WHERE id = 3`)).rejects.toThrow(/append-only/);
    await expect(stack.db.query(`DELETE FROM audit_log WHERE id = 3`)).rejects.toThrow(/append-only/);

    // A superuser bypassing the trigger is still caught by the chain.
    const db = new Client({ connectionString: scratch.url });
    await db.connect();
    const [original] = (await db.query('SELECT outcome FROM audit_log WHERE id = 3')).rows;
    const tamper = async (outcome: string) => {
      await db.query('BEGIN');
      await db.query(`SET LOCAL session_replication_role = replica`);
      await db.query('UPDATE audit_log SET outcome = $1 WHERE id = 3', [outcome]);
      await db.query('COMMIT');
    };
    try {
      await tamper(original.outcome === 'SUCCESS' ? 'FAILURE' : 'SUCCESS');
      lines.length = 0;
      expect(await runAuditVerify(env, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toContain('BROKEN at entry 3');
      const page = await ada.get('/admin/audit?verify=1');
      expect(page.body).toContain('Hash chain BROKEN at entry 3');
      await tamper(original.outcome);
      lines.length = 0;
      expect(await runAuditVerify(env, (l) => lines.push(l))).toBe(0);
    } finally {
      await db.end();
    }
  });
});
