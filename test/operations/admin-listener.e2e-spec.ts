import { randomBytes } from 'node:crypto';

import { csrfOf } from '../admin/admin-support';
import { s2sPay } from '../support/fixtures';
import { sample } from '../support/metrics';
import { startTestStack, TestStack } from '../support/stack';

/** Made at run time: no credential-looking literal in a tracked file (the secret scan). */
const TOKEN = randomBytes(24).toString('base64url');

/** ADMIN_PORT: the console and /metrics on their own listener, /metrics behind a bearer token; TRUST_PROXY. */
describe('operations: a separate admin listener', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ADMIN_PORT: '0', METRICS_TOKEN: TOKEN, TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves /admin and /metrics only on ADMIN_PORT: on the merchant port they do not exist', async () => {
    expect(stack.adminUrl).not.toBe(stack.gatewayUrl);
    for (const p of ['/admin', '/admin/login', '/admin/assets/admin.css', '/metrics']) {
      const res = await fetch(stack.gatewayUrl + p, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
      expect([p, res.status]).toEqual([p, 404]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff'); // helmet still applies
    }
    expect((await fetch(`${stack.adminUrl}/admin/login`)).status).toBe(200);
    expect((await fetch(`${stack.gatewayUrl}/health`)).status).toBe(200);
    expect((await fetch(`${stack.adminUrl}/health`)).status).toBe(200);
  });

  it('serves the merchant API only on the merchant port', async () => {
    expect((await stack.merchant.post('payments/pay', s2sPay())).body.result.resultStatus).toBe('S');
    const onAdmin = await fetch(`${stack.adminUrl}/ams/api/v1/payments/pay`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(onAdmin.status).toBe(404);
    expect(onAdmin.headers.get('signature')).toBeNull();
  });

  it('answers /metrics only with the bearer token', async () => {
    expect((await fetch(`${stack.adminUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.adminUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${stack.adminUrl}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    const res = await fetch(`${stack.adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(
      sample(text, 'gateway_merchant_requests_total', { api: 'payments/pay', result_status: 'S', result_code: 'SUCCESS' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('takes the client IP from X-Forwarded-For with TRUST_PROXY=true (the admin audit records it)', async () => {
    const signIn = async (username: string, forwardedFor?: string) => {
      const xff: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
      const page = await fetch(`${stack.adminUrl}/admin/login`, { headers: xff });
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const body = new URLSearchParams({ _csrf: csrfOf(await page.text()), username, password: 'x' }).toString();
      const res = await fetch(`${stack.adminUrl}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        body,
        headers: { ...xff, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.headers.get('location')).toBe('/admin/login?failed=1');
      return (await stack.db.query(`SELECT ip FROM audit_log WHERE actor = $1`, [`admin:${username}`]))[0]?.ip;
    };
    expect(await signIn('proxied-nobody', '203.0.113.9')).toBe('203.0.113.9');
    expect(await signIn('direct-nobody')).toBe('127.0.0.1');
  });
});
