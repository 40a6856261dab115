import { NOTIFY_SCHEDULE_SECONDS } from '../../sandbox/notifier';
import { NOTIFY_ACK_BODY } from '../../src/antom/notify-ack';
import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';

const SCALE = 0.0001; // Antom's 24 h schedule in about 9 s

describe('sandbox: notification delivery (durable outbox, Antom retry schedule)', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness({ notifyTimeScale: SCALE });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const payWithManual = async (notifyPath: string) => {
    const res = await h.client.post('payments/pay', upstreamPay(h, { captureMode: 'MANUAL', notifyPath }));
    expect(res.body.result.resultStatus).toBe('S');
    return res.body.paymentId as string;
  };
  const outbox = async (paymentId: string) =>
    (await h.pool.query(`SELECT status, attempts, last_error FROM sandbox.notification WHERE body::jsonb->>'paymentId' = $1`, [paymentId])).rows;

  it('retries an unacknowledged notification on the whole schedule (8 sends, scaled), then gives up', async () => {
    h.receiver.respond = (n) => (n.path === '/never-acks' ? { status: 500, body: 'no' } : { status: 200, body: NOTIFY_ACK_BODY });
    const paymentId = await payWithManual('/never-acks');
    const sends = await h.receiver.waitFor((b) => b.paymentId === paymentId, 8, 30_000);
    const gaps = sends.slice(1).map((s, i) => s.at - sends[i].at);
    // Never before its scheduled time (a loaded machine only makes a gap longer, so no upper bound is asserted:
    // the count of sends, eight and no more, is what bounds the schedule).
    NOTIFY_SCHEDULE_SECONDS.slice(1).forEach((seconds, i) => expect(gaps[i]).toBeGreaterThanOrEqual(seconds * SCALE * 1000 * 0.9));
    expect(sends.every((s) => s.signatureValid)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.receiver.matching((b) => b.paymentId === paymentId)).toHaveLength(8);
    expect(await outbox(paymentId)).toEqual([{ status: 'GAVE_UP', attempts: 8, last_error: 'HTTP 500' }]);
  }, 40_000);

  it('counts only HTTP 200 with the exact ack body as delivered', async () => {
    let calls = 0;
    h.receiver.respond = (n) => {
      if (n.path !== '/picky') return { status: 200, body: NOTIFY_ACK_BODY };
      calls++;
      if (calls === 1) return { status: 200, body: '{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}' };
      if (calls === 2) return { status: 201, body: NOTIFY_ACK_BODY };
      return { status: 200, body: NOTIFY_ACK_BODY };
    };
    const paymentId = await payWithManual('/picky');
    await h.receiver.waitFor((b) => b.paymentId === paymentId, 3, 5000);
    await waitUntil(async () => (await outbox(paymentId))[0]?.status === 'DELIVERED');
    expect((await outbox(paymentId))[0]).toMatchObject({ status: 'DELIVERED', attempts: 3 });
  });

  it('resumes pending deliveries after a sandbox restart', async () => {
    h.receiver.respond = (n) => (n.path === '/down-then-up' ? { status: 503, body: '' } : { status: 200, body: NOTIFY_ACK_BODY });
    const paymentId = await payWithManual('/down-then-up');
    await h.receiver.waitFor((b) => b.paymentId === paymentId, 1);
    await h.restart();
    h.receiver.respond = () => ({ status: 200, body: NOTIFY_ACK_BODY });
    await waitUntil(async () => (await outbox(paymentId))[0]?.status === 'DELIVERED', 10_000);
    expect((await outbox(paymentId))[0].attempts).toBeGreaterThanOrEqual(2);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}
