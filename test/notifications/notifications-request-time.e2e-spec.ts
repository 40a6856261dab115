import * as fs from 'node:fs';
import * as path from 'node:path';

import { request } from 'undici';

import { loadPrivateKey } from '../../src/antom/keys';
import { formatSignatureHeader, sign } from '../../src/antom/signature';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Issue 18: /antom/notify applied an acquirer-signed result 30 days old, and took `request-time:
 * not-a-time`. Now a notification whose Request-Time does not parse or lies outside the window is
 * acknowledged (so Antom stops resending it) but not applied; the payment is reconciled by inquiry.
 */
describe('acquirer notifications: Request-Time window', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100' });
  });
  afterAll(async () => stack?.stop());

  async function notifyAt(time: string, body: object) {
    const creds = JSON.parse(fs.readFileSync(path.join(stack.app.get(GatewayConfig).dataDir, 'keys', 'sandbox-credentials.json'), 'utf8'));
    const raw = JSON.stringify(body);
    const signature = sign({ path: '/antom/notify', clientId: creds.clientId, time, body: raw }, loadPrivateKey(creds.sandboxPrivateKeyPem));
    const res = await request(`${stack.gatewayUrl}/antom/notify`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'client-id': creds.clientId, 'request-time': time, signature: formatSignatureHeader(signature) },
    });
    return { status: res.statusCode, body: (await res.body.json()) as { result: Record<string, string> } };
  }

  /** An authorized payment whose answer the gateway "lost" (UNKNOWN), and a signed F result for it. */
  async function lostPayment() {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '2500' }));
    expect(pay.body.result.resultStatus).toBe('S');
    const [p] = await stack.db.query('SELECT id, upstream_payment_id FROM payment WHERE payment_id = $1', [pay.body.paymentId]);
    // The sandbox's own result notification must be in first, or it would race the one under test.
    await waitFor(
      async () =>
        (
          await stack.db.query(
            `SELECT 1 FROM sandbox.notification WHERE notify_type = 'PAYMENT_RESULT' AND body::jsonb->>'paymentRequestId' = $1 AND status <> 'PENDING'`,
            [p.id],
          )
        )[0],
      15_000,
    );
    await stack.db.query(`UPDATE payment SET status = 'UNKNOWN', next_reconcile_at = now() + interval '1 hour' WHERE id = $1`, [p.id]);
    const failed = {
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'failed' },
      paymentRequestId: p.id,
      paymentId: p.upstream_payment_id,
      paymentAmount: { currency: 'EUR', value: '2500' },
      paymentCreateTime: new Date().toISOString(),
    };
    return { id: p.id as string, failed };
  }

  const status = async (id: string) => (await stack.db.query('SELECT status FROM payment WHERE id = $1', [id]))[0].status;

  it.each([
    ['30 days old', new Date(Date.now() - 30 * 86400_000).toISOString()],
    ['10 minutes ahead', new Date(Date.now() + 600_000).toISOString()],
    ['not a time', 'not-a-time'],
    ['a local time without offset', '2026-11-26T12:00:00'],
  ])('acknowledges but never applies a signed result whose Request-Time is %s, and reconciles by inquiry instead', async (_what, time) => {
    const { id, failed } = await lostPayment();
    const res = await notifyAt(time, failed);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
    expect(await status(id)).not.toBe('FAILED'); // an applied notification would have settled it before the ack
    // The inquiry finds what the acquirer really decided: authorized, not the replayed failure.
    await waitFor(async () => (await status(id)) === 'AUTHORIZED', 15_000);
    const events = await stack.db.query(`SELECT to_status FROM payment_event WHERE payment_id = $1 AND to_status = 'FAILED'`, [id]);
    expect(events).toEqual([]);
    await waitFor(async () => stack.logLines().some((l) => l.msg === 'notification not applied: inquiring instead'), 5_000);
  });

  it('still applies a result signed just now', async () => {
    const { id, failed } = await lostPayment();
    const res = await notifyAt(new Date().toISOString(), failed);
    expect(res.body.result.resultStatus).toBe('S');
    expect(await status(id)).toBe('FAILED');
  });
});
