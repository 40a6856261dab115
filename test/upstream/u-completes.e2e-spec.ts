import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { AntomAnswer } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';

/**
 * U drives to completion (issue 25). With the acquirer failing (sandbox faults http503 / traffic, which
 * answer before anything is processed) a pay, capture or refund answers U; Antom's answer — and the
 * gateway's — tells the merchant to retry with the same id, and that retry must make progress: once the
 * fault is cleared it inquires, resends what the acquirer never received (same id: never two
 * authorizations) and answers S. Reconciliation does not close such a pay F before the merchant's retry
 * window (RETRY_WINDOW_SECONDS) is over. `isAsyncRefund` is honoured: U REFUND_IN_PROCESS, then SUCCESS.
 * Every wait is bounded by a count of attempts, never by elapsed time.
 */
describe('U drives to completion: the same-id retry re-drives it', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      UPSTREAM_TIMEOUT_MS: '1000',
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_MIN_CALLS: '10000',
      // Reconciliation looks every second: it must leave a never-arrived pay U inside the retry window.
      WORKER_POLL_MS: '100',
      RECONCILE_INTERVAL_SECONDS: '1',
      RECONCILE_FIRST_DELAY_SECONDS: '1',
      RETRY_WINDOW_SECONDS: '600',
      // An asynchronous refund settles after 2 min × 0.05 = 6 s.
      SANDBOX_NOTIFY_TIME_SCALE: '0.05',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (api: string, body: object) => stack.merchant.post(`payments/${api}`, body);
  const eur = (value: string) => ({ currency: 'EUR', value });
  const fault = (fault: string, api: string) =>
    fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'POST', body: JSON.stringify({ fault, api, times: 1000 }) });
  const clearFaults = () => fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'DELETE' });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const row = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status, created_at FROM payment WHERE payment_id = $1', [paymentId]))[0] as {
      id: string;
      status: string;
      created_at: Date;
    };
  const sandboxCount = async (table: string, column: string, id: string) =>
    Number((await stack.db.query(`SELECT count(*) AS n FROM sandbox.${table} WHERE ${column} = $1`, [id]))[0].n);
  /** Upstream attempts of one API so far (every outcome), from /metrics. */
  const upstreamCalls = async (api: string) => {
    const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    return [...text.matchAll(new RegExp(`^gateway_upstream_requests_total\\{api="${api.replace('/', '\\/')}",[^}]*\\} (\\d+)`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  /** The merchant's retry with the same request: until it is not U, at most `tries` times (each re-drive is at most once a second). */
  async function retryUntilFinal(api: string, body: object, tries = 12): Promise<{ last: AntomAnswer; answers: AntomAnswer[] }> {
    const answers: AntomAnswer[] = [];
    for (let i = 0; i < tries; i++) {
      const a = await post(api, body);
      expect(a.status).toBe(200);
      expect(a.signatureValid).toBe(true);
      answers.push(a);
      if (a.body.result.resultStatus !== 'U') break;
      await sleep(400);
    }
    return { last: answers[answers.length - 1], answers };
  }

  afterEach(async () => {
    await clearFaults();
  });

  it('pay: U while the acquirer fails (advice: retry with the same paymentRequestId); after the fault is cleared the retry answers S, one authorization', async () => {
    await fault('http503', 'payments/pay');
    const req = s2sPay();
    const first = await post('pay', req);
    expect(first.body.result).toMatchObject({
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: expect.stringMatching(/Retry with the same paymentRequestId/),
    });
    const { id } = await row(first.body.paymentId);
    expect(await sandboxCount('payment', 'payment_request_id', id)).toBe(0); // it never reached the acquirer

    // Still failing: the retry re-drives (inquires, resends) and answers U again, with the same advice.
    const stillFailing = await post('pay', req);
    expect(stillFailing.body.result).toMatchObject({
      resultStatus: 'U',
      resultMessage: expect.stringMatching(/Retry with the same paymentRequestId/),
    });
    expect(await sandboxCount('payment', 'payment_request_id', id)).toBe(0);

    await clearFaults();
    const { last } = await retryUntilFinal('pay', req);
    expect(last.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(last.body.paymentId).toBe(first.body.paymentId);
    expect(await sandboxCount('payment', 'payment_request_id', id)).toBe(1);
    expect((await row(first.body.paymentId)).status).toBe('SUCCEEDED');
    const inquiry = await post('inquiryPayment', { paymentRequestId: req.paymentRequestId });
    expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS' });
    // Replayed from here on, nothing sent again.
    const before = await upstreamCalls('payments/pay');
    expect((await post('pay', req)).body.result.resultStatus).toBe('S');
    expect(await upstreamCalls('payments/pay')).toBe(before);
  });

  it("pay: two retries at once resend once (the payment's re-drive lease), and the acquirer holds one authorization", async () => {
    await fault('http503', 'payments/pay');
    const req = s2sPay();
    const first = await post('pay', req);
    expect(first.body.result.resultStatus).toBe('U');
    await clearFaults();
    const before = await upstreamCalls('payments/pay');
    const [a, b] = await Promise.all([post('pay', req), post('pay', req)]);
    expect([a.body.result.resultStatus, b.body.result.resultStatus]).toContain('S');
    expect(await upstreamCalls('payments/pay')).toBe(before + 1);
    expect(await sandboxCount('payment', 'payment_request_id', (await row(first.body.paymentId)).id)).toBe(1);
  });

  it('reconciliation leaves a pay that never reached the acquirer U inside the retry window (past the in-flight time); the retry then completes it', async () => {
    await fault('http503', 'payments/pay');
    const req = s2sPay();
    const first = await post('pay', req);
    expect(first.body.result.resultStatus).toBe('U');
    const p = await row(first.body.paymentId);
    // In flight: 3 × UPSTREAM_TIMEOUT_MS + 5 s after the pay; before this change reconciliation closed it F right after.
    const inFlightEnd = new Date(p.created_at).getTime() + 3 * 1000 + 5000;
    let inquiriesAfter = 0;
    let seen = await upstreamCalls('payments/inquiryPayment');
    for (let i = 0; i < 400 && inquiriesAfter < 3; i++) {
      await sleep(100);
      const calls = await upstreamCalls('payments/inquiryPayment');
      if (Date.now() > inFlightEnd + 1000 && calls > seen) inquiriesAfter++;
      seen = calls;
    }
    expect(inquiriesAfter).toBeGreaterThanOrEqual(3); // reconciliation looked at it at least three times past the in-flight time
    expect((await row(first.body.paymentId)).status).toBe('UNKNOWN');
    await clearFaults();
    const { last } = await retryUntilFinal('pay', req);
    expect(last.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
  });

  it('capture: U while the acquirer fails (advice: retry with the same captureRequestId); the retry after the fault answers S, one capture', async () => {
    const pay = await post('pay', s2sPay({ captureMode: 'MANUAL', value: '10000' }));
    expect(pay.body.result.resultStatus).toBe('S');
    await fault('http503', 'payments/capture');
    const capture = { captureRequestId: randomUUID(), paymentId: pay.body.paymentId, captureAmount: eur('6000') };
    const first = await post('capture', capture);
    expect(first.body.result).toMatchObject({
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: expect.stringMatching(/Retry with the same captureRequestId/),
    });
    await clearFaults();
    const { last } = await retryUntilFinal('capture', capture);
    expect(last.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(last.body.captureId).toBe(first.body.captureId);
    const ours = (await stack.db.query('SELECT id FROM capture WHERE capture_id = $1', [first.body.captureId]))[0].id;
    expect(await sandboxCount('capture', 'capture_request_id', ours)).toBe(1);
    const inquiry = await post('inquiryPayment', { paymentId: pay.body.paymentId });
    expect(inquiry.body.transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ transactionType: 'CAPTURE', transactionStatus: 'SUCCESS' })]),
    );
  });

  it('refund: U REQUEST_TRAFFIC_EXCEED_LIMIT while the acquirer throttles (advice: retry); the retry after it answers S, one refund', async () => {
    const pay = await post('pay', s2sPay({ captureMode: 'MANUAL', value: '10000' }));
    const captured = await post('capture', { captureRequestId: randomUUID(), paymentId: pay.body.paymentId, captureAmount: eur('10000') });
    expect(captured.body.result.resultStatus).toBe('S');
    await fault('traffic', 'payments/refund');
    const refund = { refundRequestId: randomUUID(), paymentId: pay.body.paymentId, refundAmount: eur('2500') };
    const first = await post('refund', refund);
    expect(first.body.result).toMatchObject({
      resultStatus: 'U',
      resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT',
      resultMessage: expect.stringMatching(/Retry with the same refundRequestId/),
    });
    await clearFaults();
    const { last } = await retryUntilFinal('refund', refund);
    expect(last.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const ours = (await stack.db.query('SELECT id FROM refund WHERE refund_id = $1', [first.body.refundId]))[0].id;
    expect(await sandboxCount('refund', 'refund_request_id', ours)).toBe(1);
  });

  it('isAsyncRefund: U REFUND_IN_PROCESS (advice: inquire), inquiryRefund PROCESSING, then SUCCESS; a retry with the same id never refunds twice', async () => {
    const pay = await post('pay', s2sPay({ captureMode: 'MANUAL', value: '10000' }));
    expect(
      (await post('capture', { captureRequestId: randomUUID(), paymentId: pay.body.paymentId, captureAmount: eur('10000') })).body.result
        .resultStatus,
    ).toBe('S');
    const refund = { refundRequestId: randomUUID(), paymentId: pay.body.paymentId, refundAmount: eur('4000'), isAsyncRefund: true };
    const first = await post('refund', refund);
    expect(first.body.result).toMatchObject({
      resultStatus: 'U',
      resultCode: 'REFUND_IN_PROCESS',
      resultMessage: expect.stringMatching(/inquire with inquiryRefund/),
    });
    const processing = await post('inquiryRefund', { refundRequestId: refund.refundRequestId });
    expect(processing.body).toMatchObject({ result: { resultStatus: 'S' }, refundStatus: 'PROCESSING' });
    const again = await post('refund', refund);
    expect(again.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REFUND_IN_PROCESS' });
    let status = 'PROCESSING';
    for (let i = 0; i < 150 && status === 'PROCESSING'; i++) {
      await sleep(200);
      status = (await post('inquiryRefund', { refundRequestId: refund.refundRequestId })).body.refundStatus;
    }
    expect(status).toBe('SUCCESS');
    expect((await post('refund', refund)).body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const ours = (await stack.db.query('SELECT id FROM refund WHERE refund_id = $1', [first.body.refundId]))[0].id;
    expect(await sandboxCount('refund', 'refund_request_id', ours)).toBe(1);
    expect((await stack.db.query('SELECT refunded_amount::text AS r FROM payment WHERE payment_id = $1', [pay.body.paymentId]))[0].r).toBe('4000');
  });
});
