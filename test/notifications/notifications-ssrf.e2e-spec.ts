import { s2sPay } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * SSRF guard on merchant notify URLs (NOTIFY_PRIVATE_HOSTS=deny, the default with real Antom): the
 * gateway never POSTs a notification to loopback or a private network, whatever name the merchant
 * gives; the attempt is recorded as an error and the pay itself is unaffected.
 */
describe('merchant notify URLs cannot reach private addresses', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ NOTIFY_PRIVATE_HOSTS: 'deny', WORKER_POLL_MS: '100', NOTIFY_TIME_SCALE: '0.001' });
  });
  afterAll(async () => stack.stop());

  it.each([['an IP literal', '127.0.0.1'], ['a name resolving to loopback', 'localhost']])('refuses %s and records why', async (_label, host) => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl: `http://${host}:${port}/notify` }));
      expect(res.body.result.resultStatus).toBe('S');
      const attempt = await waitFor(async () => (await stack.db.query(
        `SELECT a.outcome, a.error FROM notification_attempt a JOIN merchant_notification n ON n.id = a.notification_id
           JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1`, [res.body.paymentId]))[0], 15_000);
      expect(attempt).toMatchObject({ outcome: 'ERROR', error: expect.stringContaining('private or loopback') });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
