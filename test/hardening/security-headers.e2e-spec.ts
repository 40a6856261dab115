import { startTestStack, TestStack } from '../support/stack';

/** Security headers on every kind of answer: health, a signed API answer, an API-path 404 and a plain 404. */
describe('security headers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const answers: [string, () => Promise<Record<string, string | string[] | undefined>>][] = [
    ['GET /health', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/health`)).headers)],
    ['a signed API answer', async () => (await stack.merchant.post('payments/inquiryPayment', { paymentId: 'gwp_none' })).headers],
    ['an unknown API path (NO_INTERFACE_DEF)', async () => (await stack.merchant.post('payments/nope', {})).headers],
    ['a plain 404', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/no/such/page`)).headers)],
    ['GET /metrics', async () => Object.fromEntries((await fetch(`${stack.gatewayUrl}/metrics`)).headers)],
  ];

  it.each(answers)('%s carries HSTS, CSP, nosniff, frame and referrer policies, and no X-Powered-By', async (_name, get) => {
    const h = await get();
    expect(h['strict-transport-security']).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(String(h['strict-transport-security']))![1])).toBeGreaterThanOrEqual(31536000);
    expect(h['strict-transport-security']).toMatch(/includeSubDomains/);
    const csp = String(h['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['x-powered-by']).toBeUndefined();
    expect(h['server']).toBeUndefined();
  });
});
