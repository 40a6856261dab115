import * as net from 'node:net';

import { s2sPay } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Bounded in time and size (issue: slow bodies never timed out; a notify endpoint answering 200 MB grew
 * the gateway by 500 MB): a client that trickles its request is cut, and a merchant's oversized answer
 * to a notification is read only up to a small limit, recorded as that attempt's error, and retried.
 */
describe('slow clients and oversized answers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ REQUEST_TIMEOUT_MS: '2000', WORKER_POLL_MS: '100', NOTIFY_TIME_SCALE: '0.001' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Drips a trickle sends before it stops waiting to be cut (the body it starts needs 499 more bytes, the headers never end). */
  const DRIPS_AT_MOST = 20;

  /** Opens a connection and writes `head`, then one byte a second; resolves with what the server said when it closed, and who closed it. */
  function trickle(head: string, drip: string): Promise<{ cutByServer: boolean; drips: number; answer: string }> {
    const { port } = new URL(stack.gatewayUrl);
    return new Promise((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let answer = '';
      let drips = 0;
      let gaveUp = false;
      const timer = setInterval(() => {
        if (socket.destroyed) return;
        if (drips >= DRIPS_AT_MOST) {
          gaveUp = true;
          socket.destroy();
          return;
        }
        socket.write(drip[drips++ % drip.length]);
      }, 1000);
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ cutByServer: !gaveUp, drips, answer });
      });
      socket.on('error', () => undefined);
      socket.write(head);
    });
  }

  it('cuts a request whose body, or whose headers, come a byte at a time', async () => {
    const [body, headers] = await Promise.all([
      trickle('POST /ams/api/v1/payments/pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{', '"'),
      trickle('POST /ams/api/v1/payments/pay HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a'),
    ]);
    // REQUEST_TIMEOUT_MS 2 s (headers 1 s), enforced by Node's connection check (listener-timeouts.ts): the server
    // cuts both after a few of the one-a-second drips (bounded by count: the trickle gives up, uncut, after
    // DRIPS_AT_MOST), long before either request is whole.
    expect(body).toMatchObject({ cutByServer: true });
    expect(headers).toMatchObject({ cutByServer: true });
  }, 60_000);

  it('reads a merchant notify answer only up to its limit, records the attempt and retries', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const receiver = await startReceiver((_r, n) => (n === 1 ? { status: 200, body: huge } : ack()));
    try {
      const res = await stack.merchant.post('payments/pay', s2sPay({ notifyUrl: `${receiver.url}/notify` }));
      expect(res.body.result.resultStatus).toBe('S');
      const attempts = await waitFor(async () => {
        const rows = await stack.db.query(
          `SELECT a.attempt, a.outcome, a.error FROM notification_attempt a JOIN merchant_notification n ON n.id = a.notification_id
             JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.notify_type = 'PAYMENT_RESULT' ORDER BY a.attempt`,
          [res.body.paymentId],
        );
        return rows.length >= 2 ? rows : null;
      }, 20_000);
      expect(attempts[0]).toMatchObject({ outcome: 'ERROR', error: expect.stringContaining('larger than 16384 bytes') });
      expect(attempts[1]).toMatchObject({ outcome: 'ACKED' });
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
