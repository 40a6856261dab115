import { randomUUID } from 'node:crypto';

import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';

describe('sandbox: authorization lifecycle (capture, cancel, refund, inquiry)', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const post = (api: string, body: object, sandboxPath = false) =>
    h.client.post(api, body, sandboxPath ? { path: `/ams/sandbox/api/v1/${api}` } : {});
  const payOk = async (o: Parameters<typeof upstreamPay>[1] = {}) => {
    const res = await post('payments/pay', upstreamPay(h, o));
    expect(res.signatureValid).toBe(true);
    expect(res.body.result.resultStatus).toBe('S');
    return res.body;
  };
  const inquiry = async (paymentId: string) => (await post('payments/inquiryPayment', { paymentId })).body;
  const captureReq = (paymentId: string, value: string, currency = 'EUR', captureRequestId = `CAP_${randomUUID()}`) => ({
    captureRequestId,
    paymentId,
    captureAmount: { currency, value },
    isLastCapture: false,
  });

  it('captures automatically, notifies PAYMENT_RESULT and CAPTURE_RESULT, and inquiry lists both transactions', async () => {
    const pay = await payOk();
    expect(pay.authExpiryTime).toEqual(expect.any(String));
    const [paid] = await h.receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === pay.paymentId);
    const [captured] = await h.receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === pay.paymentId);
    expect(paid.signatureValid).toBe(true);
    expect(paid.path).toBe('/antom/notify');
    expect(paid.headers['client-id']).toBe(h.client.clientId);
    expect(paid.body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentRequestId: expect.any(String),
      paymentAmount: { currency: 'EUR', value: '30000' },
      paymentResultInfo: { cardBrand: 'VISA', cardNo: '4117********6383' },
      authExpiryTime: pay.authExpiryTime,
    });
    expect(captured.body).toMatchObject({
      result: { resultStatus: 'S' },
      captureRequestId: expect.any(String),
      captureId: expect.any(String),
      captureAmount: { currency: 'EUR', value: '30000' },
      captureTime: expect.any(String),
    });
    const inq = await inquiry(pay.paymentId);
    expect(inq).toMatchObject({
      result: { resultStatus: 'S' },
      paymentStatus: 'SUCCESS',
      authExpiryTime: expect.any(String),
      cardInfo: { cardBrand: 'VISA' },
    });
    expect(inq.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(['PAYMENT', 'CAPTURE']);
    expect(inq.transactions[1]).toMatchObject({
      transactionStatus: 'SUCCESS',
      transactionId: captured.body.captureId,
      transactionAmount: { value: '30000' },
    });
  });

  it('serves every API on the /ams/sandbox/api path too', async () => {
    const res = await post('payments/pay', upstreamPay(h, { captureMode: 'MANUAL' }), true);
    expect(res.signatureValid).toBe(true);
    const cap = await post('payments/capture', captureReq(res.body.paymentId, '100'), true);
    expect(cap.body.result.resultStatus).toBe('S');
    expect(cap.signatureValid).toBe(true);
    expect((await post('payments/inquiryPayment', { paymentId: res.body.paymentId }, true)).body.paymentStatus).toBe('SUCCESS');
  });

  it('takes partial and multiple captures up to the authorized amount, idempotent on captureRequestId', async () => {
    const pay = await payOk({ captureMode: 'MANUAL' });
    const first = captureReq(pay.paymentId, '10000');
    const a = await post('payments/capture', first);
    expect(a.signatureValid).toBe(true);
    expect(a.body).toMatchObject({
      result: { resultStatus: 'S' },
      captureRequestId: first.captureRequestId,
      paymentId: pay.paymentId,
      captureAmount: { currency: 'EUR', value: '10000' },
    });
    expect((await post('payments/capture', first)).body.captureId).toBe(a.body.captureId);
    expect((await post('payments/capture', { ...first, captureAmount: { currency: 'EUR', value: '10001' } })).body.result.resultCode).toBe(
      'REPEAT_REQ_INCONSISTENT',
    );
    expect((await post('payments/capture', captureReq(pay.paymentId, '100', 'USD'))).body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
    });
    expect((await post('payments/capture', captureReq(pay.paymentId, '15000'))).body.result.resultStatus).toBe('S');
    expect((await post('payments/capture', captureReq(pay.paymentId, '5001'))).body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
    });
    expect((await post('payments/capture', captureReq(pay.paymentId, '5000'))).body.result.resultStatus).toBe('S');
    const inq = await inquiry(pay.paymentId);
    expect(inq.transactions.filter((t: { transactionType: string }) => t.transactionType === 'CAPTURE')).toHaveLength(3);
    await h.receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === pay.paymentId, 3);
    const { rows } = await h.pool.query(`SELECT captured_amount::text AS c FROM sandbox.payment WHERE payment_id = $1`, [pay.paymentId]);
    expect(rows[0].c).toBe('30000');
  });

  it('closes the authorization after isLastCapture', async () => {
    const pay = await payOk({ captureMode: 'MANUAL' });
    expect((await post('payments/capture', { ...captureReq(pay.paymentId, '100'), isLastCapture: true })).body.result.resultStatus).toBe('S');
    expect((await post('payments/capture', captureReq(pay.paymentId, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
  });

  it('refuses captures on a declined, an automatically captured, an unknown or an expired payment', async () => {
    const declined = await post('payments/pay', upstreamPay(h, { cardNo: '4000000000000002', captureMode: 'MANUAL' }));
    expect((await post('payments/capture', captureReq(declined.body.paymentId, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
    const auto = await payOk();
    expect((await post('payments/capture', captureReq(auto.paymentId, '100'))).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
    expect((await post('payments/capture', captureReq('sbx_nope', '100'))).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    const manual = await payOk({ captureMode: 'MANUAL' });
    expect(((await (await h.control('/sandbox/control/expire-authorization', { paymentId: manual.paymentId })).json()) as { ok: boolean }).ok).toBe(
      true,
    );
    expect((await post('payments/capture', captureReq(manual.paymentId, '100'))).body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'AUTH_EXPIRED',
    });
  });

  it('cancels an uncaptured authorization (by either id), idempotently; capture is then AUTH_CANCELLED', async () => {
    const req = upstreamPay(h, { captureMode: 'MANUAL' });
    const pay = (await post('payments/pay', req)).body;
    const c = await post('payments/cancel', { paymentRequestId: req.paymentRequestId });
    expect(c.signatureValid).toBe(true);
    expect(c.body).toMatchObject({
      result: { resultStatus: 'S' },
      paymentId: pay.paymentId,
      paymentRequestId: req.paymentRequestId,
      cancelTime: expect.any(String),
    });
    expect((await post('payments/cancel', { paymentId: pay.paymentId })).body).toEqual(c.body);
    expect((await post('payments/capture', captureReq(pay.paymentId, '100'))).body.result.resultCode).toBe('AUTH_CANCELLED');
    const inq = await inquiry(pay.paymentId);
    expect(inq.paymentStatus).toBe('CANCELLED');
    expect(inq.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(['PAYMENT', 'CANCEL']);
  });

  it('refuses to cancel a captured payment, and cancels a pending (3DS) one', async () => {
    const captured = await payOk();
    expect((await post('payments/cancel', { paymentId: captured.paymentId })).body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'ORDER_STATUS_INVALID',
    });
    const pending = await post('payments/pay', upstreamPay(h, { cardNo: '4000000000003220' }));
    expect(pending.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(pending.body.normalUrl).toContain('/sandbox/challenge/');
    expect((await inquiry(pending.body.paymentId)).paymentStatus).toBe('PROCESSING');
    expect((await post('payments/cancel', { paymentId: pending.body.paymentId })).body.result.resultStatus).toBe('S');
    expect((await inquiry(pending.body.paymentId)).paymentStatus).toBe('CANCELLED');
    expect((await post('payments/cancel', { paymentId: 'sbx_nope' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
  });

  it('refunds up to the captured amount, idempotent on refundRequestId, notifying REFUND_RESULT', async () => {
    const pay = await payOk();
    const refund = {
      refundRequestId: `REF_${randomUUID()}`,
      paymentId: pay.paymentId,
      refundAmount: { currency: 'EUR', value: '10000' },
      refundReason: 'changed mind',
    };
    const r = await post('payments/refund', refund);
    expect(r.signatureValid).toBe(true);
    expect(r.body).toMatchObject({
      result: { resultStatus: 'S' },
      refundRequestId: refund.refundRequestId,
      refundId: expect.any(String),
      paymentId: pay.paymentId,
      refundAmount: refund.refundAmount,
      refundTime: expect.any(String),
    });
    expect((await post('payments/refund', refund)).body.refundId).toBe(r.body.refundId);
    expect((await post('payments/refund', { ...refund, refundAmount: { currency: 'EUR', value: '1' } })).body.result.resultCode).toBe(
      'REPEAT_REQ_INCONSISTENT',
    );
    expect(
      (await post('payments/refund', { ...refund, refundRequestId: `REF_${randomUUID()}`, refundAmount: { currency: 'EUR', value: '20001' } })).body
        .result,
    ).toMatchObject({ resultStatus: 'F', resultCode: 'REFUND_AMOUNT_EXCEED' });
    const elsewhere = {
      ...refund,
      refundRequestId: `REF_${randomUUID()}`,
      refundAmount: { currency: 'EUR', value: '20000' },
      refundNotifyUrl: `${h.receiver.url}/refunds/notify`,
    };
    const r2 = await post('payments/refund', elsewhere);
    expect(r2.body.result.resultStatus).toBe('S');
    const [n1] = await h.receiver.waitFor((b) => b.notifyType === 'REFUND_RESULT' && b.refundId === r.body.refundId);
    expect(n1.path).toBe('/antom/notify');
    expect(n1.body).toMatchObject({
      result: { resultStatus: 'S' },
      refundStatus: 'SUCCESS',
      refundRequestId: refund.refundRequestId,
      refundAmount: refund.refundAmount,
      refundTime: expect.any(String),
    });
    const [n2] = await h.receiver.waitFor((b) => b.notifyType === 'REFUND_RESULT' && b.refundId === r2.body.refundId);
    expect(n2.path).toBe('/refunds/notify');
    expect(n2.signatureValid).toBe(true);
    const byReq = await post('payments/inquiryRefund', { refundRequestId: refund.refundRequestId });
    expect(byReq.body).toMatchObject({
      result: { resultStatus: 'S' },
      refundId: r.body.refundId,
      refundStatus: 'SUCCESS',
      refundAmount: refund.refundAmount,
    });
    expect((await post('payments/inquiryRefund', { refundId: r2.body.refundId })).body.refundRequestId).toBe(elsewhere.refundRequestId);
    expect((await post('payments/inquiryRefund', { refundId: 'nope' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    const inq = await inquiry(pay.paymentId);
    expect(inq.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(['PAYMENT', 'CAPTURE', 'REFUND', 'REFUND']);
  });

  it('isAsyncRefund: U REFUND_IN_PROCESS at once (the amount held against the capture), then SUCCESS by REFUND_RESULT and inquiryRefund; the same id answers the final result', async () => {
    const pay = await payOk();
    const refund = {
      refundRequestId: `REF_${randomUUID()}`,
      paymentId: pay.paymentId,
      refundAmount: { currency: 'EUR', value: '20000' },
      isAsyncRefund: true,
    };
    const r = await post('payments/refund', refund);
    expect(r.signatureValid).toBe(true);
    expect(r.body).toMatchObject({
      result: { resultStatus: 'U', resultCode: 'REFUND_IN_PROCESS' },
      refundRequestId: refund.refundRequestId,
      refundId: expect.any(String),
      refundAmount: refund.refundAmount,
    });
    expect(r.body.refundTime).toBeUndefined();
    // Held while in process: the rest of the capture only.
    expect(
      (await post('payments/refund', { ...refund, refundRequestId: `REF_${randomUUID()}`, refundAmount: { currency: 'EUR', value: '10001' } })).body
        .result.resultCode,
    ).toBe('REFUND_AMOUNT_EXCEED');
    const [n] = await h.receiver.waitFor((b) => b.notifyType === 'REFUND_RESULT' && b.refundId === r.body.refundId);
    expect(n.body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      refundStatus: 'SUCCESS',
      refundRequestId: refund.refundRequestId,
      refundTime: expect.any(String),
    });
    expect((await post('payments/inquiryRefund', { refundRequestId: refund.refundRequestId })).body).toMatchObject({
      refundStatus: 'SUCCESS',
      refundId: r.body.refundId,
    });
    expect((await post('payments/refund', refund)).body).toMatchObject({
      result: { resultStatus: 'S' },
      refundId: r.body.refundId,
      refundTime: expect.any(String),
    });
    const refunds = (await inquiry(pay.paymentId)).transactions.filter((t: { transactionType: string }) => t.transactionType === 'REFUND');
    expect(refunds).toEqual([expect.objectContaining({ transactionStatus: 'SUCCESS', transactionId: r.body.refundId })]);
  });

  it('refuses a refund before capture', async () => {
    const pay = await payOk({ captureMode: 'MANUAL' });
    const res = await post('payments/refund', {
      refundRequestId: `REF_${randomUUID()}`,
      paymentId: pay.paymentId,
      refundAmount: { currency: 'EUR', value: '1' },
    });
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
  });

  it('never lets concurrent captures exceed the authorization', async () => {
    const pay = await payOk({ captureMode: 'MANUAL' });
    const results = await Promise.all(Array.from({ length: 8 }, () => post('payments/capture', captureReq(pay.paymentId, '10000'))));
    expect(results.filter((r) => r.body.result.resultStatus === 'S')).toHaveLength(3);
    expect(results.filter((r) => r.body.result.resultCode === 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT')).toHaveLength(5);
  });

  it('notifies a declined pay with FAIL and keeps the card masked in every sandbox table', async () => {
    const res = await post('payments/pay', upstreamPay(h, { cardNo: '4000000000009995' }));
    expect(res.body.result.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
    const [n] = await h.receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === res.body.paymentId);
    expect(n.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH' });
    expect((await inquiry(res.body.paymentId)).paymentStatus).toBe('FAIL');
    for (const table of ['payment', 'capture', 'refund', 'notification', 'card_token']) {
      const { rows } = await h.pool.query(`SELECT t::text AS row FROM sandbox.${table} t`);
      for (const { row } of rows) expect(row).not.toMatch(/4000000000009995|4117347806156383/);
    }
  });
});

describe('sandbox: a short authorization window (authValiditySeconds)', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness({ authValiditySeconds: 1 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses to capture once authExpiryTime has passed', async () => {
    const pay = (await h.client.post('payments/pay', upstreamPay(h, { captureMode: 'MANUAL' }))).body;
    expect(Date.parse(pay.authExpiryTime) - Date.parse(pay.paymentTime)).toBe(1000);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await h.client.post('payments/capture', {
      captureRequestId: `CAP_${randomUUID()}`,
      paymentId: pay.paymentId,
      captureAmount: { currency: 'EUR', value: '1' },
    });
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_EXPIRED' });
  });
});
