import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadPublicKey } from '../../src/antom/keys';
import { parseSignatureHeader, verify } from '../../src/antom/signature';
import { NotificationDeliveryWorker } from '../../src/notifications/outbox/delivery.worker';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { s2sPay } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

// 1 / 1000 of Antom's schedule: 0 s, 120 ms, 600 ms, 600 ms, 3.6 s, 7.2 s, 21.6 s, 54 s.
const SCALE = '0.001';

describe('merchant notifications: signed, Antom shapes, retried on Antom schedule, durable', () => {
  it('retries a failing merchant endpoint on the scaled schedule and stops at the ack', async () => {
    const stack = await startTestStack({ NOTIFY_TIME_SCALE: SCALE, WORKER_POLL_MS: '20' });
    const receiver = await startReceiver((_r, n) => (n < 5 ? { status: 500, body: 'down' } : ack()));
    try {
      const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify/payments?shop=1` }));
      await waitFor(async () => receiver.received.length >= 5, 15_000);
      await new Promise((r) => setTimeout(r, 800)); // nothing more may come after the ack
      const got = receiver.received.filter((r) => JSON.parse(r.body).notifyType === 'PAYMENT_RESULT');
      expect(got).toHaveLength(5);
      const gaps = got.slice(1).map((r, i) => r.at - got[i].at);
      const expected = [120, 600, 600, 3600];
      // Never before its scheduled time (a loaded machine only makes a gap longer, so no upper bound is asserted:
      // the count of sends, five and no more after the ack, is what bounds the schedule).
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(expected[i] - 5));
      const body = JSON.parse(got[4].body);
      expect(body).toMatchObject({ notifyType: 'PAYMENT_RESULT', paymentId: pay.body.paymentId, result: { resultStatus: 'S' } });
      expect(got.every((r) => r.body === got[0].body)).toBe(true);
      const sig = parseSignatureHeader(got[4].headers['signature'] as string)!;
      const key = loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem);
      expect(
        verify(
          {
            path: '/notify/payments?shop=1',
            clientId: String(got[4].headers['client-id']),
            time: String(got[4].headers['request-time']),
            body: got[4].body,
          },
          sig.signature,
          key,
        ),
      ).toBe(true);
      expect(got[4].headers['client-id']).toBe(stack.merchant.clientId);
      const attempts = await stack.db.query(
        `SELECT a.outcome FROM notification_attempt a JOIN merchant_notification n ON n.id = a.notification_id JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 ORDER BY a.id`,
        [pay.body.paymentId],
      );
      expect(attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['REJECTED', 'REJECTED', 'REJECTED', 'REJECTED', 'ACKED']);
      const timeline = await stack.db.query(
        `SELECT e.type FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id`,
        [pay.body.paymentId],
      );
      // The timeline keeps what an operator acts on: queued, and each failed attempt; the ack is the notice's
      // DELIVERED state and the attempt log above (issue 27: no timeline row per internal step).
      expect(timeline.map((e: { type: string }) => e.type).filter((t: string) => t.startsWith('NOTIFICATION_'))).toEqual([
        'NOTIFICATION_QUEUED',
        'NOTIFICATION_REJECTED',
        'NOTIFICATION_REJECTED',
        'NOTIFICATION_REJECTED',
        'NOTIFICATION_REJECTED',
      ]);
    } finally {
      await receiver.close();
      await stack.stop();
    }
  });

  it('delivers a pending notification after a gateway restart, exactly once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-restart-'));
    let fail = true;
    const receiver = await startReceiver(() => (fail ? { status: 503, body: '' } : ack()));
    const overrides = { NOTIFY_TIME_SCALE: '0.0005', WORKER_POLL_MS: '20', GATEWAY_DATA_DIR: dataDir };
    let stack: TestStack = await startTestStack(overrides);
    try {
      const merchant = stack.merchant;
      const pay = await merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', notifyUrl: `${receiver.url}/hook` }));
      await waitFor(async () => receiver.received.length >= 2);
      await stack.stop();
      const before = receiver.received.length;
      fail = false;
      stack = await startTestStack(overrides);
      await waitFor(async () => receiver.received.length > before, 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const acked = receiver.received.slice(before).filter((r) => JSON.parse(r.body).paymentId === pay.body.paymentId);
      expect(acked).toHaveLength(1);
      const row = (
        await stack.db.query(
          `SELECT n.status, n.attempts FROM merchant_notification n JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.notify_type = 'PAYMENT_RESULT'`,
          [pay.body.paymentId],
        )
      )[0];
      expect(row.status).toBe('DELIVERED');
      expect(row.attempts).toBe(before + 1);
    } finally {
      await receiver.close();
      await stack.stop();
    }
  });

  it("sends one payment's notices in lifecycle order, each only after the previous one's ack, when they are due together", async () => {
    const stack = await startTestStack({ WORKERS_ENABLED: 'false' }); // the test runs the delivery ticks itself
    const slowAck = () => new Promise<ReturnType<typeof ack>>((r) => setTimeout(() => r(ack()), 150));
    const receiver = await startReceiver(slowAck);
    try {
      const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '1000', notifyUrl: `${receiver.url}/hook` }));
      const { paymentId } = pay.body;
      const capture = await stack.merchant.post('payments/capture', {
        captureRequestId: `CAP_${paymentId}`,
        paymentId,
        captureAmount: { currency: 'EUR', value: '1000' },
      });
      expect(capture.body.result.resultStatus).toBe('S');
      const refund = await stack.merchant.post('payments/refund', {
        refundRequestId: `REF_${paymentId}`,
        paymentId,
        refundAmount: { currency: 'EUR', value: '400' },
      });
      expect(refund.body.result.resultStatus).toBe('S');

      const sent = () => receiver.received.filter((r) => JSON.parse(r.body).paymentId === paymentId).map((r) => JSON.parse(r.body).notifyType);
      const worker = stack.app.get(NotificationDeliveryWorker).worker;
      await worker.runOnce(); // all three are due: only the oldest goes
      expect(sent()).toEqual(['PAYMENT_RESULT']);
      await worker.runOnce();
      await worker.runOnce();
      expect(sent()).toEqual(['PAYMENT_RESULT', 'CAPTURE_RESULT', 'REFUND_RESULT']);
    } finally {
      await receiver.close();
      await stack.stop();
    }
  });
});
