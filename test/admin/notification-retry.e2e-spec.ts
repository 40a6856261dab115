import { randomBytes } from 'node:crypto';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { s2sPay } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';
import { AdminHttp, createScratchDatabase } from './admin-support';

jest.setTimeout(60_000);

/**
 * "Retry now" in the console must not become a way around the AVS hold: while a void decides the body of
 * an authorization's notice, sending it early would tell the merchant S for a payment about to be voided.
 */
describe('admin notification retry and the AVS hold', () => {
  let stack: TestStack;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const PASSWORD = 'Pw1-' + randomBytes(12).toString('base64url'); // fresh per run: a test password, never a secret

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // The acquirer's answer to the void takes 3 s: the window in which the notice is held is wide.
    stack = await startTestStack({
      DATABASE_URL: scratch.url,
      UPSTREAM_TIMEOUT_MS: '6000',
      UPSTREAM_RETRIES: '0',
      SANDBOX_SLOW_ANSWER_MS: '3000',
      WORKER_POLL_MS: '100',
    });
    const users = stack.app.get(AdminUsersService);
    const rita = (await users.create('rita', 'rita', 'operator'))!;
    await users.setPassword(rita.user.id, PASSWORD, false);
  });

  afterAll(async () => {
    await stack?.stop();
    await scratch?.drop();
  });

  it('shows a held notice as HELD with no Retry button, refuses a forged retry and audits it; only F is delivered', async () => {
    const m = await stack.newMerchant();
    await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
    const receiver = await startReceiver(() => ack());
    try {
      await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, {
        method: 'POST',
        body: JSON.stringify({ fault: 'slow', api: 'payments/cancel', times: 1 }),
      });
      const req = s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify` });
      const answer = m.post('payments/pay', req);
      const held = await waitFor(
        async () =>
          (
            await stack.db.query(
              `SELECT p.payment_id, n.id FROM payment p JOIN merchant_notification n ON n.payment_id = p.id
          WHERE p.payment_request_id = $1 AND p.status = 'AUTHORIZED' AND n.attempts = 0 AND n.next_attempt_at > now()`,
              [req.paymentRequestId],
            )
          )[0],
        20_000,
        20,
      );

      const http = new AdminHttp(stack.gatewayUrl);
      expect((await http.login('rita', PASSWORD)).location).toBe('/admin/payments');
      const page = await http.get(`/admin/payments/${held.payment_id}`);
      expect(page.body).toContain('<span class="badge HELD">HELD</span>');
      expect(page.body).not.toContain('Retry now');

      const forged = await http.submit(`/admin/payments/${held.payment_id}`, `/admin/payments/${held.payment_id}/notifications/${held.id}/retry`, {});
      expect(forged.status).toBe(303);
      const [still] = await stack.db.query(`SELECT attempts, next_attempt_at > now() AS held FROM merchant_notification WHERE id = $1`, [held.id]);
      expect(still).toEqual({ attempts: 0, held: true });
      const audit = await stack.db.query(`SELECT outcome FROM audit_log WHERE action = 'RETRY_NOTIFICATION' AND target = $1`, [held.payment_id]);
      expect(audit).toEqual([{ outcome: 'FAILURE' }]);

      expect((await answer).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
      await waitFor(async () => receiver.received.some((r) => JSON.parse(r.body).paymentId === held.payment_id), 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const delivered = receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.paymentId === held.payment_id);
      expect(delivered.map((b) => `${b.notifyType} ${b.result.resultStatus} ${b.result.resultCode}`)).toEqual(['PAYMENT_RESULT F RISK_REJECT']);
    } finally {
      await receiver.close();
    }
  });
});
