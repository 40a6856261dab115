import { randomUUID } from 'node:crypto';

import { s2sPay, seedExample } from '../support/fixtures';
import { answerChallenge, typeCardOnPage } from '../support/hosted-page';
import { startReceiver, waitFor } from '../support/receiver';
import { gatewayOnHarness, SandboxHarness, startSandboxHarness } from '../support/sandbox-harness';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Issue 29: the seed's hosted-form mode (托管表单模式) to the letter. The gateway runs against a sandbox of its
 * own (the harness) whose recorder shows what reaches the acquirer: each hosted-mode feature of the seed's
 * list (Korean issuer authentication, 3DS, installments, MPI refused, terminalType) is forwarded as sent
 * or refused before anything goes upstream; then the buyer's pages settle the payment by notification.
 */
describe('hosted-form mode: what reaches the acquirer, feature by feature (issue 29)', () => {
  let h: SandboxHarness;
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    h = await startSandboxHarness();
    [stack, receiver] = await Promise.all([startTestStack({ ...gatewayOnHarness(h), WORKER_POLL_MS: '50' }), startReceiver()]);
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await h?.stop();
  });

  type Req = ReturnType<typeof seedExample>;
  /** The seed's hosted-form pay as written, with a fresh id and this suite's notify URL. */
  const hosted = (edit: (req: Req) => void = () => undefined): Req => {
    const req = seedExample('pay-hosted-form.json');
    req.paymentRequestId = `PAY_${randomUUID()}`;
    req.paymentNotifyUrl = `${receiver.url}/notify`;
    req.paymentRedirectUrl = 'http://127.0.0.1:9/merchant/return';
    edit(req);
    return req;
  };
  const krw = (req: Req, value = '120') => {
    for (const a of [req.paymentAmount, req.order.orderAmount, ...req.order.goods.map((g: Req) => g.goodsUnitAmount)])
      Object.assign(a, { currency: 'KRW', value });
    req.settlementStrategy.settlementCurrency = 'KRW';
  };
  const usd = (req: Req) => {
    for (const a of [req.paymentAmount, req.order.orderAmount, ...req.order.goods.map((g: Req) => g.goodsUnitAmount)]) a.currency = 'USD';
    req.settlementStrategy.settlementCurrency = 'USD';
  };
  /** The pay the acquirer received for the merchant's payment (the gateway sends its own request id). */
  const upstreamPayOf = async (paymentId: string) => {
    const [{ id }] = await stack.db.query('SELECT id FROM payment WHERE payment_id = $1', [paymentId]);
    const body = h.lastReceived('payments/pay', id);
    expect(body).toBeDefined();
    return body!;
  };
  const pay = async (req: Req) => {
    const res = await stack.merchant.post('payments/pay', req);
    return res.body;
  };
  const notice = (paymentId: string) =>
    waitFor(
      async () => receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.paymentId === paymentId && b.notifyType === 'PAYMENT_RESULT'),
      15_000,
    );
  const inquiry = async (paymentId: string) => (await stack.merchant.post('payments/inquiryPayment', { paymentId })).body;

  it('Korean issuer authentication: paymentMethodRegion KR + requireIssuerAuthentication reach the acquirer; the buyer gets the issuer step; S with region KR', async () => {
    const req = hosted((r) => {
      krw(r);
      r.paymentMethod = { paymentMethodType: 'CARD', paymentMethodMetaData: { paymentMethodRegion: 'KR' }, requireIssuerAuthentication: true };
    });
    const answer = await pay(req);
    expect(answer.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    // Before: {"paymentMethodType":"CARD","paymentMethodMetaData":{"paymentMethodRegion":"KR"}}, the flag gone.
    expect((await upstreamPayOf(answer.paymentId)).paymentMethod).toEqual({
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { paymentMethodRegion: 'KR' },
      requireIssuerAuthentication: true,
    });
    const card = await typeCardOnPage(answer.normalUrl, '4117347806156383');
    expect(card.next).toMatch(/\/sandbox\/challenge\//);
    expect(await answerChallenge(card.next!)).toBe('Card issuer authentication');
    const n = await notice(answer.paymentId);
    expect(n.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    // The seed's Korean example: AVS and CVV codes empty (no check ran), region KR, in both places.
    const korean = { avsResultRaw: '', cvvResultRaw: '', paymentMethodRegion: 'KR', threeDSResult: { cavv: '', eci: '' } };
    expect(n.paymentResultInfo).toMatchObject(korean);
    expect(n.cardInfo).toMatchObject(korean);
    const inq = await inquiry(answer.paymentId);
    expect(inq.paymentStatus).toBe('SUCCESS');
    expect(inq.paymentResultInfo).toMatchObject(korean);
    expect(inq.cardInfo).toMatchObject(korean);
    expect(JSON.stringify([n, inq])).not.toContain('4117347806156383');
  });

  it('Korean issuer authentication with captureMode MANUAL is still refused before anything goes upstream', async () => {
    const before = h.received.length;
    const answer = await pay(
      hosted((r) => {
        krw(r);
        r.paymentMethod = { paymentMethodType: 'CARD', paymentMethodMetaData: { paymentMethodRegion: 'KR' }, requireIssuerAuthentication: true };
        r.paymentFactor.captureMode = 'MANUAL';
      }),
    );
    expect(answer.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(h.received.length).toBe(before);
  });

  it('3DS: is3DSAuthentication reaches the acquirer as sent, no upgrade added; the page runs a 3DS step; threeDSResult in the notification', async () => {
    const answer = await pay(
      hosted((r) => {
        r.paymentMethod.paymentMethodMetaData = { is3DSAuthentication: true };
      }),
    );
    expect(answer.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect((await upstreamPayOf(answer.paymentId)).paymentMethod).toEqual({
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { is3DSAuthentication: true },
    });
    const card = await typeCardOnPage(answer.normalUrl, '4111111111111111');
    expect(card.next).toMatch(/\/sandbox\/challenge\//);
    expect(await answerChallenge(card.next!)).toBe('3-D Secure challenge');
    const n = await notice(answer.paymentId);
    expect(n.result.resultStatus).toBe('S');
    expect(n.paymentResultInfo.threeDSResult).toMatchObject({ threeDSVersion: '2.2.0', eci: '05', cavv: expect.any(String), challenged: true });
  });

  it('installments: creditPayPlan reaches the acquirer (before: F CARD_NOT_SUPPORTED "UNKNOWN cards do not offer installments in US"); the card typed on the page pays in 3', async () => {
    const answer = await pay(
      hosted((r) => {
        usd(r);
        r.creditPayPlan = { installmentNum: 3 };
      }),
    );
    expect(answer.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect((await upstreamPayOf(answer.paymentId)).creditPayPlan).toEqual({ installmentNum: 3 });
    const card = await typeCardOnPage(answer.normalUrl, '4111111111111111');
    expect(card.next).not.toMatch(/\/sandbox\//);
    const n = await notice(answer.paymentId);
    expect(n.result.resultStatus).toBe('S');
    expect(n.paymentResultInfo.creditPayPlan).toMatchObject({ installmentNum: 3 });
  });

  it("installments with a region named: the region's currency is checked before anything goes upstream", async () => {
    const before = h.received.length;
    const answer = await pay(
      hosted((r) => {
        r.paymentMethod.paymentMethodMetaData = { paymentMethodRegion: 'BR' };
        r.creditPayPlan = { installmentNum: 3 };
      }),
    );
    expect(answer.result).toMatchObject({ resultStatus: 'F', resultCode: 'CURRENCY_NOT_SUPPORT' });
    expect(h.received.length).toBe(before);
  });

  it('MPI: refused in hosted mode (the seed: unavailable when the merchant does not collect the card), nothing goes upstream', async () => {
    const before = h.received.length;
    const mpiData = {
      threeDSVersion: '2.2.0',
      eci: '05',
      cavv: 'AAABBEg0VhI0VniQEjRWAAAAAAA=',
      dsTransactionId: 'f25084f0-5b16-4c0a-ae5d-b24808a95e4b',
    };
    const answer = await pay(
      hosted((r) => {
        r.paymentMethod.paymentMethodMetaData = { mpiData };
      }),
    );
    expect(answer.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringMatching(/mpiData is not available/),
    });
    expect(h.received.length).toBe(before);
  });

  it("terminalType (table 2's one environment field) and the order reach the acquirer as sent; no card field is invented", async () => {
    const req = hosted();
    const answer = await pay(req);
    const upstream = await upstreamPayOf(answer.paymentId);
    expect(upstream.env).toEqual(req.env);
    expect(upstream.env.terminalType).toBe('APP');
    expect(upstream.order).toEqual(req.order);
    expect(upstream.paymentMethod).toEqual({ paymentMethodType: 'CARD' });
    expect(upstream.paymentFactor).toEqual({ isAuthorization: true, captureMode: 'AUTOMATIC' });
  });

  it('paymentFactor.captureMode "" is automatic capture (before: F PARAM_ILLEGAL), hosted and server-to-server', async () => {
    const h1 = await pay(
      hosted((r) => {
        r.paymentFactor.captureMode = '';
      }),
    );
    expect(h1.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect((await upstreamPayOf(h1.paymentId)).paymentFactor).toEqual({ isAuthorization: true, captureMode: 'AUTOMATIC' });
    const s2s = s2sPay();
    s2s.paymentFactor.captureMode = '';
    const answer = await pay(s2s);
    expect(answer.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect((await upstreamPayOf(answer.paymentId)).paymentFactor).toEqual({ isAuthorization: true, captureMode: 'AUTOMATIC' });
    const [row] = await stack.db.query('SELECT capture_mode, status FROM payment WHERE payment_id = $1', [answer.paymentId]);
    expect(row).toEqual({ capture_mode: 'AUTOMATIC', status: 'SUCCEEDED' });
  });

  describe("installments with a known card and no paymentMethodRegion: the region is the card's issuing country (BIN table)", () => {
    const plan = (cardNo: string, currency: string) => {
      const req = s2sPay({ cardNo, currency, value: '9000' });
      for (const g of req.order.goods) g.goodsUnitAmount.currency = currency;
      req.settlementStrategy.settlementCurrency = currency;
      req.creditPayPlan = { installmentNum: 3 };
      return req;
    };

    it.each([
      ['a US card (411111: US) in USD', '4111111111111111', 'USD'],
      ["the seed's own card (41173478: KR) in KRW", '4117347806156383', 'KRW'],
    ])('%s pays in installments; the plan, not a region, goes upstream', async (_what, cardNo, currency) => {
      const answer = await pay(plan(cardNo, currency));
      expect(answer.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
      const upstream = await upstreamPayOf(answer.paymentId);
      expect(upstream.creditPayPlan).toEqual({ installmentNum: 3 });
      expect(upstream.paymentMethod.paymentMethodMetaData.paymentMethodRegion).toBeUndefined();
    });

    it("a currency not the issuing country's is refused naming it", async () => {
      const answer = await pay(plan('4111111111111111', 'EUR'));
      expect(answer.result).toMatchObject({
        resultStatus: 'F',
        resultCode: 'CURRENCY_NOT_SUPPORT',
        resultMessage: expect.stringMatching(/Installments in US are paid in USD/),
      });
    });
  });
});
