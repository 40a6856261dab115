import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/**
 * payments/updateAmount (incremental authorization) through the gateway against the sandbox: the new
 * authorized total, its guards, idempotency, the issuer's decline, an upstream hiccup, and updateAmount +
 * capture + cancel fired at once on one payment.
 */
describe('updateAmount: incremental authorization of a manual pre-auth', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKERS_ENABLED: 'false', UPSTREAM_RETRIES: '0' });
  }); // no resend: the merchant sees the hiccup
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (api: string, body: object) => {
    const res = await stack.merchant.post(`payments/${api}`, body);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    return res.body;
  };
  const eur = (value: string) => ({ currency: 'EUR', value });
  const update = (paymentId: string, value: string, updateRequestId: string = randomUUID()) =>
    post('updateAmount', { updateRequestId, paymentId, amount: eur(value) });
  const row = async (paymentId: string) =>
    (
      await stack.db.query(
        'SELECT id, status, authorized_amount::text AS a, captured_amount::text AS c, upstream_payment_id AS u FROM payment WHERE payment_id = $1',
        [paymentId],
      )
    )[0];
  const events = async (paymentId: string) =>
    (await stack.db.query(
      'SELECT e.type, e.amount::text AS amount FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id',
      [paymentId],
    )) as Array<{ type: string; amount: string | null }>;

  async function authorize(value = '10000', captureMode: 'MANUAL' | 'AUTOMATIC' = 'MANUAL') {
    const pay = await post('pay', s2sPay({ captureMode, value }));
    expect(pay.result.resultStatus).toBe('S');
    return pay;
  }

  it('raises the authorized total; the capture may then take it; the same updateRequestId answers the same', async () => {
    const pay = await authorize('10000');
    expect(pay.paymentResultInfo.incrementalAuthorizationAvailable).toBe(true);
    const id = randomUUID();
    const up = await update(pay.paymentId, '15000', id);
    expect(up).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      updateRequestId: id,
      paymentId: pay.paymentId,
      amount: eur('15000'),
    });
    expect(await row(pay.paymentId)).toMatchObject({ status: 'AUTHORIZED', a: '15000', c: '0' });
    expect(await update(pay.paymentId, '15000', id)).toEqual(up);
    expect((await update(pay.paymentId, '16000', id)).result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    const upstream = await stack.db.query('SELECT count(*)::int AS n, max(authorized_amount)::text AS a FROM sandbox.payment WHERE payment_id = $1', [
      (await row(pay.paymentId)).u,
    ]);
    expect(upstream[0]).toEqual({ n: 1, a: '15000' });
    expect((await post('inquiryPayment', { paymentId: pay.paymentId })).paymentResultInfo.incrementalAuthorizationAvailable).toBe(true);

    const cap = await post('capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('15000') });
    expect(cap.result.resultStatus).toBe('S');
    expect((await update(pay.paymentId, '20000')).result).toMatchObject({ resultStatus: 'F', resultCode: 'INCREMENTAL_NOT_SUPPORT' });
    expect((await post('inquiryPayment', { paymentId: pay.paymentId })).paymentResultInfo.incrementalAuthorizationAvailable).toBe(false);
    const timeline = await events(pay.paymentId);
    expect(timeline.filter((e) => e.type.startsWith('AMOUNT_UPDATE'))).toEqual([
      { type: 'AMOUNT_UPDATE_REQUESTED', amount: '15000' },
      { type: 'AMOUNT_UPDATED', amount: '15000' },
    ]);
  });

  it('refuses bad input and payments that cannot be raised, each with its precise code', async () => {
    const pay = await authorize('10000');
    const cases: Array<[object, string, RegExp?]> = [
      [{ updateRequestId: randomUUID(), paymentId: pay.paymentId }, 'PARAM_ILLEGAL', /amount: is required/],
      [{ paymentId: pay.paymentId, amount: eur('12000') }, 'PARAM_ILLEGAL', /updateRequestId: is required/],
      [{ updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: eur('12.50') }, 'PARAM_ILLEGAL', /amount\.value/],
      [
        { updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: { currency: 'USD', value: '12000' } },
        'PARAM_ILLEGAL',
        /amount\.currency: must be EUR/,
      ],
      [
        { updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: eur('10000') },
        'PARAM_ILLEGAL',
        /amount\.value: the new authorized total must be greater/,
      ],
      [{ updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: eur('9000') }, 'PARAM_ILLEGAL', /amount\.value/],
      [{ updateRequestId: 'x'.repeat(65), paymentId: pay.paymentId, amount: eur('12000') }, 'PARAM_ILLEGAL', /updateRequestId/],
      [{ updateRequestId: randomUUID(), paymentId: 'gwp_nope', amount: eur('12000') }, 'ORDER_NOT_EXIST'],
    ];
    for (const [body, code, message] of cases) {
      const res = await post('updateAmount', body);
      expect(res.result).toMatchObject({ resultStatus: 'F', resultCode: code });
      if (message) expect(res.result.resultMessage).toMatch(message);
    }
    const auto = await authorize('10000', 'AUTOMATIC');
    expect((await update(auto.paymentId, '12000')).result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
    expect((await post('cancel', { paymentId: pay.paymentId })).result.resultStatus).toBe('S');
    expect((await update(pay.paymentId, '12000')).result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_CANCELLED' });
    expect(await stack.db.query('SELECT count(*)::int AS n FROM amount_update WHERE payment_id = $1', [(await row(pay.paymentId)).id])).toEqual([
      { n: 0 },
    ]);
  });

  it('the issuer declines a new total above 3x the first authorization: F, final, the authorization stands', async () => {
    const pay = await authorize('10000');
    const declined = await update(pay.paymentId, '30001');
    expect(declined.result).toMatchObject({ resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
    expect(await row(pay.paymentId)).toMatchObject({ status: 'AUTHORIZED', a: '10000' });
    expect((await events(pay.paymentId)).map((e) => e.type)).toContain('AMOUNT_UPDATE_FAILED');
    expect((await update(pay.paymentId, '30000')).result.resultStatus).toBe('S');
    expect(
      (await post('capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('30000') })).result.resultStatus,
    ).toBe('S');
  });

  it('an upstream hiccup is U, never F; a capture resolves the open update first, the retry answers its result', async () => {
    const pay = await authorize('100000');
    const id = randomUUID();
    const first = await update(pay.paymentId, '190005', id); // sandbox trigger …90005: signed U once
    expect(first.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect((await row(pay.paymentId)).a).toBe('100000');
    // The capture needs the raised total: the open update is resent (same id) and applied before it is judged.
    const cap = await post('capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('150000') });
    expect(cap.result.resultStatus).toBe('S');
    expect(await update(pay.paymentId, '190005', id)).toMatchObject({ result: { resultStatus: 'S' }, amount: eur('190005') });
    expect(await row(pay.paymentId)).toMatchObject({ a: '190005', c: '150000' });
  });

  it('updateAmount + capture + cancel fired at once on one payment stay consistent with the acquirer', async () => {
    const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // The cancel fired a little later each round, so every order of the three occurs (cancel first, update first, capture first).
    for (let round = 0; round < 8; round++) {
      const pay = await authorize('100000');
      const [up, cap, cancel] = await Promise.all([
        update(pay.paymentId, '150000'),
        post('capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur(round % 2 ? '120000' : '50000') }),
        later(round * 6).then(() => post('cancel', { paymentId: pay.paymentId })),
      ]);
      for (const r of [up, cap, cancel]) expect(['S', 'F', 'U']).toContain(r.result.resultStatus);
      const p = await row(pay.paymentId);
      const acq = (
        await stack.db.query(
          'SELECT coalesce(authorized_amount, amount)::text AS a, captured_amount::text AS c, cancelled_at IS NOT NULL AS cancelled FROM sandbox.payment WHERE payment_id = $1',
          [p.u],
        )
      )[0];
      expect(p.c).toBe(acq.c); // the money the acquirer moved is the money the gateway booked
      expect(BigInt(p.c)).toBeLessThanOrEqual(BigInt(p.a));
      if (cancel.result.resultStatus === 'S') {
        expect(p.status).toBe('CANCELLED');
        expect(p.c).toBe('0');
        expect(cap.result.resultStatus).not.toBe('S');
      } else {
        expect(acq.cancelled).toBe(false);
        expect(p.a).toBe(acq.a); // the authorized total is the acquirer's
      }
      if (up.result.resultStatus === 'S') expect(p.a).toBe('150000');
      if (cap.result.resultStatus === 'S' && up.result.resultStatus === 'S') {
        // Ordered by the payment's lock: the update was answered before the capture was judged.
        expect(p.status).toMatch(/CAPTURED/);
      }
      const open = await stack.db.query(
        `SELECT count(*)::int AS n FROM amount_update WHERE payment_id = $1 AND status = 'PROCESSING' AND result_status IS NULL`,
        [p.id],
      );
      expect(open).toEqual([{ n: 0 }]);
    }
  });
});
