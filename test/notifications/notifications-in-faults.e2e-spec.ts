import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Antom's ugly parts, end to end through the gateway: duplicate, out-of-order and badly signed
 * notifications, and a success that arrives after the merchant cancelled.
 */
describe('inbound notification faults and late results', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [stack, receiver] = await Promise.all([
      startTestStack({ SANDBOX_NOTIFY_TIME_SCALE: '0.002', NOTIFY_TIME_SCALE: '0.001', WORKER_POLL_MS: '50', RECONCILE_INTERVAL_SECONDS: '1' }),
      startReceiver(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), receiver?.close()]);
  });

  const payment = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status, captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]))[0];
  const noticesTo = (paymentId: string, type: string) =>
    receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.paymentId === paymentId && b.notifyType === type);

  it('duplicate notifications (…90007) are applied once: one capture booked, one merchant notice each', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '1090007', notifyUrl: `${receiver.url}/n` }));
    expect(pay.body.result.resultStatus).toBe('S');
    const p = await waitFor(async () => {
      const r = await payment(pay.body.paymentId);
      return r.captured === '1090007' ? r : null;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(Number((await stack.db.query(`SELECT count(*) n FROM capture WHERE payment_id = $1`, [p.id]))[0].n)).toBe(1);
    await waitFor(async () => noticesTo(pay.body.paymentId, 'CAPTURE_RESULT').length > 0);
    expect(noticesTo(pay.body.paymentId, 'PAYMENT_RESULT')).toHaveLength(1);
    expect(noticesTo(pay.body.paymentId, 'CAPTURE_RESULT')).toHaveLength(1);
  });

  it('a capture notice that overtakes the payment result (…90008) is still booked', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '1090008' }));
    expect(pay.body.result.resultStatus).toBe('S');
    await waitFor(async () => (await payment(pay.body.paymentId)).captured === '1090008');
  });

  it('a badly signed first send (…90009) is not trusted; the genuine resend is applied', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '1090009' }));
    expect(pay.body.result.resultStatus).toBe('S');
    const p = await waitFor(async () => {
      const r = await payment(pay.body.paymentId);
      return r.captured === '1090009' ? r : null;
    }, 15_000);
    expect(p.status).toBe('SUCCEEDED');
  });
});

describe('a late authorization after the merchant cancelled (…90011)', () => {
  let stack: TestStack;
  // The sandbox authorizes …90011 payments 2 min × 0.02 = 2.4 s late; no resend, so the pay stays U.
  beforeAll(async () => {
    stack = await startTestStack({ SANDBOX_NOTIFY_TIME_SCALE: '0.02', UPSTREAM_RETRIES: '0', WORKER_POLL_MS: '50', RECONCILE_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves the payment cancelled and the acquirer holding no authorization', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '1090011', captureMode: 'MANUAL' }));
    expect(pay.body.result.resultStatus).toBe('U'); // never F: the issuer may still say yes
    const cancel = await stack.merchant.post('payments/cancel', { paymentId: pay.body.paymentId });
    expect(cancel.body.result.resultStatus).toBe('S');
    const id = (await stack.db.query('SELECT id FROM payment WHERE payment_id = $1', [pay.body.paymentId]))[0].id;
    await new Promise((r) => setTimeout(r, 4000)); // past the moment the issuer's late answer would land
    expect((await stack.db.query('SELECT status FROM payment WHERE id = $1', [id]))[0].status).toBe('CANCELLED');
    const upstream = (await stack.db.query('SELECT cancelled_at FROM sandbox.payment WHERE payment_request_id = $1', [id]))[0];
    expect(upstream.cancelled_at).not.toBeNull();
    const capture = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId: pay.body.paymentId,
      captureAmount: { currency: 'EUR', value: '100' },
    });
    expect(capture.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_CANCELLED' });
  });
});
