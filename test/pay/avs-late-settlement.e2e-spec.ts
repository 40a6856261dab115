import { s2sPay, seedExample } from '../support/fixtures';
import { MerchantClient } from '../support/merchant-client';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * The merchant's AVS/CVV policy applies to every card authorization, whenever and however it settles:
 * after a 3DS challenge or an unknown answer, by Antom's notification or by an inquiry, and on the
 * hosted-form pay path. Under VOID the merchant is only ever told F RISK_REJECT, and the hold is
 * cancelled upstream; under REVIEW the late result is flagged.
 */
jest.setTimeout(90_000);

describe('AVS/CVV policy on authorizations settled after the pay call', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    // 0.02: the sandbox's late authorization (…90011) lands after 2.4 s, an out-of-order PAYMENT_RESULT (…90008) after 12 s.
    stack = await startTestStack({
      SANDBOX_NOTIFY_TIME_SCALE: '0.02',
      UPSTREAM_TIMEOUT_MS: '6000',
      UPSTREAM_RETRIES: '0',
      SANDBOX_SLOW_ANSWER_MS: '3000',
      WORKER_POLL_MS: '100',
    });
    receiver = await startReceiver(() => ack());
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  const merchantWith = async (policy: 'ACCEPT' | 'REVIEW' | 'VOID'): Promise<MerchantClient> => {
    const m = await stack.newMerchant();
    await stack.db.query(`UPDATE merchant SET avs_policy = $2 WHERE client_id = $1`, [m.clientId, policy]);
    return m;
  };
  const row = async (paymentId: string) =>
    (await stack.db.query(`SELECT id, status, result_code, payment_result_info FROM payment WHERE payment_id = $1`, [paymentId]))[0] as {
      id: string;
      status: string;
      result_code: string;
      payment_result_info: Record<string, unknown>;
    };
  const events = async (paymentId: string): Promise<string[]> =>
    (
      await stack.db.query(`SELECT e.type FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id`, [
        paymentId,
      ])
    ).map((e: { type: string }) => e.type);
  const delivered = (paymentId: string) =>
    receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.paymentId === paymentId && b.notifyType === 'PAYMENT_RESULT');
  const results = (paymentId: string) => delivered(paymentId).map((b) => `${b.result.resultStatus} ${b.result.resultCode}`);
  const upstreamCancelled = async (id: string) =>
    (await stack.db.query(`SELECT cancelled_at FROM sandbox.payment WHERE payment_request_id = $1`, [id]))[0]?.cancelled_at != null;

  /** The buyer on the sandbox's pages: a plain form post, as the browser would send it. */
  const submit = (url: string, form: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const challengedPay = async (m: MerchantClient, value?: string) => {
    const req = s2sPay({ cardNo: '4000000000003238', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify`, value });
    req.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const res = await m.post('payments/pay', req);
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    return res.body as { paymentId: string; normalUrl: string };
  };

  /** Only F RISK_REJECT ever reaches the merchant: waits a moment more for a second (wrong) notice. */
  const expectOnlyRiskReject = async (paymentId: string) => {
    await waitFor(async () => delivered(paymentId).length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(results(paymentId)).toEqual(['F RISK_REJECT']);
  };

  it('VOID: a 3DS challenge approved, then the notification with failed AVS → cancelled upstream, the merchant hears only F RISK_REJECT', async () => {
    const m = await merchantWith('VOID');
    const pay = await challengedPay(m);
    expect((await submit(pay.normalUrl, { action: 'approve', otp: '123456' })).status).toBe(303);
    const p = await waitFor(async () => {
      const r = await row(pay.paymentId);
      return r.status === 'CANCELLED' ? r : null;
    }, 15_000);
    expect(p.result_code).toBe('RISK_REJECT');
    expect(p.payment_result_info.checks).toMatchObject({ addressLine1Check: 'fail', postalCodeCheck: 'fail' });
    expect(await upstreamCancelled(p.id)).toBe(true);
    // The notice is queued after the cancel is booked (the policy releases it then): wait for it, by event order.
    const types = await waitFor(async () => {
      const t = await events(pay.paymentId);
      return t.includes('CANCELLED') && t.indexOf('NOTIFICATION_QUEUED') > t.indexOf('CANCELLED') ? t : null;
    }, 15_000);
    expect(types).toContain('AUTHORIZATION_NOTIFICATION'); // settled by the notification, after the pay call
    await expectOnlyRiskReject(pay.paymentId);
    const inquiry = await m.post('payments/inquiryPayment', { paymentId: pay.paymentId });
    expect(inquiry.body).toMatchObject({ paymentStatus: 'CANCELLED', paymentResultCode: 'RISK_REJECT' });
  });

  it("VOID: the same challenge settled by inquiry (the acquirer's notification is late) → cancelled upstream, only F RISK_REJECT", async () => {
    const m = await merchantWith('VOID');
    const pay = await challengedPay(m, '1090008'); // …90008: the sandbox holds the PAYMENT_RESULT back (12 s here)
    expect((await submit(pay.normalUrl, { action: 'approve', otp: '123456' })).status).toBe(303);
    const inquiry = await m.post('payments/inquiryPayment', { paymentId: pay.paymentId });
    expect(inquiry.body).toMatchObject({ paymentStatus: 'CANCELLED', paymentResultCode: 'RISK_REJECT' });
    const p = await row(pay.paymentId);
    expect(await upstreamCancelled(p.id)).toBe(true);
    expect(await events(pay.paymentId)).toContain('AUTHORIZATION_INQUIRY');
    await expectOnlyRiskReject(pay.paymentId);
  });

  it('VOID: an unknown pay answer (…90011), authorized later with failed AVS → cancelled upstream, only F RISK_REJECT', async () => {
    const m = await merchantWith('VOID');
    const res = await m.post(
      'payments/pay',
      s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', value: '1090011', notifyUrl: `${receiver.url}/notify` }),
    );
    expect(res.body.result.resultStatus).toBe('U');
    const p = await waitFor(async () => {
      const r = await row(res.body.paymentId);
      return r.status === 'CANCELLED' ? r : null;
    }, 20_000);
    expect(p.result_code).toBe('RISK_REJECT');
    expect(await upstreamCancelled(p.id)).toBe(true);
    await expectOnlyRiskReject(res.body.paymentId);
  });

  it("REVIEW: a late authorization with failed AVS is flagged, with a REVIEW_REQUIRED event and the flag in the merchant's notice", async () => {
    const m = await merchantWith('REVIEW');
    const res = await m.post(
      'payments/pay',
      s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', value: '1090011', notifyUrl: `${receiver.url}/notify` }),
    );
    expect(res.body.result.resultStatus).toBe('U');
    const notice = await waitFor(async () => delivered(res.body.paymentId)[0], 20_000);
    expect(notice.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(notice.paymentResultInfo.reviewRequired).toBe(true);
    const p = await row(res.body.paymentId);
    expect(p.status).toBe('AUTHORIZED');
    expect(p.payment_result_info.reviewRequired).toBe(true);
    const types = await events(res.body.paymentId);
    expect(types.filter((t) => t === 'REVIEW_REQUIRED')).toHaveLength(1);
    expect(types.indexOf('REVIEW_REQUIRED')).toBeGreaterThan(
      types.findIndex((t) => t.startsWith('AUTHORIZATION_') && t !== 'AUTHORIZATION_RESPONSE'),
    );
    const inquiry = await m.post('payments/inquiryPayment', { paymentId: res.body.paymentId });
    expect(inquiry.body.paymentResultInfo.reviewRequired).toBe(true);
  });

  it("VOID on the hosted-form path: the card typed on the acquirer's page fails CVV → cancelled upstream, only F RISK_REJECT", async () => {
    const m = await merchantWith('VOID');
    const req = seedExample('pay-hosted-form.json');
    req.paymentRequestId = `PAY_HOSTED_${Date.now()}`;
    req.paymentNotifyUrl = `${receiver.url}/notify`;
    req.paymentRedirectUrl = 'http://127.0.0.1:9/merchant/return';
    req.paymentFactor.captureMode = 'MANUAL';
    const pay = await m.post('payments/pay', req);
    expect(pay.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    // 4000000000000101: authorized, CVV raw N.
    expect((await submit(pay.body.normalUrl, { cardNo: '4000000000000101', expiryMonth: '12', expiryYear: '39', cvv: '123' })).status).toBe(303);
    const p = await waitFor(async () => {
      const r = await row(pay.body.paymentId);
      return r.status === 'CANCELLED' ? r : null;
    }, 15_000);
    expect(p.payment_result_info.checks).toMatchObject({ cvcCheck: 'fail' });
    expect(await upstreamCancelled(p.id)).toBe(true);
    await expectOnlyRiskReject(pay.body.paymentId);
  });

  // A notification cannot tell a pay call in flight from one that died (see test/crash/avs-crash), so it
  // decides the policy itself, from the merchant's row: the policy in force now, not the pay call's cached one.
  it('policy switched ACCEPT → VOID while the pay path still has ACCEPT cached: the notification applies VOID, its notice goes out at once, not when its hold passes', async () => {
    const m = await merchantWith('ACCEPT');
    expect((await m.post('payments/pay', s2sPay({ captureMode: 'MANUAL' }))).body.result.resultStatus).toBe('S'); // the merchant is cached with ACCEPT
    await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
    // The acquirer authorizes and notifies at once, its synchronous answer comes 3 s later: the notification settles first.
    await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'slow', api: 'payments/pay', times: 1 }),
    });
    const res = await m.post('payments/pay', s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify` }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' }); // decided by the notification
    const types = await events(res.body.paymentId);
    expect(types).toContain('AUTHORIZATION_NOTIFICATION'); // the race did happen
    expect(types).toContain('NOTIFICATION_HELD');
    await waitFor(async () => delivered(res.body.paymentId).length > 0, 60_000);
    // At once, shown by the order of events rather than a stopwatch: the held notice was released (queued
    // again, deliverable now) and then delivered; a notice left to its hold (72 s here) is never re-queued.
    const after = await events(res.body.paymentId);
    expect(after.indexOf('NOTIFICATION_QUEUED')).toBeGreaterThan(after.indexOf('NOTIFICATION_HELD'));
    expect(results(res.body.paymentId)).toEqual(['F RISK_REJECT']);
    expect(await upstreamCancelled((await row(res.body.paymentId)).id)).toBe(true);
  });
});
