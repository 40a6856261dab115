import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * An updateAmount left PROCESSING (the acquirer said U, or never saw it) is settled by the reconciliation
 * worker alone — the same updateRequestId resent, its answer applied as the synchronous one is — whatever
 * the payment did meanwhile (a cancel: the row still becomes final). Antom's UPDATE_AMOUNT_RESULT
 * notification (the sandbox sends it for every approved update) is applied once, never twice.
 */
describe('updateAmount reconciliation and UPDATE_AMOUNT_RESULT', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  // The worker's first resend 3 s after the update (the notification, sent at once, comes well before it);
  // then every second. No client resend: the merchant sees the hiccup as U.
  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startTestStack({
      WORKERS_ENABLED: 'true',
      WORKER_POLL_MS: '100',
      RECONCILE_FIRST_DELAY_SECONDS: '3',
      RECONCILE_INTERVAL_SECONDS: '1',
      UPSTREAM_RETRIES: '0',
      // The unreachable-acquirer test's 503s must not open the circuit breaker for the next test's pay (it did: U).
      UPSTREAM_BREAKER_MIN_CALLS: '10000',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  const post = async (api: string, body: object) => {
    const res = await stack.merchant.post(`payments/${api}`, body);
    expect(res.status).toBe(200);
    return res.body;
  };
  const eur = (value: string) => ({ currency: 'EUR', value });
  const authorize = async (value: string) => {
    const pay = await post('pay', s2sPay({ captureMode: 'MANUAL', value, notifyUrl: receiver.url }));
    expect(pay.result.resultStatus).toBe('S');
    return pay;
  };
  const payment = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status, authorized_amount::text AS a FROM payment WHERE payment_id = $1', [paymentId]))[0];
  const updateRow = async (updateRequestId: string) =>
    (
      await stack.db.query(
        'SELECT id, status, result_status, result_code, next_reconcile_at, reconcile_attempts FROM amount_update WHERE update_request_id = $1',
        [updateRequestId],
      )
    )[0];
  const updateEvents = async (paymentUuid: string) =>
    (await stack.db.query(
      `SELECT type, detail->>'source' AS source FROM payment_event WHERE payment_id = $1 AND type LIKE 'AMOUNT_UPDATE%' ORDER BY id`,
      [paymentUuid],
    )) as Array<{ type: string; source: string | null }>;
  const settled = (updateRequestId: string, timeoutMs = 15_000) =>
    waitFor(
      async () => {
        const u = await updateRow(updateRequestId);
        return u?.status !== 'PROCESSING' && u;
      },
      timeoutMs,
      100,
    );
  // The merchant's UPDATE_AMOUNT_RESULT notices (notifyPayment, as Antom sends them): one per final update.
  const notices = async (paymentUuid: string) =>
    (
      (await stack.db.query(`SELECT body FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'UPDATE_AMOUNT_RESULT'`, [
        paymentUuid,
      ])) as Array<{ body: string }>
    ).map((r) => JSON.parse(r.body));
  const delivered = (updateId: string) =>
    waitFor(
      async () =>
        (
          await stack.db.query(
            `SELECT count(*)::int AS n FROM sandbox.notification WHERE notify_type = 'UPDATE_AMOUNT_RESULT' AND body::jsonb->>'updateRequestId' = $1 AND status <> 'PENDING'`,
            [updateId],
          )
        )[0].n > 0,
      15_000,
      100,
    );

  it('an update the acquirer never saw (U) stays PROCESSING, then the worker resends it and applies S, no merchant call', async () => {
    const pay = await authorize('100000');
    const id = randomUUID();
    const first = await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('190003') }); // …90003: HTTP 500 once, nothing processed
    expect(first.result).toMatchObject({ resultStatus: 'U' });
    const open = await updateRow(id);
    expect(open).toMatchObject({ status: 'PROCESSING', result_status: 'U' });
    expect(open.next_reconcile_at).not.toBeNull();
    expect((await payment(pay.paymentId)).a).toBe('100000');

    const done = await settled(id);
    expect(done).toMatchObject({ status: 'SUCCESS', result_status: 'S', next_reconcile_at: null });
    const p = await payment(pay.paymentId);
    expect(p.a).toBe('190003');
    // The acquirer's UPDATE_AMOUNT_RESULT for the resend arrives after: applied already, not again.
    await delivered(done.id);
    expect(await updateEvents(p.id)).toEqual([
      { type: 'AMOUNT_UPDATE_REQUESTED', source: null },
      { type: 'AMOUNT_UPDATED', source: 'RECONCILIATION' },
    ]);
    expect((await payment(pay.paymentId)).a).toBe('190003');
    expect(await notices(p.id)).toEqual([
      expect.objectContaining({
        notifyType: 'UPDATE_AMOUNT_RESULT',
        result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
        updateRequestId: id,
        paymentId: pay.paymentId,
        paymentRequestId: expect.any(String),
        paymentAmount: eur('190003'),
      }),
    ]);
  });

  it('cancelled with an update still open: the update still becomes final, as the acquirer answers it (AUTH_CANCELLED)', async () => {
    const pay = await authorize('100000');
    const id = randomUUID();
    expect((await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('190003') })).result.resultStatus).toBe('U'); // …90003: never processed
    expect((await post('cancel', { paymentId: pay.paymentId })).result.resultStatus).toBe('S');
    expect(await updateRow(id)).toMatchObject({ status: 'PROCESSING' });

    expect(await settled(id)).toMatchObject({ status: 'FAIL', result_status: 'F', result_code: 'AUTH_CANCELLED', next_reconcile_at: null });
    const p = await payment(pay.paymentId);
    expect(p).toMatchObject({ status: 'CANCELLED', a: '100000' });
    expect((await updateEvents(p.id)).map((e) => e.type)).toEqual(['AMOUNT_UPDATE_REQUESTED', 'AMOUNT_UPDATE_FAILED']);
    // The merchant saw U: the final F reaches them as a notice (a refusal in their own answer would not).
    expect((await notices(p.id)).map((n) => n.result.resultCode)).toEqual(['AUTH_CANCELLED']);
  });

  it('expired with an update still open: the expiry worker closes the payment, the update becomes final (AUTH_EXPIRED)', async () => {
    const pay = await authorize('100000');
    const id = randomUUID();
    expect((await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('190003') })).result.resultStatus).toBe('U'); // …90003: never processed
    const p = await payment(pay.paymentId);
    // The hold's end, moved to now on both sides (the acquirer's control and the gateway's own copy).
    const [{ up }] = await stack.db.query('SELECT upstream_payment_id AS up FROM payment WHERE id = $1', [p.id]);
    await fetch(`${stack.sandbox!.url}/sandbox/control/expire-authorization`, { method: 'POST', body: JSON.stringify({ paymentId: up }) });
    await stack.db.query(`UPDATE payment SET auth_expiry_time = now() - interval '1 second' WHERE id = $1`, [p.id]);

    expect(await settled(id)).toMatchObject({ status: 'FAIL', result_code: 'AUTH_EXPIRED', next_reconcile_at: null });
    expect(await payment(pay.paymentId)).toMatchObject({ status: 'EXPIRED', a: '100000' });
  });

  it('cancelled while the acquirer cannot be reached: after a few resends the update is written as Antom answers a closed authorization', async () => {
    const pay = await authorize('100000');
    const id = randomUUID();
    expect((await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('190003') })).result.resultStatus).toBe('U');
    expect((await post('cancel', { paymentId: pay.paymentId })).result.resultStatus).toBe('S');
    // Every resend from here meets an HTTP 503 (the acquirer stays unreachable for this API).
    await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: 'http503', api: 'payments/updateAmount', times: 1000 }),
    });
    try {
      const done = await settled(id, 20_000);
      expect(done).toMatchObject({ status: 'FAIL', result_code: 'AUTH_CANCELLED', next_reconcile_at: null });
      expect(done.reconcile_attempts).toBeGreaterThanOrEqual(5);
    } finally {
      await fetch(`${stack.sandbox!.url}/sandbox/control/faults`, { method: 'DELETE' });
    }
    expect(await payment(pay.paymentId)).toMatchObject({ status: 'CANCELLED', a: '100000' });
  });

  it('the acquirer processed the update but answered U: its UPDATE_AMOUNT_RESULT settles it, applied once even when sent twice', async () => {
    const pay = await authorize('190007'); // …90007: every notification of this payment is sent twice
    const id = randomUUID();
    const first = await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('290005') }); // …90005: processed, answered U
    expect(first.result).toMatchObject({ resultStatus: 'U' });
    const done = await settled(id, 2_500); // before the worker's first resend (3 s)
    expect(done).toMatchObject({ status: 'SUCCESS', result_status: 'S', next_reconcile_at: null });
    await delivered(done.id);
    await waitFor(
      async () =>
        (
          await stack.db.query(
            `SELECT count(*)::int AS n FROM sandbox.notification WHERE notify_type = 'UPDATE_AMOUNT_RESULT' AND body::jsonb->>'updateRequestId' = $1 AND status = 'PENDING'`,
            [done.id],
          )
        )[0].n === 0,
      15_000,
      100,
    );
    expect(
      (
        await stack.db.query(
          `SELECT count(*)::int AS n FROM sandbox.notification WHERE notify_type = 'UPDATE_AMOUNT_RESULT' AND body::jsonb->>'updateRequestId' = $1`,
          [done.id],
        )
      )[0].n,
    ).toBe(2);
    const p = await payment(pay.paymentId);
    expect(p.a).toBe('290005');
    expect(await updateEvents(p.id)).toEqual([
      { type: 'AMOUNT_UPDATE_REQUESTED', source: null },
      { type: 'AMOUNT_UPDATED', source: 'NOTIFICATION' },
    ]);
    // The merchant's retry answers the applied result; the worker finds nothing left to do.
    expect(await post('updateAmount', { updateRequestId: id, paymentId: pay.paymentId, amount: eur('290005') })).toMatchObject({
      result: { resultStatus: 'S' },
      amount: eur('290005'),
    });
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await updateEvents(p.id)).map((e) => e.type)).toEqual(['AMOUNT_UPDATE_REQUESTED', 'AMOUNT_UPDATED']);
    expect((await notices(p.id)).map((n) => n.result.resultStatus)).toEqual(['S']); // twice in, once out
    expect((await updateRow(id)).reconcile_attempts).toBe(0);
  });
});
