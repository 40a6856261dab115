import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { GatewayProcess, sleep } from './support/gateway-process';

/**
 * updateAmount crash safety: the gateway is killed (SIGKILL) after the acquirer raised the hold, before the
 * answer was written. The update row, reserved before the call, is reconciliation's work: the restarted
 * gateway settles it by itself — no merchant retry — raising the authorized total once, operating nothing
 * twice upstream (the resend carries the same updateRequestId).
 */
jest.setTimeout(300_000);

describe('updateAmount: SIGKILL after the acquirer answered, then restart', () => {
  let gw: GatewayProcess;
  beforeAll(async () => {
    gw = await GatewayProcess.open({ name: 'amount-update-crash', sandbox: { notifyTimeScale: 1 } });
  }, 300_000);
  afterAll(async () => {
    await gw?.close();
  });

  it('the restarted gateway settles the open update without any merchant call', async () => {
    const pay = s2sPay({ captureMode: 'MANUAL', value: '10000' });
    const paid = await gw.merchant.post('payments/pay', pay);
    expect(paid.body.result.resultStatus).toBe('S');

    await gw.kill('SIGTERM');
    await gw.start('after-upstream-update-amount');
    const died = gw.exited();
    const updateRequestId = randomUUID();
    await gw.merchant
      .post('payments/updateAmount', { updateRequestId, paymentId: paid.body.paymentId, amount: { currency: 'EUR', value: '15000' } })
      .catch(() => 'no-answer');
    expect(await died).toBe('SIGKILL');
    const [open] = await gw.q(`SELECT id, status FROM amount_update WHERE update_request_id = $1`, [updateRequestId]);
    expect(open.status).toBe('PROCESSING'); // reserved before the call, never answered
    await gw.start();

    const deadline = Date.now() + 60_000;
    let u = open;
    while (u.status === 'PROCESSING' && Date.now() < deadline) {
      await sleep(200);
      [u] = await gw.q(`SELECT id, status, next_reconcile_at FROM amount_update WHERE id = $1`, [open.id]);
    }
    expect(u).toMatchObject({ status: 'SUCCESS', next_reconcile_at: null });
    const [p] = await gw.q(`SELECT id, authorized_amount::text AS a, upstream_payment_id AS up FROM payment WHERE payment_id = $1`, [
      paid.body.paymentId,
    ]);
    expect(p.a).toBe('15000');
    const events = await gw.q(`SELECT type FROM payment_event WHERE payment_id = $1 AND type = 'AMOUNT_UPDATED'`, [p.id]);
    expect(events).toHaveLength(1);
    const upstream = await gw.q(`SELECT count(*)::int AS n FROM sandbox.amount_update WHERE client_id = $1 AND payment_id = $2`, [
      gw.sandboxClientId,
      p.up,
    ]);
    expect(upstream).toEqual([{ n: 1 }]);
  });
});
