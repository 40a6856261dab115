import { s2sPay } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * AVS policy VOID holds the authorization's notice while the void runs. The void is an upstream call
 * (up to UPSTREAM_TIMEOUT_MS × retries): a crash or a shutdown in that window must not leave a durable
 * AUTHORIZED payment with no merchant notice at all. So the notice is written with the authorization,
 * held (not deliverable), and released with its final body after the void.
 */
jest.setTimeout(60_000);

describe('AVS VOID: the held notice is durable from the authorization on', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ UPSTREAM_TIMEOUT_MS: '6000', UPSTREAM_RETRIES: '0', SANDBOX_SLOW_ANSWER_MS: '3000', WORKER_POLL_MS: '100' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const notices = (paymentId: string) =>
    stack.db.query(
      `SELECT n.status, n.attempts, n.next_attempt_at > now() AS held, n.body FROM merchant_notification n
       JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.notify_type = 'PAYMENT_RESULT'`,
      [paymentId],
    ) as Promise<Array<{ status: string; attempts: number; held: boolean; body: string }>>;

  const fault = (api: string) =>
    fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'POST', body: JSON.stringify({ fault: 'slow', api, times: 1 }) });

  it("the acquirer's notification settles the payment before the synchronous answer: still only F is ever delivered", async () => {
    const m = await stack.newMerchant();
    await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
    const receiver = await startReceiver(() => ack());
    try {
      // The acquirer authorizes and notifies at once, but its synchronous answer comes 3 s later.
      await fault('payments/pay');
      const req = s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify` });
      const res = await m.post('payments/pay', req);
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
      const events = await stack.db.query(
        `SELECT e.type FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id`,
        [res.body.paymentId],
      );
      expect(events.map((e: { type: string }) => e.type)).toContain('AUTHORIZATION_NOTIFICATION'); // the race did happen
      await waitFor(async () => receiver.received.some((r) => JSON.parse(r.body).paymentId === res.body.paymentId), 15_000);
      await new Promise((r) => setTimeout(r, 1000));
      const delivered = receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.paymentId === res.body.paymentId);
      expect(delivered.map((b) => `${b.notifyType} ${b.result.resultStatus} ${b.result.resultCode}`)).toEqual(['PAYMENT_RESULT F RISK_REJECT']);
    } finally {
      await receiver.close();
    }
  });

  it('while the void is in flight the payment is AUTHORIZED and its notice is queued, held; afterwards only F is delivered', async () => {
    const m = await stack.newMerchant();
    await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
    const receiver = await startReceiver(() => ack());
    try {
      // The acquirer is slow to answer the void: the window between the authorization and the void is wide.
      await fault('payments/cancel');
      const req = s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify` });
      const answer = m.post('payments/pay', req);
      const paymentId = await waitFor(
        async () => {
          const rows = await stack.db.query(`SELECT payment_id FROM payment WHERE payment_request_id = $1 AND status = 'AUTHORIZED'`, [
            req.paymentRequestId,
          ]);
          return rows[0]?.payment_id as string | undefined;
        },
        20_000,
        20,
      );
      // A crash here must not lose the notice: it is already written, and not deliverable yet.
      const during = await notices(paymentId);
      expect(during.map((n) => ({ status: n.status, attempts: n.attempts, held: n.held }))).toEqual([{ status: 'PENDING', attempts: 0, held: true }]);

      const res = await answer;
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
      await waitFor(async () => receiver.received.some((r) => JSON.parse(r.body).paymentId === paymentId), 15_000);
      await new Promise((r) => setTimeout(r, 1000));
      const delivered = receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.paymentId === paymentId);
      expect(delivered.map((b) => `${b.notifyType} ${b.result.resultStatus} ${b.result.resultCode}`)).toEqual(['PAYMENT_RESULT F RISK_REJECT']);
      const types = (
        await stack.db.query(`SELECT e.type FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id`, [
          paymentId,
        ])
      ).map((e: { type: string }) => e.type);
      expect(types.filter((t: string) => t === 'NOTIFICATION_QUEUED')).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
