import { s2sPay } from '../support/fixtures';
import { ack, startReceiver } from '../support/receiver';
import { GatewayProcess, sleep } from './support/gateway-process';

/**
 * REVIEW (defect, fixed): the delivery worker once sent a payment's notices one after another and awaited
 * their result writes only after the last: a failed write of an earlier notice (a database error) while a
 * later one was still being sent had no handler yet, and Node's default `--unhandled-rejections=throw`
 * ended the whole gateway. Now a claim takes one notice per payment and the tick awaits every write; this
 * suite keeps the gateway honest about a failing result write.
 */
jest.setTimeout(300_000);

describe("notification delivery: a failed result write while the payment's next notice is in flight", () => {
  let gw: GatewayProcess;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    // A slow merchant for capture notices (4 s), quick for the rest.
    receiver = await startReceiver(async (r) => {
      if (r.body.includes('CAPTURE_RESULT')) await sleep(4000);
      return ack();
    });
    gw = await GatewayProcess.open({
      name: 'notify-rejection',
      merchant: { notifyUrl: `${receiver.url}/notify` },
      env: { RECONCILE_FIRST_DELAY_SECONDS: '60', UPSTREAM_TIMEOUT_MS: '2000', UPSTREAM_RETRIES: '0' },
    });
  }, 300_000);

  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  it('the gateway survives; the failed write is retried by the lease', async () => {
    const req = s2sPay({ captureMode: 'MANUAL' });
    const paid = await gw.merchant.post('payments/pay', req);
    expect(paid.body.result.resultStatus).toBe('S');
    const cap = await gw.merchant.post('payments/capture', {
      captureRequestId: `CAP_${paid.body.paymentId}`,
      paymentId: paid.body.paymentId,
      captureAmount: req.paymentAmount,
      isLastCapture: true,
    });
    expect(cap.body.result.resultStatus).toBe('S');
    const [{ id: paymentUuid }] = await gw.q(`SELECT id FROM payment WHERE payment_id = $1`, [paid.body.paymentId]);
    const notices = async () =>
      gw.q(`SELECT id, notify_type, status FROM merchant_notification WHERE payment_id = $1 ORDER BY created_at`, [paymentUuid]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await notices()).filter((n) => n.status === 'DELIVERED').length < 2) await sleep(200);
    const ns = await notices();
    expect(ns.map((n) => `${n.notify_type} ${n.status}`)).toEqual(['PAYMENT_RESULT DELIVERED', 'CAPTURE_RESULT DELIVERED']);
    const fn = `review_fail_${paymentUuid.replace(/-/g, '')}`;
    // A database error on the PAYMENT_RESULT's result write (what a failover or a statement timeout does).
    await gw.q(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.notification_id = '${ns[0].id}' THEN RAISE EXCEPTION 'simulated write failure'; END IF; RETURN NEW; END $$`,
    );
    await gw.q(`CREATE TRIGGER ${fn} BEFORE INSERT ON notification_attempt FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      // Both notices due again together (as an admin retry of each, or two retries falling due at once).
      await gw.q(`UPDATE merchant_notification SET status = 'PENDING', next_attempt_at = now() WHERE payment_id = $1`, [paymentUuid]);
      await sleep(8000);
    } finally {
      await gw.q(`DROP TRIGGER IF EXISTS ${fn} ON notification_attempt`);
      await gw.q(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
    expect({ running: gw.running, healthy: await gw.healthy() }).toEqual({ running: true, healthy: true });
  });
});
