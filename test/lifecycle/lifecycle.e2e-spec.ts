import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

describe('payment lifecycle: idempotency, capture, cancel, refund, inquiry', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (api: string, body: object) => stack.merchant.post(`payments/${api}`, body);
  const eur = (value: string) => ({ currency: 'EUR', value });
  const internalId = async (paymentId: string) => (await stack.db.query('SELECT id FROM payment WHERE payment_id = $1', [paymentId]))[0].id as string;
  const upstreamPays = async (id: string) =>
    Number((await stack.db.query('SELECT count(*) AS n FROM sandbox.payment WHERE payment_request_id = $1', [id]))[0].n);

  async function authorize(value = '10000') {
    const res = await post('pay', s2sPay({ captureMode: 'MANUAL', value }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  }

  it('50 concurrent identical pay requests make one upstream authorization and 50 identical answers', async () => {
    const req = s2sPay();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('pay', req)));
    const ids = new Set(answers.map((a) => a.body.paymentId));
    expect(ids.size).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.result))).size).toBe(1);
    expect(answers[0].body.result.resultStatus).toBe('S');
    expect(await upstreamPays(await internalId([...ids][0]))).toBe(1);
    expect(Number((await stack.db.query('SELECT count(*) AS n FROM payment WHERE payment_request_id = $1', [req.paymentRequestId]))[0].n)).toBe(1);
  });

  it('captures part of an authorization, refuses more than capturable, refuses cancel after capture, refunds within limits', async () => {
    const paymentId = await authorize('10000');
    const cap1 = await post('capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('6000') });
    expect(cap1.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(cap1.body.captureId).toMatch(/^gwc_/);
    const tooMuch = await post('capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('4001') });
    expect(tooMuch.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' });
    const cancel = await post('cancel', { paymentId });
    expect(cancel.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });

    const ref1 = await post('refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('2500') });
    expect(ref1.body.result.resultStatus).toBe('S');
    const ref2 = await post('refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('2500') });
    expect(ref2.body.result.resultStatus).toBe('S');
    const ref3 = await post('refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('1001') });
    expect(ref3.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REFUND_AMOUNT_EXCEED' });

    const inquiry = await post('inquiryPayment', { paymentId });
    expect(
      inquiry.body.transactions.map((t: { transactionType: string; transactionStatus: string }) => `${t.transactionType}:${t.transactionStatus}`),
    ).toEqual(['PAYMENT:SUCCESS', 'CAPTURE:SUCCESS', 'REFUND:SUCCESS', 'REFUND:SUCCESS']);
    const row = (
      await stack.db.query(
        'SELECT authorized_amount::text a, captured_amount::text c, refunded_amount::text r, status FROM payment WHERE payment_id = $1',
        [paymentId],
      )
    )[0];
    // Not the last capture: the capture stays open (the rest can still be captured), whatever was refunded.
    expect(row).toEqual({ a: '10000', c: '6000', r: '5000', status: 'PARTIALLY_CAPTURED' });

    const inq = await post('inquiryRefund', { refundRequestId: ref1.body.refundRequestId ?? undefined, refundId: ref1.body.refundId });
    expect(inq.body).toMatchObject({ refundStatus: 'SUCCESS', refundAmount: eur('2500') });
  });

  it('a last partial capture releases the remainder and closes the payment for capture', async () => {
    const paymentId = await authorize('9000');
    const cap = await post('capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('3000'), isLastCapture: true });
    expect(cap.body.result.resultStatus).toBe('S');
    const again = await post('capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('1000') });
    expect(again.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'MULTI_CAPTURE_NOT_SUPPORTED' });
    const events = await stack.db.query(`SELECT type FROM payment_event WHERE payment_id = $1 ORDER BY id`, [await internalId(paymentId)]);
    expect(events.map((e: { type: string }) => e.type)).toContain('REMAINDER_RELEASED');
  });

  it('captures idempotently on captureRequestId and refuses a changed amount', async () => {
    const paymentId = await authorize('5000');
    const captureRequestId = randomUUID();
    const [a, b] = await Promise.all([
      post('capture', { captureRequestId, paymentId, captureAmount: eur('5000') }),
      post('capture', { captureRequestId, paymentId, captureAmount: eur('5000') }),
    ]);
    expect(a.body.captureId).toBe(b.body.captureId);
    expect(a.body.result.resultStatus).toBe('S');
    const changed = await post('capture', { captureRequestId, paymentId, captureAmount: eur('4000') });
    expect(changed.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    expect(Number((await stack.db.query('SELECT count(*) n FROM capture WHERE capture_request_id = $1', [captureRequestId]))[0].n)).toBe(1);
  });

  it('cancels an authorization; the cancelled payment refuses capture and refund, and inquiry says CANCELLED', async () => {
    const paymentId = await authorize();
    const cancel = await post('cancel', { paymentId });
    expect(cancel.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(cancel.body.cancelTime).toBeDefined();
    const twice = await post('cancel', { paymentId });
    expect(twice.body.result.resultStatus).toBe('S');
    const cap = await post('capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('100') });
    expect(cap.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_CANCELLED' });
    const inquiry = await post('inquiryPayment', { paymentId });
    expect(inquiry.body.paymentStatus).toBe('CANCELLED');
    expect(inquiry.body.transactions.map((t: { transactionType: string }) => t.transactionType)).toContain('CANCEL');
  });

  it('refuses a refund of an uncaptured authorization (cancel it instead) and unknown payments', async () => {
    const paymentId = await authorize();
    const refund = await post('refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('100') });
    expect(refund.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
    expect(refund.body.result.resultMessage).toMatch(/cancel/i);
    const unknown = await post('capture', { captureRequestId: randomUUID(), paymentId: 'gwp_nope', captureAmount: eur('100') });
    expect(unknown.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
    const other = await (
      await stack.newMerchant()
    ).post('payments/capture', { captureRequestId: randomUUID(), paymentId, captureAmount: eur('100') });
    expect(other.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
  });

  it('books an automatic capture from the acquirer notification, then allows refunds', async () => {
    const pay = await post('pay', s2sPay({ value: '7000' }));
    expect(pay.body.result.resultStatus).toBe('S');
    const paymentId = pay.body.paymentId;
    await waitFor(async () => {
      const r = (await stack.db.query('SELECT captured_amount::text c FROM payment WHERE payment_id = $1', [paymentId]))[0];
      return r.c === '7000';
    });
    const refund = await post('refund', { refundRequestId: randomUUID(), paymentId, refundAmount: eur('7000') });
    expect(refund.body.result.resultStatus).toBe('S');
    const inquiry = await post('inquiryPayment', { paymentId });
    expect(inquiry.body.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(['PAYMENT', 'CAPTURE', 'REFUND']);
    const status = (await stack.db.query('SELECT status FROM payment WHERE payment_id = $1', [paymentId]))[0].status;
    expect(status).toBe('REFUNDED');
  });
});
