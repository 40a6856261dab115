import { s2sPay } from '../support/fixtures';
import { GatewayProcess, sleep } from './support/gateway-process';

/**
 * REVIEW (defect, fixed): CaptureService.cancel wrote cancel_requested_at but no next_reconcile_at before its
 * upstream call. A gateway killed during that call left an AUTHORIZED payment that nothing ever looked at
 * again: reconciliation only claims rows with next_reconcile_at set, so the cancel was never resent and the
 * gateway's record never learned whether the acquirer voided the hold.
 */
jest.setTimeout(300_000);

describe('cancel: killed while the cancel is upstream', () => {
  let gw: GatewayProcess;
  beforeAll(async () => {
    gw = await GatewayProcess.open({
      name: 'cancel-kill',
      sandbox: { slowAnswerMs: 20_000 },
      env: { RECONCILE_FIRST_DELAY_SECONDS: '60', UPSTREAM_TIMEOUT_MS: '3000', UPSTREAM_RETRIES: '0' },
    });
  }, 300_000);
  afterAll(async () => gw?.close());

  it('a restarted gateway resends the cancel and settles the payment', async () => {
    const paid = await gw.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL' }));
    expect(paid.body.result.resultStatus).toBe('S');
    await gw.slowNext('payments/cancel');
    void gw.merchant.post('payments/cancel', { paymentId: paid.body.paymentId }).catch(() => 'no-answer');
    const row = async () =>
      (await gw.q(`SELECT id, status, cancel_requested_at, next_reconcile_at FROM payment WHERE payment_id = $1`, [paid.body.paymentId]))[0];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await row())?.cancel_requested_at) await sleep(25);
    await gw.kill();
    await gw.start();
    const until = Date.now() + 40_000;
    while (Date.now() < until && (await row()).status !== 'CANCELLED') await sleep(500);
    const final = await row();
    expect({ status: final.status, nextReconcileAt: final.next_reconcile_at }).toEqual({ status: 'CANCELLED', nextReconcileAt: null });
  });
});
