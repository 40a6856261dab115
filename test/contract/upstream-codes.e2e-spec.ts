import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Issue 14, "upstream codes are lost": what the acquirer answers reaches the merchant with its own code —
 * a final refusal keeps its code and message, a U keeps its code where Antom defines it as U.
 */
describe('upstream result codes passed through', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      UPSTREAM_RETRIES: '1',
      UPSTREAM_RETRY_BACKOFF_MS: '10',
      UPSTREAM_BREAKER_MIN_CALLS: '10000',
      WORKERS_ENABLED: 'false',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'DELETE' });
  });

  const control = (api: string) =>
    fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'POST', body: JSON.stringify({ fault: 'traffic', api, times: 10 }) });
  const authorized = async (value = '5000') => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ value, captureMode: 'MANUAL' }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };

  it('a cancel the acquirer refuses keeps its code and message (…90012: CANCEL_WINDOW_EXCEED), and the payment stays authorized', async () => {
    const paymentId = await authorized('190012');
    const res = await stack.merchant.post('payments/cancel', { paymentId });
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toEqual({
      resultStatus: 'F',
      resultCode: 'CANCEL_WINDOW_EXCEED',
      resultMessage: expect.stringContaining('cancellation window'),
    });
    expect(res.body.paymentId).toBe(paymentId);
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId });
    expect(inquiry.body.paymentStatus).toBe('SUCCESS');
    const capture = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId,
      captureAmount: { currency: 'EUR', value: '190012' },
    });
    expect(capture.body.result.resultCode).toBe('SUCCESS');
  });

  it('a capture the acquirer refuses keeps its code (AUTH_EXPIRED)', async () => {
    const paymentId = await authorized();
    const upstreamId = (await stack.db.query('SELECT upstream_payment_id FROM payment WHERE payment_id = $1', [paymentId]))[0].upstream_payment_id;
    await fetch(`${stack.sandbox!.url}/sandbox/control/expire-authorization`, { method: 'POST', body: JSON.stringify({ paymentId: upstreamId }) });
    const res = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId,
      captureAmount: { currency: 'EUR', value: '5000' },
    });
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_EXPIRED' });
  });

  it('pay: a U the acquirer answers with REQUEST_TRAFFIC_EXCEED_LIMIT (every retry too) reaches the merchant as that code, still U', async () => {
    await control('payments/pay');
    const res = await stack.merchant.post('payments/pay', s2sPay());
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' });
  });

  it.each([
    ['payments/capture', (paymentId: string) => ({ captureRequestId: randomUUID(), paymentId, captureAmount: { currency: 'EUR', value: '5000' } })],
    ['payments/cancel', (paymentId: string) => ({ paymentId })],
  ])('%s: U REQUEST_TRAFFIC_EXCEED_LIMIT is passed through, not turned into UNKNOWN_EXCEPTION', async (api, body) => {
    const paymentId = await authorized();
    await control(api);
    const res = await stack.merchant.post(api, body(paymentId));
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' });
  });

  it('refund: U REQUEST_TRAFFIC_EXCEED_LIMIT is passed through', async () => {
    const paymentId = await authorized();
    const capture = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId,
      captureAmount: { currency: 'EUR', value: '5000' },
    });
    expect(capture.body.result.resultCode).toBe('SUCCESS');
    await control('payments/refund');
    const res = await stack.merchant.post('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId,
      refundAmount: { currency: 'EUR', value: '100' },
    });
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' });
  });
});
