import { randomUUID } from 'node:crypto';

import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';

/** Every documented trigger (docs/api.md, "Sandbox test cards and fault triggers"), driven over HTTP. */
describe('sandbox: fault injection', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness({ slowAnswerMs: 1500 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const pay = (req: object) => h.client.post('payments/pay', req);
  const inquiry = async (req: { paymentRequestId: string }) =>
    (await h.client.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).body;
  const rows = async (req: { paymentRequestId: string }) =>
    Number((await h.pool.query(`SELECT count(*) AS n FROM sandbox.payment WHERE payment_request_id = $1`, [req.paymentRequestId])).rows[0].n);

  it('…90001 answers slower than a client timeout, after processing (inquiry already says SUCCESS)', async () => {
    const req = upstreamPay(h, { value: '90001' });
    let answered = false;
    const answer = pay(req).finally(() => {
      answered = true;
    });
    // Event order, not a stopwatch: the payment is processed (an inquiry sent later finds it) while its own
    // answer is still held back.
    let status: string | undefined;
    for (let i = 0; i < 200 && status !== 'SUCCESS'; i++) {
      status = (await inquiry(req)).paymentStatus;
      if (status !== 'SUCCESS') await new Promise((r) => setTimeout(r, 20));
    }
    expect({ status, answered }).toEqual({ status: 'SUCCESS', answered: false });
    const res = await answer;
    expect(res.body.result.resultStatus).toBe('S');
    expect(res.signatureValid).toBe(true);
  });

  it('…90002 processes, then drops the connection without an answer; the retry gets the stored answer', async () => {
    const req = upstreamPay(h, { value: '90002' });
    await expect(pay(req)).rejects.toThrow();
    expect((await inquiry(req)).paymentStatus).toBe('SUCCESS');
    const retry = await pay(req);
    expect(retry.body).toMatchObject({ result: { resultStatus: 'S' }, paymentId: (await inquiry(req)).paymentId });
    expect(await rows(req)).toBe(1);
  });

  it.each([
    ['90003', 500],
    ['90004', 502],
  ])('…%s answers HTTP %s unsigned without processing; the retry goes through', async (value, status) => {
    const req = upstreamPay(h, { value });
    const first = await pay(req);
    expect(first.status).toBe(status);
    expect(first.signatureValid).toBe(false);
    expect((await inquiry(req)).result.resultCode).toBe('ORDER_NOT_EXIST');
    expect((await pay(req)).body.result.resultStatus).toBe('S');
    expect(await rows(req)).toBe(1);
  });

  it('…90005 processes but answers U UNKNOWN_EXCEPTION (signed); inquiry and retry say SUCCESS', async () => {
    const req = upstreamPay(h, { value: '90005' });
    const first = await pay(req);
    expect(first.signatureValid).toBe(true);
    expect(first.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect((await inquiry(req)).paymentStatus).toBe('SUCCESS');
    expect((await pay(req)).body.result.resultStatus).toBe('S');
    expect(await rows(req)).toBe(1);
  });

  it('…90006 answers U REQUEST_TRAFFIC_EXCEED_LIMIT without processing; the retry goes through', async () => {
    const req = upstreamPay(h, { value: '90006' });
    const first = await pay(req);
    expect(first.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' });
    expect((await inquiry(req)).result.resultCode).toBe('ORDER_NOT_EXIST');
    expect((await pay(req)).body.result.resultStatus).toBe('S');
  });

  it('applies the amount triggers to capture too (captureAmount …90002: dropped, retry gets the same capture)', async () => {
    const p = (await pay(upstreamPay(h, { value: '200000', captureMode: 'MANUAL' }))).body;
    expect(p.result.resultStatus).toBe('S');
    const cap = { captureRequestId: `CAP_${randomUUID()}`, paymentId: p.paymentId, captureAmount: { currency: 'EUR', value: '90002' } };
    await expect(h.client.post('payments/capture', cap)).rejects.toThrow();
    const again = await h.client.post('payments/capture', cap);
    expect(again.body.result.resultStatus).toBe('S');
    const { rows: caps } = await h.pool.query(`SELECT count(*) AS n FROM sandbox.capture WHERE payment_id = $1`, [p.paymentId]);
    expect(Number(caps[0].n)).toBe(1);
  });

  it('…90007 sends every notification twice', async () => {
    const p = (await pay(upstreamPay(h, { value: '90007' }))).body;
    await h.receiver.waitFor((b) => b.paymentId === p.paymentId && b.notifyType === 'PAYMENT_RESULT', 2);
    await h.receiver.waitFor((b) => b.paymentId === p.paymentId && b.notifyType === 'CAPTURE_RESULT', 2);
    const payNotes = h.receiver.matching((b) => b.paymentId === p.paymentId && b.notifyType === 'PAYMENT_RESULT');
    expect(payNotes[0].raw).toBe(payNotes[1].raw);
  });

  it('…90008 delivers CAPTURE_RESULT before its PAYMENT_RESULT', async () => {
    const p = (await pay(upstreamPay(h, { value: '90008' }))).body;
    const [paid] = await h.receiver.waitFor((b) => b.paymentId === p.paymentId && b.notifyType === 'PAYMENT_RESULT');
    const [captured] = h.receiver.matching((b) => b.paymentId === p.paymentId && b.notifyType === 'CAPTURE_RESULT');
    expect(h.receiver.received.indexOf(captured)).toBeLessThan(h.receiver.received.indexOf(paid)); // arrival order
  });

  it('…90009 signs the first send of each notification with a wrong key; the retry is signed correctly', async () => {
    const p = (await pay(upstreamPay(h, { value: '90009' }))).body;
    const sends = await h.receiver.waitFor((b) => b.paymentId === p.paymentId && b.notifyType === 'PAYMENT_RESULT', 2);
    expect(sends.map((s) => s.signatureValid)).toEqual([false, true]);
  });

  it('control endpoint: the next N calls fail with the chosen fault, then the sandbox recovers', async () => {
    expect((await h.control('/sandbox/control/faults', { fault: 'http503', api: 'payments/pay', times: 2 })).status).toBe(200);
    const req = upstreamPay(h);
    expect((await pay(req)).status).toBe(503);
    expect((await h.client.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).status).toBe(200);
    expect((await pay(req)).status).toBe(503);
    expect((await pay(req)).body.result.resultStatus).toBe('S');
    await h.control('/sandbox/control/faults', { fault: 'traffic', times: 5 });
    expect((await pay(upstreamPay(h))).body.result.resultCode).toBe('REQUEST_TRAFFIC_EXCEED_LIMIT');
    await h.control('/sandbox/control/faults', {}, 'DELETE');
    expect((await pay(upstreamPay(h))).body.result.resultStatus).toBe('S');
    expect((await h.control('/sandbox/control/faults', { fault: 'nonsense' })).status).toBe(400);
  });

  it('Korean issuer-authenticated card: U PAYMENT_IN_PROCESS with normalUrl; MANUAL capture refused', async () => {
    const kr = (captureMode: 'AUTOMATIC' | 'MANUAL') => {
      const req = upstreamPay(h, { currency: 'KRW', value: '12000', captureMode });
      req.paymentMethod.requireIssuerAuthentication = true;
      req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = 'KR';
      return req;
    };
    const auto = await pay(kr('AUTOMATIC'));
    expect(auto.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(auto.body.normalUrl).toMatch(/\/sandbox\/challenge\/sbx_/);
    const manual = await pay(kr('MANUAL'));
    expect(manual.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(manual.body.result.resultMessage).toMatch(/automatic capture only/);
  });

  it('installments: creditPayPlan 2–36 in BR/MX/CL/KR/US is echoed (int32, as the SDK models); elsewhere or out of range refused', async () => {
    const withPlan = (installmentNum: number, region?: string) => {
      const req = upstreamPay(h);
      req.creditPayPlan = { installmentNum, interval: 'MONTH', creditPayFeeType: 'PERCENTAGE', feePercentage: 5 };
      if (region) req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = region;
      return req;
    };
    const ok = await pay(withPlan(3, 'BR'));
    expect(ok.body.result.resultStatus).toBe('S');
    expect(ok.body.paymentResultInfo.creditPayPlan).toEqual({
      installmentNum: 3,
      interval: 'MONTH',
      creditPayFeeType: 'PERCENTAGE',
      feePercentage: 5,
    });
    expect((await pay(withPlan(3, 'DE'))).body.result.resultCode).toBe('PARAM_ILLEGAL');
    expect((await pay(withPlan(37, 'MX'))).body.result.resultCode).toBe('PARAM_ILLEGAL');
  });
});

describe('sandbox: late authorizations (…90011)', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness({ notifyTimeScale: 0.01 });
  }); // settles after 1.2 s
  afterAll(async () => {
    await h?.stop();
  });

  it('…90011 authorizes late: U UNKNOWN_EXCEPTION, inquiry PENDING, then SUCCESS by itself with notifyPayment', async () => {
    const req = upstreamPay(h, { value: '90011' });
    const first = await h.client.post('payments/pay', req);
    expect(first.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect(first.body.paymentId).toEqual(expect.any(String));
    expect((await h.client.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).body.paymentStatus).toBe('PENDING');
    expect((await h.client.post('payments/pay', req)).body.result.resultCode).toBe('UNKNOWN_EXCEPTION');
    const [n] = await h.receiver.waitFor((b) => b.paymentId === first.body.paymentId && b.notifyType === 'PAYMENT_RESULT');
    expect(n.body.result.resultStatus).toBe('S');
    expect((await h.client.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).body).toMatchObject({
      paymentStatus: 'SUCCESS',
      authExpiryTime: expect.any(String),
    });
    expect((await h.client.post('payments/pay', req)).body.result.resultStatus).toBe('S');
    expect(
      Number((await h.pool.query(`SELECT count(*) AS n FROM sandbox.payment WHERE payment_request_id = $1`, [req.paymentRequestId])).rows[0].n),
    ).toBe(1);
  });

  it('…90011 cancelled before it settles stays CANCELLED, and is never notified', async () => {
    const req = upstreamPay(h, { value: '90011' });
    const first = await h.client.post('payments/pay', req);
    expect((await h.client.post('payments/cancel', { paymentId: first.body.paymentId })).body.result.resultStatus).toBe('S');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await h.client.post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).body.paymentStatus).toBe('CANCELLED');
    expect(h.receiver.matching((b) => b.paymentId === first.body.paymentId)).toHaveLength(0);
  });
});
