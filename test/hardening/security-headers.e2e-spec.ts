import { startTestStack, TestStack } from '../support/stack';

/**
 * Security headers on every kind of answer (src/platform/http/security-headers.ts): helmet's full set wherever a
 * browser may render the answer (health, a console page, 404s, metrics); the signed JSON APIs (merchant API,
 * the acquirer's notifications) carry the four that mean something for JSON, and none of the HTML-only ones.
 */
describe('security headers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Headers = Record<string, string | string[] | undefined>;
  const pages: [string, () => Promise<Headers>][] = [
    ['GET /health', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/health`)).headers)],
    ['a plain 404', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/no/such/page`)).headers)],
    ['GET /metrics', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/metrics`)).headers)],
    ['the console login page', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/admin/login`)).headers)],
  ];
  const apis: [string, () => Promise<Headers>][] = [
    ['a signed API answer', async () => (await stack.merchant.post('payments/inquiryPayment', { paymentId: 'gwp_none' })).headers],
    ['an unknown API path (NO_INTERFACE_DEF)', async () => (await stack.merchant.post('payments/nope', {})).headers],
    [
      'the acquirer notification endpoint',
      async () =>
        Object.fromEntries(
          (await fetch(`${stack.gatewayUrl}/antom/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).headers,
        ),
    ],
  ];
  /** Meaningful only where a browser renders the answer as a page. */
  const HTML_ONLY = [
    'referrer-policy',
    'cross-origin-opener-policy',
    'cross-origin-resource-policy',
    'origin-agent-cluster',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'x-xss-protection',
  ];

  function expectTransportAndFraming(h: Headers): void {
    expect(h['strict-transport-security']).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(String(h['strict-transport-security']))?.[1])).toBeGreaterThanOrEqual(31536000);
    expect(h['strict-transport-security']).toMatch(/includeSubDomains/);
    const csp = String(h['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(h['x-powered-by']).toBeUndefined();
    expect(h['server']).toBeUndefined();
  }

  it.each(pages)('%s carries HSTS, CSP, nosniff, frame and referrer policies and the other page headers, and no X-Powered-By', async (_name, get) => {
    const h = await get();
    expectTransportAndFraming(h);
    expect(h['referrer-policy']).toBe('no-referrer');
    for (const name of HTML_ONLY) expect([name, h[name]]).toEqual([name, expect.any(String)]);
  });

  it.each(apis)('%s carries HSTS, CSP, nosniff and DENY framing, and none of the HTML-only headers', async (_name, get) => {
    const h = await get();
    expectTransportAndFraming(h);
    for (const name of HTML_ONLY) expect([name, h[name]]).toEqual([name, undefined]);
  });
});
