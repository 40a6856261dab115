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

  it.each([
    ['an IP literal', '127.0.0.1'],
    ['a name resolving to loopback', 'localhost'],
  ])('refuses %s and records why', async (_label, host) => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl: `http://${host}:${port}/notify` }));
      expect(res.body.result.resultStatus).toBe('S');
      const attempt = await waitFor(
        async () =>
          (
            await stack.db.query(
              `SELECT a.outcome, a.error FROM notification_attempt a JOIN merchant_notification n ON n.id = a.notification_id
           JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1`,
              [res.body.paymentId],
            )
          )[0],
        15_000,
      );
      expect(attempt).toMatchObject({ outcome: 'ERROR', error: expect.stringContaining('private or loopback') });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

/**
 * Issue 23: under NOTIFY_PRIVATE_HOSTS=auto in development (the bundled sandbox, as here) notify URLs could lead
 * to link-local addresses, and deliveries left the machine. Link-local and metadata addresses are now refused
 * at delivery whatever NOTIFY_PRIVATE_HOSTS says, in every spelling; loopback stays reachable in development.
 */
describe('merchant notify URLs never reach link-local or metadata addresses, even in development', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100', NOTIFY_TIME_SCALE: '0.001', NOTIFY_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => stack.stop());

  // A link-local address that is not a metadata service, so nothing real is asked even where the guard is missing.
  it.each([
    ['a link-local IPv4 literal', 'http://169.254.0.9:9/notify'],
    ['its IPv4-mapped IPv6 spelling', 'http://[::ffff:a9fe:9]:9/notify'],
    ['an IPv6 link-local literal', 'http://[fe80::9]:9/notify'],
  ])('refuses %s and records why', async (_label, notifyUrl) => {
    const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl }));
    expect(res.body.result.resultStatus).toBe('S');
    const attempt = await waitFor(
      async () =>
        (
          await stack.db.query(
            `SELECT a.outcome, a.error FROM notification_attempt a JOIN merchant_notification n ON n.id = a.notification_id
           JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1`,
            [res.body.paymentId],
          )
        )[0],
      20_000,
    );
    expect(attempt).toMatchObject({ outcome: 'ERROR', error: expect.stringContaining('link-local, cloud metadata or reserved address') });
  });

  it('still delivers to loopback in development', async () => {
    const receiver = await startReceiver();
    try {
      const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl: `${receiver.url}/notify` }));
      expect(res.body.result.resultStatus).toBe('S');
      await waitFor(async () => receiver.received.length > 0, 20_000);
    } finally {
      await receiver.close();
    }
  });
});
