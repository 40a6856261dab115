import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

describe('server-to-server pay through the gateway and the sandbox', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const paymentCount = async () => Number((await stack.db.query('SELECT count(*) AS n FROM payment'))[0].n);

  it('authorizes the seed request (S), signs the answer, and inquiry says SUCCESS', async () => {
    const req = s2sPay();
    const res = await stack.merchant.post('payments/pay', req);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.headers['client-id']).toBe(stack.merchant.clientId);
    expect(res.body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' });
    expect(res.body.paymentId).toMatch(/^gwp_/);
    expect(res.body.paymentAmount).toEqual({ currency: 'EUR', value: '30000' });
    expect(res.body.paymentResultInfo).toMatchObject({
      cardBrand: 'VISA',
      cardBin: '41173478',
      lastFour: '6383',
      avsResultRaw: 'Y',
      cvvResultRaw: 'M',
    });
    expect(res.raw).not.toContain('4117347806156383');

    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: res.body.paymentId });
    expect(inquiry.body.result.resultStatus).toBe('S');
    expect(inquiry.body.paymentStatus).toBe('SUCCESS');
    expect(inquiry.body.paymentRequestId).toBe(req.paymentRequestId);
    const byRequestId = await stack.merchant.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId });
    expect(byRequestId.body.paymentId).toBe(res.body.paymentId);
  });

  it('answers on the sandbox path and the seed short path too', async () => {
    for (const path of ['/ams/sandbox/api/v1/payments/pay', '/v1/payments/pay']) {
      const res = await stack.merchant.post('payments/pay', s2sPay(), { path });
      expect(res.body.result.resultStatus).toBe('S');
      expect(res.signatureValid).toBe(true);
    }
  });

  it.each([
    ['4000000000000002', 'DO_NOT_HONOR'],
    ['4000000000009995', 'USER_BALANCE_NOT_ENOUGH'],
    ['4000000000009987', 'LOST_CARD'],
    ['4000000000009979', 'STOLEN_CARD'],
    ['4000000000004954', 'RISK_REJECT'],
  ])('declines %s with F %s and inquiry says FAIL', async (cardNo, code) => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ cardNo }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: code });
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: res.body.paymentId });
    expect(inquiry.body.paymentStatus).toBe('FAIL');
    expect(inquiry.body.paymentResultCode).toBe(code);
  });

  it('destroys the CVV once the authorization completes', async () => {
    const res = await stack.merchant.post('payments/pay', s2sPay());
    const rows = await stack.db.query(
      'SELECT count(s.card_id) AS n FROM payment p JOIN card c ON c.id = p.card_id LEFT JOIN card_secret s ON s.card_id = c.id WHERE p.payment_id = $1',
      [res.body.paymentId],
    );
    expect(Number(rows[0].n)).toBe(0);
  });

  it('keeps exact minor units for zero- and three-decimal currencies', async () => {
    const jpy = await stack.merchant.post('payments/pay', s2sPay({ currency: 'JPY', value: '9007199254740993' }));
    expect(jpy.body.paymentAmount).toEqual({ currency: 'JPY', value: '9007199254740993' });
    const row = await stack.db.query('SELECT amount::text AS a FROM payment WHERE payment_id = $1', [jpy.body.paymentId]);
    expect(row[0].a).toBe('9007199254740993');
  });

  it('returns the stored answer for a repeated paymentRequestId and refuses changed key fields', async () => {
    const req = s2sPay();
    const first = await stack.merchant.post('payments/pay', req);
    const again = await stack.merchant.post('payments/pay', req);
    expect(again.body.paymentId).toBe(first.body.paymentId);
    expect(again.body.result).toEqual(first.body.result);
    const changed = await stack.merchant.post('payments/pay', {
      ...req,
      paymentAmount: { currency: 'EUR', value: '1' },
      order: { ...req.order, orderAmount: { currency: 'EUR', value: '1' } },
    });
    expect(changed.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
  });

  describe('refuses bad requests with HTTP 200, result F, a precise code, and writes nothing', () => {
    const cases: [string, () => Promise<{ status: number; body: any }>, string][] = [
      [
        'a wrong signature',
        () => stack.merchant.post('payments/pay', s2sPay(), { signWith: loadPrivateKey(generateRsaKeyPair().privateKeyPem) }),
        'INVALID_SIGNATURE',
      ],
      ['a missing signature', () => stack.merchant.post('payments/pay', s2sPay(), { signatureHeader: '' }), 'INVALID_SIGNATURE'],
      [
        'an unknown client id (answered like a bad signature: ids cannot be enumerated)',
        () => stack.merchant.post('payments/pay', s2sPay(), { clientId: 'SANDBOX_NOBODY' }),
        'INVALID_SIGNATURE',
      ],
      ['malformed JSON', () => stack.merchant.send('/ams/api/v1/payments/pay', '{"paymentRequestId": "x",'), 'PARAM_ILLEGAL'],
      ['a JSON array body', () => stack.merchant.send('/ams/api/v1/payments/pay', '[]'), 'PARAM_ILLEGAL'],
      ['a wrong type', () => stack.merchant.post('payments/pay', { ...s2sPay(), paymentAmount: { currency: 'EUR', value: 12.5 } }), 'PARAM_ILLEGAL'],
      ['an unknown currency', () => stack.merchant.post('payments/pay', s2sPay({ currency: 'XYZ' })), 'PARAM_ILLEGAL'],
      [
        'gold (XAU: an ISO 4217 code, not a card currency)',
        () => stack.merchant.post('payments/pay', s2sPay({ currency: 'XAU', value: '100' })),
        'CURRENCY_NOT_SUPPORT',
      ],
      ['the testing code XTS', () => stack.merchant.post('payments/pay', s2sPay({ currency: 'XTS', value: '100' })), 'CURRENCY_NOT_SUPPORT'],
      [
        'a fund code (CLF, an indexed unit)',
        () => stack.merchant.post('payments/pay', s2sPay({ currency: 'CLF', value: '100' })),
        'CURRENCY_NOT_SUPPORT',
      ],
      ['a missing Request-Time', () => stack.merchant.post('payments/pay', s2sPay(), { time: '' }), 'INVALID_SIGNATURE'],
      ['a Luhn-invalid PAN', () => stack.merchant.post('payments/pay', s2sPay({ cardNo: '4111111111111112' })), 'INVALID_CARD_NUMBER'],
      ['a past expiry', () => stack.merchant.post('payments/pay', s2sPay({ expiryYear: '20' })), 'INVALID_EXPIRATION_DATE'],
      [
        'a stale Request-Time (replay)',
        () => stack.merchant.post('payments/pay', s2sPay(), { time: String(Date.now() - 3600_000) }),
        'REQUEST_TIME_EXPIRED',
      ],
      ['an oversize body', () => stack.merchant.send('/ams/api/v1/payments/pay', JSON.stringify({ pad: 'x'.repeat(400_000) })), 'PARAM_ILLEGAL'],
    ];
    it.each(cases)('%s', async (_name, send, code) => {
      const before = await paymentCount();
      const res = await send();
      expect(res.status).toBe(200);
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: code });
      expect(typeof res.body.result.resultMessage).toBe('string');
      expect(await paymentCount()).toBe(before);
    });
  });

  it('logs each refused request once with its code, api and merchant, and nothing it quoted', async () => {
    const merchant = await stack.newMerchant();
    const res = await merchant.post('payments/pay', s2sPay(), { time: '' });
    expect(res.body.result.resultMessage).toBe('Request-Time header is missing; the signature covers it.');
    const line = await waitFor(async () => stack.logLines().find((l) => l.msg === 'merchant request' && l.clientId === merchant.clientId), 5000);
    expect(line).toMatchObject({ api: 'payments/pay', resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(stack.logLines().filter((l) => l.clientId === merchant.clientId)).toHaveLength(1);
    expect(JSON.stringify(line)).not.toContain('Request-Time header');
  });

  it('answers an unknown API path in Antom format', async () => {
    const res = await stack.merchant.post('payments/nope', {});
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'NO_INTERFACE_DEF' });
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await fetch(`${stack.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: 'up',
      upstream: 'up',
      acquirer: { state: 'up', breaker: 'closed', recentCalls: expect.any(Number), recentFailures: 0 },
    });
    expect(await (await fetch(`${stack.gatewayUrl}/health/live`)).json()).toEqual({ status: 'live' });
    const ready = await fetch(`${stack.gatewayUrl}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', database: 'up' }]);
    const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(metrics).toContain('gateway_upstream_request_seconds_bucket');
    expect(metrics).not.toMatch(/4117347806156383/);
  });
});
