import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Money by amounts, not by one status (issue: "the rest of an authorization is stranded after a
 * refund"): after pay 300.00 MANUAL, capture 100.00 and refund 50.00, the remaining 200.00 can still be
 * captured by the merchant and by the CAPTURE expiry policy, and is released at authExpiryTime.
 */
describe('the rest of an authorization after a refund', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100', AUTH_EXPIRY_LEAD_SECONDS: '3600' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const eur = (value: string) => ({ currency: 'EUR', value });
  const row = async (paymentId: string) =>
    (
      await stack.db.query(
        'SELECT id, status, captured_amount::text AS captured, refunded_amount::text AS refunded FROM payment WHERE payment_id = $1',
        [paymentId],
      )
    )[0];

  async function capturedAndRefunded(m = stack.merchant) {
    const pay = await m.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '30000' }));
    expect(pay.body.result.resultStatus).toBe('S');
    const paymentId = pay.body.paymentId;
    const cap = await m.post('payments/capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('10000') });
    expect(cap.body.result.resultStatus).toBe('S');
    const ref = await m.post('payments/refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('5000') });
    expect(ref.body.result.resultStatus).toBe('S');
    return paymentId as string;
  }

  it('the merchant captures the rest, in parts and with the last capture; the capture stays open until then', async () => {
    const paymentId = await capturedAndRefunded();
    expect((await row(paymentId)).status).toBe('PARTIALLY_CAPTURED');
    const second = await stack.merchant.post('payments/capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('10000') });
    expect(second.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const cancel = await stack.merchant.post('payments/cancel', { paymentId });
    expect(cancel.body.result.resultStatus).toBe('F'); // captured: the rest is captured or released, never voided
    const last = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId,
      captureAmount: eur('10000'),
      isLastCapture: true,
    });
    expect(last.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(await row(paymentId)).toMatchObject({ status: 'PARTIALLY_REFUNDED', captured: '30000', refunded: '5000' });
    const over = await stack.merchant.post('payments/capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('1') });
    expect(over.body.result.resultStatus).toBe('F');
    const refundRest = await stack.merchant.post('payments/refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('25000') });
    expect(refundRest.body.result.resultStatus).toBe('S');
    expect((await row(paymentId)).status).toBe('REFUNDED');
  });

  it('the CAPTURE expiry policy captures the rest after a refund', async () => {
    const m = await stack.newMerchant();
    await stack.db.query('UPDATE merchant SET auth_expiry_policy = $1 WHERE client_id = $2', ['CAPTURE', m.clientId]);
    const paymentId = await capturedAndRefunded(m);
    await stack.db.query(`UPDATE payment SET auth_expiry_time = now() + interval '10 minutes' WHERE payment_id = $1`, [paymentId]);
    const r = await waitFor(async () => {
      const x = await row(paymentId);
      return x.captured === '30000' ? x : null;
    }, 15_000);
    expect(r).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: '5000' });
  });

  it('at authExpiryTime the rest is released: the capture closes with REMAINDER_RELEASED for 200.00', async () => {
    const paymentId = await capturedAndRefunded();
    await stack.db.query(`UPDATE payment SET auth_expiry_time = now() - interval '1 second' WHERE payment_id = $1`, [paymentId]);
    const r = await waitFor(async () => {
      const x = await row(paymentId);
      return x.status !== 'PARTIALLY_CAPTURED' ? x : null;
    }, 15_000);
    expect(r).toMatchObject({ status: 'PARTIALLY_REFUNDED', captured: '10000', refunded: '5000' });
    const events = await stack.db.query(
      `SELECT type, amount::text AS amount FROM payment_event WHERE payment_id = $1 AND type = 'REMAINDER_RELEASED'`,
      [r.id],
    );
    expect(events).toEqual([{ type: 'REMAINDER_RELEASED', amount: '20000' }]);
  });

  it('a refund right after an automatic-capture pay is never F: the capture is booked first', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '4000' }));
    expect(pay.body.result.resultStatus).toBe('S');
    const { id } = await row(pay.body.paymentId);
    // As if the acquirer's capture notification had not arrived yet (it is often overtaken by the refund).
    await waitFor(async () => (await row(pay.body.paymentId)).captured === '4000', 10_000);
    await stack.db.query('DELETE FROM capture WHERE payment_id = $1', [id]);
    await stack.db.query('UPDATE payment SET captured_amount = 0 WHERE id = $1', [id]);
    const ref = await stack.merchant.post('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId: pay.body.paymentId,
      refundAmount: eur('1000'),
    });
    expect(ref.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(await row(pay.body.paymentId)).toMatchObject({ status: 'PARTIALLY_REFUNDED', captured: '4000', refunded: '1000' });
  });
});
