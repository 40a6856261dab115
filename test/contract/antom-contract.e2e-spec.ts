import { randomUUID } from 'node:crypto';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { s2sPay } from '../support/fixtures';
import { MerchantClient } from '../support/merchant-client';
import { SandboxHarness, startSandboxHarness } from '../support/sandbox-harness';

/*
 * The wire contract (ANTOM-CONTRACT.md §1–§5), checked against any Antom-compatible base URL:
 *   CONTRACT_BASE_URL, CONTRACT_CLIENT_ID, CONTRACT_PRIVATE_KEY (PKCS#8, PEM or bare base64),
 *   CONTRACT_ACQUIRER_PUBLIC_KEY, optionally CONTRACT_CARD_NO (a card the acquirer authorizes frictionlessly).
 * Without them it runs against a sandbox it starts itself, so the sandbox's fidelity can be compared with
 * real Antom's the day a network and sandbox credentials allow it. Only behaviour both must share is asserted.
 */
const external = !!process.env.CONTRACT_BASE_URL;

describe(`Antom wire contract against ${external ? process.env.CONTRACT_BASE_URL : 'the bundled sandbox'}`, () => {
  let h: SandboxHarness | undefined;
  let client: MerchantClient;
  let prefix: string;
  const cardNo = process.env.CONTRACT_CARD_NO ?? '4111111111111111';

  beforeAll(async () => {
    if (external) {
      client = new MerchantClient(
        process.env.CONTRACT_BASE_URL!.replace(/\/$/, ''),
        process.env.CONTRACT_CLIENT_ID!,
        process.env.CONTRACT_PRIVATE_KEY!,
        process.env.CONTRACT_ACQUIRER_PUBLIC_KEY!,
      );
    } else {
      h = await startSandboxHarness();
      client = h.client;
    }
    // The SDKs' rule: SANDBOX_ client ids use /ams/sandbox/api.
    prefix = client.clientId.startsWith('SANDBOX_') ? '/ams/sandbox/api/v1/' : '/ams/api/v1/';
  });
  afterAll(async () => {
    await h?.stop();
  });

  const post = (api: string, body: object, opts: Parameters<MerchantClient['post']>[2] = {}) =>
    client.post(api, body, { path: prefix + api, ...opts });
  const manualPay = (value = '5000') => {
    const req = s2sPay({ cardNo, value, captureMode: 'MANUAL' });
    req.paymentMethod.paymentMethodMetaData.enableAuthenticationUpgrade = false;
    if (h) req.paymentNotifyUrl = `${h.receiver.url}/notify`;
    return req;
  };

  function expectSignedAntomAnswer(res: Awaited<ReturnType<MerchantClient['post']>>) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['client-id']).toBe(client.clientId);
    expect(res.headers['response-time']).toEqual(expect.any(String));
    expect(res.headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=\w+,signature=[A-Za-z0-9%]+$/);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toEqual({
      resultCode: expect.any(String),
      resultStatus: expect.stringMatching(/^[SFU]$/),
      resultMessage: expect.any(String),
    });
  }

  it('pay: S with ids, amount, times and masked card info; repeat → same answer; changed amount → REPEAT_REQ_INCONSISTENT', async () => {
    const req = manualPay();
    const res = await post('payments/pay', req);
    expectSignedAntomAnswer(res);
    expect(res.body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentRequestId: req.paymentRequestId,
      paymentId: expect.any(String),
      paymentAmount: { currency: 'EUR', value: '5000' },
    });
    expect(res.body.paymentId.length).toBeLessThanOrEqual(64);
    for (const t of ['paymentCreateTime', 'paymentTime']) expect(Number.isNaN(Date.parse(res.body[t]))).toBe(false);
    expect(res.raw).not.toContain(cardNo);
    const again = await post('payments/pay', req);
    expect(again.body.paymentId).toBe(res.body.paymentId);
    const changed = await post('payments/pay', {
      ...req,
      paymentAmount: { currency: 'EUR', value: '5001' },
      order: { ...req.order, orderAmount: { currency: 'EUR', value: '5001' } },
    });
    expectSignedAntomAnswer(changed);
    expect(changed.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
  });

  it('capture (partial), inquiryPayment with transactions, refund and inquiryRefund', async () => {
    const pay = (await post('payments/pay', manualPay('8000'))).body;
    const cap = await post('payments/capture', {
      captureRequestId: `CAP_${randomUUID()}`,
      paymentId: pay.paymentId,
      captureAmount: { currency: 'EUR', value: '6000' },
      isLastCapture: false,
    });
    expectSignedAntomAnswer(cap);
    expect(cap.body).toMatchObject({
      result: { resultStatus: 'S' },
      paymentId: pay.paymentId,
      captureId: expect.any(String),
      captureAmount: { currency: 'EUR', value: '6000' },
      captureTime: expect.any(String),
    });
    const inq = await post('payments/inquiryPayment', { paymentId: pay.paymentId });
    expectSignedAntomAnswer(inq);
    expect(inq.body).toMatchObject({
      result: { resultStatus: 'S' },
      paymentStatus: 'SUCCESS',
      paymentId: pay.paymentId,
      paymentAmount: { value: '8000' },
    });
    expect(['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING']).toContain(inq.body.paymentStatus);
    expect(inq.body.transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ transactionType: 'CAPTURE', transactionId: cap.body.captureId })]),
    );
    const refundRequestId = `REF_${randomUUID()}`;
    const ref = await post('payments/refund', {
      refundRequestId,
      paymentId: pay.paymentId,
      refundAmount: { currency: 'EUR', value: '1000' },
      refundReason: 'contract test',
    });
    expectSignedAntomAnswer(ref);
    expect(ref.body).toMatchObject({
      result: { resultStatus: 'S' },
      refundRequestId,
      refundId: expect.any(String),
      paymentId: pay.paymentId,
      refundAmount: { currency: 'EUR', value: '1000' },
      refundTime: expect.any(String),
    });
    const ir = await post('payments/inquiryRefund', { refundRequestId });
    expectSignedAntomAnswer(ir);
    expect(ir.body).toMatchObject({ refundId: ref.body.refundId, refundRequestId, refundStatus: expect.stringMatching(/^(SUCCESS|PROCESSING)$/) });
  });

  it('cancel: an uncaptured authorization is voided; inquiry says CANCELLED', async () => {
    const req = manualPay('3000');
    const pay = (await post('payments/pay', req)).body;
    const c = await post('payments/cancel', { paymentId: pay.paymentId });
    expectSignedAntomAnswer(c);
    expect(c.body).toMatchObject({
      result: { resultStatus: 'S' },
      paymentId: pay.paymentId,
      paymentRequestId: req.paymentRequestId,
      cancelTime: expect.any(String),
    });
    expect((await post('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId })).body.paymentStatus).toBe('CANCELLED');
  });

  it('consult: CARD is among the payment options, with the brands it takes; enabled is a JSON boolean', async () => {
    const res = await post('payments/consult', {
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'EUR', value: '5000' },
      env: { terminalType: 'WEB' },
    });
    expectSignedAntomAnswer(res);
    expect(res.body.result).toMatchObject({ resultStatus: 'S' });
    const card = res.body.paymentOptions.find((o: { paymentMethodType: string }) => o.paymentMethodType === 'CARD');
    expect(card).toMatchObject({ paymentMethodCategory: 'CARD', enabled: expect.any(Boolean) });
    expect(card.paymentOptionDetail.supportCardBrands).toEqual(expect.arrayContaining([expect.objectContaining({ cardBrand: 'VISA' })]));
  });

  it('refuses a request signed with the wrong key (F INVALID_SIGNATURE, still HTTP 200)', async () => {
    const res = await post('payments/inquiryPayment', { paymentId: 'nope' }, { signWith: loadPrivateKey(generateRsaKeyPair().privateKeyPem) });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
  });

  (external ? it.skip : it)('notifications are signed over POST <notify path> with the acquirer key', async () => {
    const pay = (await post('payments/pay', manualPay('4000'))).body;
    const [n] = await h!.receiver.waitFor((b) => b.paymentId === pay.paymentId && b.notifyType === 'PAYMENT_RESULT');
    expect(n.signatureValid).toBe(true);
    expect(n.headers['signature']).toMatch(/^algorithm=RSA256,keyVersion=\w+,signature=/);
    expect(n.body).toMatchObject({
      notifyType: 'PAYMENT_RESULT',
      result: { resultStatus: 'S' },
      paymentRequestId: expect.any(String),
      paymentAmount: { value: '4000' },
    });
  });
});
