import { AntomClient } from '../../src/upstream/antom-client';
import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/**
 * The gateway's upstream client against the sandbox's fault triggers: never F for what may have been a
 * success, never two authorizations, a retry with the same request id whenever no answer came.
 */
describe('upstream client: the gateway over a bad network', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      UPSTREAM_TIMEOUT_MS: '700',
      SANDBOX_SLOW_ANSWER_MS: '1500',
      SANDBOX_NOTIFY_TIME_SCALE: '0.01',
      UPSTREAM_RETRIES: '2',
      UPSTREAM_RETRY_BACKOFF_MS: '50',
      UPSTREAM_BREAKER_MIN_CALLS: '10000', // this suite is about retries; the breaker has its own suite
      // The acquirer's notifications go nowhere here (a closed loopback port), so what the synchronous
      // path concludes on its own is what the suite sees; notifications are covered elsewhere.
      GATEWAY_PUBLIC_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const gatewayPayment = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status FROM payment WHERE payment_id = $1', [paymentId]))[0] as { id: string; status: string };
  /** Authorizations the acquirer holds for the gateway's upstream request id: must never exceed one. */
  const sandboxAuthorizations = async (upstreamRequestId: string) =>
    Number((await stack.db.query('SELECT count(*) AS n FROM sandbox.payment WHERE payment_request_id = $1', [upstreamRequestId]))[0].n);
  const retries = async () => {
    const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    return Number(/gateway_upstream_retries_total\{api="payments\/pay"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  it('slow answer (…90001, beyond the timeout on every try): pay ends U, payment UNKNOWN, never F; a later inquiry settles it', async () => {
    const before = await retries();
    const res = await stack.merchant.post('payments/pay', s2sPay({ value: '90001' }));
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    // Bounded by count, not by a stopwatch: the first try and two resends, each cut at its timeout, then U.
    expect(await retries()).toBe(before + 2);
    const p = await gatewayPayment(res.body.paymentId);
    expect(p.status).toBe('UNKNOWN');
    expect(await sandboxAuthorizations(p.id)).toBe(1);
    const inquiry = await stack.app.get(AntomClient).call('payments/inquiryPayment', { paymentRequestId: p.id });
    expect(inquiry).toMatchObject({ kind: 'answer', body: { paymentStatus: 'SUCCESS' } });
  });

  it('dropped response (…90002): the retry with the same id gets the stored answer; exactly one authorization', async () => {
    const before = await retries();
    const res = await stack.merchant.post('payments/pay', s2sPay({ value: '90002' }));
    expect(res.body.result.resultStatus).toBe('S');
    expect(await retries()).toBe(before + 1);
    const p = await gatewayPayment(res.body.paymentId);
    expect(p.status).toBe('SUCCEEDED');
    expect(await sandboxAuthorizations(p.id)).toBe(1);
    const sandboxRow = (await stack.db.query('SELECT payment_id FROM sandbox.payment WHERE payment_request_id = $1', [p.id]))[0];
    const upstreamId = (await stack.db.query('SELECT upstream_payment_id FROM payment WHERE id = $1', [p.id]))[0].upstream_payment_id;
    expect(upstreamId).toBe(sandboxRow.payment_id);
  });

  it.each([
    ['90003', 'HTTP 500'],
    ['90004', 'HTTP 502'],
    ['90005', 'U UNKNOWN_EXCEPTION'],
    ['90006', 'U REQUEST_TRAFFIC_EXCEED_LIMIT'],
    ['90010', 'a forged signature'],
  ])('…%s (%s once): retried with the same id, then S with one authorization', async (value) => {
    const before = await retries();
    const res = await stack.merchant.post('payments/pay', s2sPay({ value }));
    expect(res.body.result.resultStatus).toBe('S');
    expect(await retries()).toBe(before + 1);
    expect(await sandboxAuthorizations((await gatewayPayment(res.body.paymentId)).id)).toBe(1);
  });

  it('forged signatures on every try: no-answer, so the pay is U / UNKNOWN (never acted on), one authorization', async () => {
    await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'forged', api: 'payments/pay', times: 3 }),
    });
    const res = await stack.merchant.post('payments/pay', s2sPay());
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    const p = await gatewayPayment(res.body.paymentId);
    expect(p.status).toBe('UNKNOWN');
    expect(await sandboxAuthorizations(p.id)).toBe(1);
    const log = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(log).toMatch(/gateway_upstream_request_seconds_count\{api="payments\/pay",result_code="NO_ANSWER"\} [1-9]/);
  });

  it('late authorization (…90011): U UNKNOWN_EXCEPTION on every try → payment UNKNOWN; the acquirer settles it later', async () => {
    const before = await retries();
    const res = await stack.merchant.post('payments/pay', s2sPay({ value: '90011' }));
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect(await retries()).toBe(before + 2);
    const p = await gatewayPayment(res.body.paymentId);
    expect(p.status).toBe('UNKNOWN');
    expect(await sandboxAuthorizations(p.id)).toBe(1);
    const client = stack.app.get(AntomClient);
    expect(await client.call('payments/inquiryPayment', { paymentRequestId: p.id })).toMatchObject({ body: { paymentStatus: 'PENDING' } });
    // Settled max(2 min × 0.01, 2 s) after the gateway's last send (sandbox/pay.ts postponeLateSettlement): looked at up to 60 times.
    let status: unknown;
    for (let i = 0; i < 60 && status !== 'SUCCESS'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = ((await client.call('payments/inquiryPayment', { paymentRequestId: p.id })) as { body: { paymentStatus?: unknown } }).body
        .paymentStatus;
    }
    expect(status).toBe('SUCCESS');
  });

  it('a decline is final and never retried', async () => {
    const before = await retries();
    const res = await stack.merchant.post('payments/pay', s2sPay({ cardNo: '4000000000000002' }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR' });
    expect(await retries()).toBe(before);
  });
});
