import { randomUUID } from 'node:crypto';

import { Browser } from 'playwright-core';

import { launchChromium, loopbackOnlyPage, payOnHostedPage } from '../support/browser';
import { s2sPay, seedExample } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * In Chromium, through the gateway: the acquirer's card token from a hosted-form payment paid again by the
 * same merchant (and by nobody else), and the Korean issuer authentication page ending in a notification.
 */
describe('acquirer card tokens and Korean issuer authentication in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [stack, browser, receiver] = await Promise.all([
      startTestStack({ WORKER_POLL_MS: '50', NOTIFY_TIME_SCALE: '0.001' }),
      launchChromium(),
      startReceiver(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), browser?.close(), receiver?.close()]);
  });

  const row = async (paymentId: string) => (await stack.db.query('SELECT id, status, card_id FROM payment WHERE payment_id = $1', [paymentId]))[0];
  const merchantNotice = (paymentId: string) =>
    receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.paymentId === paymentId && b.notifyType === 'PAYMENT_RESULT');
  const sandboxAuthorizations = async () => Number((await stack.db.query(`SELECT count(*) n FROM sandbox.payment WHERE status = 'S'`))[0].n);

  async function hostedPayWithBuyer(): Promise<string> {
    const req = seedExample('pay-hosted-form.json');
    req.paymentRequestId = `PAY_HOSTED_${Date.now()}`;
    req.paymentNotifyUrl = `${receiver.url}/notify`;
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    const page = await payOnHostedPage(browser, pay.body.normalUrl, '5555555555554444');
    await waitFor(async () => (await row(pay.body.paymentId)).status === 'SUCCEEDED', 15_000);
    await page.close();
    return pay.body.paymentId;
  }

  const tokenPay = (token: string, requestId = `PAY_ACQTOK_${randomUUID()}`) => ({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: requestId,
    order: { referenceOrderId: `ORDER_${requestId}`, orderDescription: 'second purchase', orderAmount: { currency: 'USD', value: '2500' } },
    paymentAmount: { currency: 'USD', value: '2500' },
    paymentMethod: { paymentMethodType: 'CARD', paymentMethodId: token },
    paymentRedirectUrl: 'http://127.0.0.1:9/merchant/return',
  });

  it('keeps the acquirer token of a hosted-form card for its merchant and pays with it again', async () => {
    const first = await hostedPayWithBuyer();
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: first });
    const token = inquiry.body.paymentResultInfo.cardToken as string;
    expect(token).toMatch(/^sbxtok_/);
    const kept = await stack.db.query('SELECT * FROM acquirer_card_token WHERE token = $1', [token]);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ card_bin: '555555', card_last4: '4444', card_brand: 'MASTERCARD' });
    expect(Object.keys(kept[0]).sort()).toEqual(['card_bin', 'card_brand', 'card_last4', 'created_at', 'merchant_id', 'token']);

    const before = await sandboxAuthorizations();
    const req = tokenPay(token);
    const second = await stack.merchant.post('payments/pay', req);
    expect(second.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(second.body.paymentResultInfo).toMatchObject({ cardToken: token, cardBin: '555555', lastFour: '4444' });
    expect(await sandboxAuthorizations()).toBe(before + 1);
    const stored = await row(second.body.paymentId);
    expect(stored).toMatchObject({ status: 'SUCCEEDED', card_id: null });
    // Upstream it went as the acquirer's own token, paid as a card on file: the sandbox knows it as such.
    const upstream = await stack.db.query(`SELECT request_hash, response FROM sandbox.payment WHERE payment_request_id = $1`, [stored.id]);
    expect(upstream).toHaveLength(1);
    expect(upstream[0].response.paymentResultInfo.cardToken).toBe(token);

    // The same request again is the same payment: no second authorization.
    const replay = await stack.merchant.post('payments/pay', req);
    expect(replay.body.paymentId).toBe(second.body.paymentId);
    expect(await sandboxAuthorizations()).toBe(before + 1);
  });

  it("refuses another merchant's acquirer token, and a made-up one, without going upstream", async () => {
    const first = await hostedPayWithBuyer();
    const token = (await stack.merchant.post('payments/inquiryPayment', { paymentId: first })).body.paymentResultInfo.cardToken as string;
    const other = await stack.newMerchant();
    const before = Number((await stack.db.query('SELECT count(*) n FROM sandbox.payment'))[0].n);
    const stolen = await other.post('payments/pay', tokenPay(token));
    expect(stolen.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
    const madeUp = await stack.merchant.post('payments/pay', tokenPay('sbxtok_00000000000000000000000000000000'));
    expect(madeUp.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
    expect(Number((await stack.db.query('SELECT count(*) n FROM sandbox.payment'))[0].n)).toBe(before);
  });

  it("Korean issuer authentication: U with normalUrl, the buyer approves, SUCCEEDED by notification, no 3DS data (the seed's empty fields)", async () => {
    const req = s2sPay({ currency: 'KRW', value: '12000', captureMode: 'AUTOMATIC', notifyUrl: `${receiver.url}/notify` });
    Object.assign(req.paymentMethod.paymentMethodMetaData, { paymentMethodRegion: 'KR', enableAuthenticationUpgrade: false });
    req.paymentMethod.requireIssuerAuthentication = true;
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(pay.body.normalUrl).toMatch(/\/sandbox\/challenge\//);
    const page = await loopbackOnlyPage(browser);
    await page.goto(pay.body.normalUrl);
    await page.click('#approve');
    await waitFor(async () => (await row(pay.body.paymentId)).status === 'SUCCEEDED', 15_000);
    const events = await stack.db.query('SELECT type FROM payment_event WHERE payment_id = $1', [(await row(pay.body.paymentId)).id]);
    // Settled by the acquirer's asynchronous side, not the synchronous U: usually its PAYMENT_RESULT; its
    // CAPTURE_RESULT (automatic capture) can overtake that, and the gateway then inquires first.
    const types = events.map((e: { type: string }) => e.type);
    expect(types).toContain('AUTHORIZATION_RESPONSE');
    expect(types.filter((t: string) => t === 'AUTHORIZATION_NOTIFICATION' || t === 'AUTHORIZATION_INQUIRY')).toHaveLength(1);
    const notice = await waitFor(async () => merchantNotice(pay.body.paymentId), 10_000);
    expect(notice).toMatchObject({ result: { resultStatus: 'S' }, paymentAmount: { currency: 'KRW', value: '12000' } });
    expect(notice.paymentResultInfo.paymentMethodRegion).toBe('KR');
    // No 3DS information (the seed), in the shape of the seed's Korean example (issue 29): the acquirer's
    // empty threeDSResult, AVS and CVV codes as sent, nothing more.
    expect(notice.paymentResultInfo).toMatchObject({ threeDSResult: { cavv: '', eci: '' }, avsResultRaw: '', cvvResultRaw: '' });
    expect(notice.cardInfo.threeDSResult).toEqual({ cavv: '', eci: '' });
    await page.close();
  });
});
