import { AdminHttp } from '../admin/admin-support';
import { s2sPay } from '../support/fixtures';
import { sample } from '../support/metrics';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * What an on-call reads: /metrics after real pays through the sandbox, and the log file the stack writes.
 */
describe('operations: metrics and log lines', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    // The receiver refuses every notice sent to /refuse; the others are acked.
    [stack, receiver] = await Promise.all([
      startTestStack({ WORKER_POLL_MS: '50', NOTIFY_TIME_SCALE: '0.001', UPSTREAM_RETRY_BACKOFF_MS: '50' }),
      startReceiver((r) =>
        r.path === '/refuse'
          ? { status: 500, body: 'down' }
          : { status: 200, body: JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }) },
      ),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), receiver?.close()]);
  });

  const scrape = async () => {
    const res = await fetch(`${stack.gatewayUrl}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  it('counts every merchant request by api, result status and code, refusals too, and times pays', async () => {
    const before = await scrape();
    const ok = await stack.merchant.post('payments/pay', s2sPay());
    expect(ok.body.result.resultStatus).toBe('S');
    const refused = await stack.merchant.post('payments/pay', s2sPay(), { time: '' }); // answered by the Antom filter
    expect(refused.body.result.resultCode).toBe('INVALID_SIGNATURE');
    await stack.merchant.post('payments/inquiryPayment', { paymentId: ok.body.paymentId });
    await stack.merchant.post('payments/nope', {});
    const text = await scrape();
    const delta = (name: string, labels: Record<string, string>) => (sample(text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('gateway_merchant_requests_total', { api: 'payments/pay', result_status: 'S', result_code: 'SUCCESS' })).toBe(1);
    expect(delta('gateway_merchant_requests_total', { api: 'payments/pay', result_status: 'F', result_code: 'INVALID_SIGNATURE' })).toBe(1);
    expect(delta('gateway_merchant_requests_total', { api: 'payments/inquiryPayment', result_status: 'S', result_code: 'SUCCESS' })).toBe(1);
    expect(delta('gateway_merchant_requests_total', { api: 'unknown', result_status: 'F', result_code: 'NO_INTERFACE_DEF' })).toBe(1);
    expect(delta('gateway_pay_seconds_count', { result_status: 'S' })).toBe(1);
    expect(delta('gateway_merchant_request_seconds_count', { api: 'payments/pay', result_status: 'F' })).toBe(1);
    expect(delta('gateway_upstream_requests_total', { api: 'payments/pay', outcome: 'S' })).toBe(1);
    expect(delta('gateway_vault_operations_total', { operation: 'encrypt', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json read at run time
    expect(sample(text, 'gateway_build_info', { version: require('../../package.json').version, node: process.version })).toBe(1);
    expect(sample(text, 'gateway_reconciliation_due')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'gateway_reconciliation_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).not.toMatch(/4117347806156383|gwp_/); // no card number, no id as a label
  });

  it('writes one line per merchant request: level name, api, merchant, payment id, request id, result, duration; no card data', async () => {
    const body = s2sPay();
    const res = await stack.merchant.post('payments/pay', body);
    const paymentId = res.body.paymentId as string;
    const line = await waitFor(async () => stack.logLines().find((l) => l.msg === 'merchant request' && l.paymentId === paymentId));
    expect(line).toMatchObject({
      level: 'info',
      api: 'payments/pay',
      clientId: stack.merchant.clientId,
      paymentRequestId: body.paymentRequestId,
      resultStatus: 'S',
      resultCode: 'SUCCESS',
    });
    expect(typeof line.durationMs).toBe('number');
    await stack.merchant.post('payments/inquiryPayment', { paymentId });
    await waitFor(async () =>
      stack.logLines().find((l) => l.msg === 'merchant request' && l.paymentId === paymentId && l.api === 'payments/inquiryPayment'),
    );
    expect(stack.logLines().filter((l) => l.paymentId === paymentId && l.msg === 'merchant request')).toHaveLength(2);
    expect(JSON.stringify(stack.logLines())).not.toMatch(/4117347806156383|"cvv"|expiryYear/);
  });

  it('names the payment in "no trustworthy answer from upstream" warnings', async () => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ value: '90002' })); // the sandbox drops the first answer
    expect(res.body.result.resultStatus).toBe('S');
    const row = (await stack.db.query('SELECT id FROM payment WHERE payment_id = $1', [res.body.paymentId]))[0];
    const line = await waitFor(async () =>
      stack.logLines().find((l) => l.msg === 'no trustworthy answer from upstream' && l.paymentId === res.body.paymentId),
    );
    expect(line).toMatchObject({ api: 'payments/pay', paymentRequestId: row.id });
    expect(sample(await scrape(), 'gateway_upstream_requests_total', { api: 'payments/pay', outcome: 'NO_ANSWER' })).toBeGreaterThanOrEqual(1);
  });

  it('logs and counts failed notification deliveries, and shows the backlog', async () => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl: `${receiver.url}/refuse` }));
    const paymentId = res.body.paymentId as string;
    const line = await waitFor(async () =>
      stack.logLines().find((l) => l.msg === 'merchant notification delivery failed' && l.paymentId === paymentId),
    );
    expect(line).toMatchObject({ attempt: 1, httpStatus: 500, outcome: 'REJECTED', clientId: stack.merchant.clientId, gaveUp: false });
    expect(JSON.stringify(line)).not.toContain(receiver.url);
    const text = await scrape();
    expect(sample(text, 'gateway_notification_deliveries_total', { outcome: 'REJECTED' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_notification_backlog')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_notification_oldest_pending_seconds')).toBeGreaterThan(0);
  });

  it('counts refused admin sign-ins by reason', async () => {
    const admin = new AdminHttp(stack.gatewayUrl);
    const res = await admin.login('nobody-here', 'wrong password');
    expect(res.location).not.toBe('/admin/payments');
    expect(sample(await scrape(), 'gateway_admin_sign_in_failures_total', { reason: 'unknown_user' })).toBe(1);
  });
});
