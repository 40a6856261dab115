import { s2sPay } from '../support/fixtures';
import { GatewayProcess, sleep } from './support/gateway-process';

/**
 * REVIEW (defect, fixed in AvsPolicyService.decideVoid): on the pay path the VOID decision was not written
 * before the void's upstream cancel: the held S notice was rewritten to F only after the cancel returned. A
 * gateway killed during that cancel (kill -9, OOM, a deploy) left the held S body, which went out when its
 * hold passed: the merchant was told S for an authorization that was voided.
 */
jest.setTimeout(300_000);

describe('AVS VOID on the pay path: killed while the void is upstream', () => {
  let gw: GatewayProcess;
  beforeAll(async () => {
    gw = await GatewayProcess.open({
      name: 'avs-kill',
      merchant: { avsPolicy: 'VOID' },
      sandbox: { slowAnswerMs: 20_000 },
      env: { RECONCILE_FIRST_DELAY_SECONDS: '60', UPSTREAM_TIMEOUT_MS: '3000', UPSTREAM_RETRIES: '0' },
    });
  }, 300_000);
  afterAll(async () => gw?.close());

  it('VOID policy: the merchant is never told S', async () => {
    await gw.slowNext('payments/cancel');
    const req = s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL' }); // S with AVS N
    void gw.merchant.post('payments/pay', req).catch(() => 'no-answer');
    const row = async () =>
      (
        await gw.q(
          `SELECT p.id, p.status, p.result_code, p.cancel_requested_at FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE m.client_id = $1 AND p.payment_request_id = $2`,
          [gw.merchant.clientId, req.paymentRequestId],
        )
      )[0];
    // The void is upstream once the cancel was asked for (it is written first).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await row())?.cancel_requested_at) await sleep(25);
    expect((await row()).status).toBe('AUTHORIZED');
    await gw.kill();
    await gw.start();
    // Past the notice hold (2 × 3 s × 1 + 60 s).
    const told = () =>
      gw.receiver
        .matching((b) => b.paymentRequestId === req.paymentRequestId && b.notifyType === 'PAYMENT_RESULT')
        .map((n) => `${n.body.result.resultStatus} ${n.body.result.resultCode}`);
    const until = Date.now() + 80_000;
    while (Date.now() < until && told().length === 0) await sleep(500);
    expect(told()).toEqual(['F RISK_REJECT']);
    const until2 = Date.now() + 30_000;
    while (Date.now() < until2 && (await row()).status !== 'CANCELLED') await sleep(250);
    expect((await row()).status).toBe('CANCELLED');
  });
});
