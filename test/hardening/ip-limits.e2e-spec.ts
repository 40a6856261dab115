import { request } from 'undici';

import { s2sPay } from '../support/fixtures';
import { sample } from '../support/metrics';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Per-client-IP limits on the unauthenticated routes (issue: sign-in floods, notify spam): /antom/notify,
 * the admin sign-in with its TOTP step, the hosted card page. One address flooding a route is refused with
 * HTTP 429 in that route's own format and counted in gateway_ip_rate_limited_total; other addresses, other
 * groups and the merchant API (even from the flooding address) are served as before. The client IP is
 * TRUST_PROXY's: behind a trusted proxy X-Forwarded-For names it, otherwise the socket address does.
 */
const LIMIT = 5;

async function hit(base: string, method: 'GET' | 'POST', path: string, ip?: string, body = '{}', contentType = 'application/json') {
  const res = await request(base + path, {
    method,
    body: method === 'POST' ? body : undefined,
    headers: { ...(ip ? { 'x-forwarded-for': ip } : {}), ...(method === 'POST' ? { 'content-type': contentType } : {}) },
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    retryAfter: res.headers['retry-after'],
    text: await res.body.text(),
  };
}

describe('per-IP limits behind a trusted proxy (TRUST_PROXY=true)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      TRUST_PROXY: 'true',
      IP_RATE_LIMIT_NOTIFY: String(LIMIT),
      IP_RATE_LIMIT_ADMIN_LOGIN: String(LIMIT),
      IP_RATE_LIMIT_COLLECT: String(LIMIT),
      IP_RATE_LIMIT_MERCHANT_API: String(LIMIT),
      IP_RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const flood = async (method: 'GET' | 'POST', paths: string[], ip: string, contentType?: string) => {
    const out = [];
    for (let i = 0; i < LIMIT + 3; i++) out.push(await hit(stack.gatewayUrl, method, paths[i % paths.length], ip, '{}', contentType));
    return out;
  };

  it('/antom/notify: the flooding address gets 429 with an Antom JSON U (not the ack, so Antom resends); others are served', async () => {
    const answers = await flood('POST', ['/antom/notify'], '203.0.113.7');
    expect(answers.slice(0, LIMIT).map((a) => a.status)).toEqual(Array(LIMIT).fill(200));
    for (const a of answers.slice(LIMIT)) {
      expect(a).toMatchObject({ status: 429, type: expect.stringMatching(/^application\/json/), retryAfter: expect.stringMatching(/^\d+$/) });
      expect(JSON.parse(a.text)).toEqual({
        result: {
          resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT',
          resultStatus: 'U',
          resultMessage: expect.stringMatching(/^Too many notifications from this address; wait \d+ s\.$/),
        },
      });
    }
    // The route, not the spelling of the URL: a percent-encoded path reaches the same route and the same count.
    expect((await hit(stack.gatewayUrl, 'POST', '/antom/%6eotify', '203.0.113.7')).status).toBe(429);
    const other = await hit(stack.gatewayUrl, 'POST', '/antom/notify', '203.0.113.8');
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text).result.resultCode).toBe('INVALID_SIGNATURE');
  });

  it('admin sign-in and its TOTP step share one count per address, refused with a console page', async () => {
    const answers = await flood('POST', ['/admin/login', '/admin/login/totp'], '198.51.100.4', 'application/x-www-form-urlencoded');
    expect(answers.slice(0, LIMIT).every((a) => a.status !== 429)).toBe(true);
    for (const a of answers.slice(LIMIT)) {
      expect(a).toMatchObject({ status: 429, type: expect.stringMatching(/^text\/html/) });
      expect(a.text).toContain('Too many sign-in requests from your address. Nothing was checked: wait');
    }
    expect((await hit(stack.gatewayUrl, 'GET', '/admin/login', '198.51.100.4')).status).toBe(429);
    expect((await hit(stack.gatewayUrl, 'GET', '/admin/login', '198.51.100.5')).status).toBe(200);
    // Another group is counted apart: the same address still reaches /antom/notify.
    expect((await hit(stack.gatewayUrl, 'POST', '/antom/notify', '198.51.100.4')).status).toBe(200);
  });

  it('hosted card page: pages and assets as text, card submissions as the page script reads them (JSON result)', async () => {
    const answers = await flood('GET', ['/collect/cs_unknown', '/collect/assets/collect.js'], '192.0.2.9');
    expect(answers.slice(0, LIMIT).every((a) => a.status !== 429)).toBe(true);
    expect(answers[LIMIT]).toMatchObject({
      status: 429,
      type: expect.stringMatching(/^text\/plain/),
      text: expect.stringContaining('Too many requests from your address'),
    });
    const submit = await hit(stack.gatewayUrl, 'POST', '/collect/cs_unknown/card', '192.0.2.9');
    expect(submit.status).toBe(429);
    expect(JSON.parse(submit.text).result).toMatchObject({ resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'U' });
    expect((await hit(stack.gatewayUrl, 'GET', '/collect/assets/collect.css', '192.0.2.10')).status).toBe(200);
  });

  /*
   * Issue 23: 4,000 unsigned merchant API requests from one client, each answered with an RSA-signed error, slowed
   * every pay. Requests that fail authentication are now counted per address; past the limit the address is refused
   * before anything is verified or signed. Signed requests never spend the budget.
   */
  it('merchant API: past its budget of unauthenticated requests an address is refused before any signature work; signed traffic never counts', async () => {
    const unsigned = (ip: string, path = '/ams/api/v1/payments/pay') =>
      request(stack.gatewayUrl + path, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' } }).then(
        async (r) => ({
          status: r.statusCode,
          signature: r.headers.signature,
          retryAfter: r.headers['retry-after'],
          body: (await r.body.json()) as { result: Record<string, string> },
        }),
      );
    const inquiry = (ip: string) =>
      stack.merchant.post('payments/inquiryPayment', { paymentRequestId: `PAY_${ip}` }, { headers: { 'x-forwarded-for': ip } });
    const before =
      sample(await (await request(`${stack.adminUrl}/metrics`)).body.text(), 'gateway_ip_rate_limited_total', { route: 'merchant_api' }) ?? 0;

    // A merchant's own signed traffic, well past the number: answered, signed, and not counted.
    for (let i = 0; i < LIMIT * 2; i++) expect(await inquiry('198.51.100.77')).toMatchObject({ status: 200, signatureValid: true });
    // Unsigned requests (an unknown API among them): refused with a signed Antom answer while under the budget...
    const spending = [];
    for (let i = 0; i < LIMIT; i++) spending.push(await unsigned('198.51.100.77', i === 0 ? '/ams/api/v1/payments/noSuchApi' : undefined));
    for (const a of spending) expect(a).toMatchObject({ status: 200, signature: expect.stringContaining('signature=') });
    expect(spending.map((a) => a.body.result.resultCode)).toEqual(['NO_INTERFACE_DEF', ...Array(LIMIT - 1).fill('INVALID_CLIENT')]);

    // ...then HTTP 429, unsigned, Antom JSON U: for the junk, for a %-spelling of the path, and for a correctly signed request alike.
    for (const path of ['/ams/api/v1/payments/pay', '/ams/api/v1/payments/%70ay', '/v1/payments/inquiryPayment']) {
      const refused = await unsigned('198.51.100.77', path);
      expect(refused).toMatchObject({ status: 429, signature: undefined, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(refused.body).toEqual({
        result: {
          resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT',
          resultStatus: 'U',
          resultMessage: expect.stringMatching(
            /^Too many requests without a valid signature from your address; nothing was checked: wait \d+ s, then retry with the same request id\.$/,
          ),
        },
      });
    }
    const signedButBlocked = await inquiry('198.51.100.77');
    expect(signedButBlocked).toMatchObject({
      status: 429,
      signatureValid: false,
      body: { result: { resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT', resultStatus: 'U' } },
    });

    // Another address is served as before, its refusals still signed.
    expect(await unsigned('198.51.100.78')).toMatchObject({
      status: 200,
      signature: expect.stringContaining('signature='),
      body: { result: { resultCode: 'INVALID_CLIENT' } },
    });
    expect(await inquiry('198.51.100.78')).toMatchObject({ status: 200, signatureValid: true });
    const after = sample(await (await request(`${stack.adminUrl}/metrics`)).body.text(), 'gateway_ip_rate_limited_total', { route: 'merchant_api' });
    expect(after! - before).toBe(4);
  });

  it('counts every refusal by route group, and leaves the merchant API alone', async () => {
    const metrics = await (await request(`${stack.adminUrl}/metrics`)).body.text();
    expect(sample(metrics, 'gateway_ip_rate_limited_total', { route: 'antom_notify' })).toBe(4);
    expect(sample(metrics, 'gateway_ip_rate_limited_total', { route: 'admin_login' })).toBe(4);
    expect(sample(metrics, 'gateway_ip_rate_limited_total', { route: 'collect_page' })).toBe(4);
    const pays = await Promise.all(Array.from({ length: LIMIT + 3 }, () => stack.merchant.post('payments/pay', s2sPay())));
    expect(pays.map((p) => p.body.result.resultStatus)).toEqual(Array(LIMIT + 3).fill('S'));
  });
});

describe('per-IP limits without a trusted proxy (TRUST_PROXY=false, the default)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ IP_RATE_LIMIT_NOTIFY: '3' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts the socket address: a forged X-Forwarded-For does not escape the limit; merchant pays from that address go through', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await hit(stack.gatewayUrl, 'POST', '/antom/notify', `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const pay = await stack.merchant.post('payments/pay', s2sPay());
    expect(pay.body.result.resultStatus).toBe('S');
  });
});
