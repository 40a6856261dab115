import { randomUUID } from 'node:crypto';

import { Browser, chromium, Page } from 'playwright-core';

import { seedExample } from '../support/fixtures';
import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';

/** The sandbox's buyer pages, driven in Debian's Chromium. */
describe('sandbox: 3DS challenge and hosted card pages in a real browser', () => {
  let h: SandboxHarness;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    h = await startSandboxHarness();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  beforeEach(async () => {
    page = await browser.newPage();
  });
  afterEach(async () => {
    await page?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const challenged = async (cardNo: string, extra: Record<string, unknown> = {}) => {
    const req = upstreamPay(h, { cardNo });
    Object.assign(req.paymentMethod.paymentMethodMetaData, extra);
    req.paymentRedirectUrl = `${h.receiver.url}/return/${req.paymentRequestId}`;
    const res = await h.client.post('payments/pay', req);
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(res.body.redirectActionForm).toMatchObject({ method: 'GET', redirectUrl: res.body.normalUrl });
    return { req, paymentId: res.body.paymentId as string, normalUrl: res.body.normalUrl as string };
  };
  const inquiry = async (paymentId: string) => (await h.client.post('payments/inquiryPayment', { paymentId })).body;
  const paymentNote = (paymentId: string) => h.receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === paymentId);

  it('4000000000003220: Approve → back to paymentRedirectUrl; S with a challenged 3DS result by notification and inquiry', async () => {
    const { req, paymentId, normalUrl } = await challenged('4000000000003220');
    await page.goto(normalUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('3-D Secure challenge');
    await expect(page.locator('#card').textContent()).resolves.toBe('4000********3220');
    await page.fill('#otp', '123456');
    await Promise.all([page.waitForURL(`${h.receiver.url}/return/${req.paymentRequestId}`), page.click('#approve')]);
    await expect(page.locator('#merchant').textContent()).resolves.toBe('Back at the merchant');
    const [n] = await paymentNote(paymentId);
    expect(n.signatureValid).toBe(true);
    expect(n.body.result).toMatchObject({ resultStatus: 'S' });
    expect(n.body.paymentResultInfo.threeDSResult).toMatchObject({
      threeDSVersion: '2.2.0',
      eci: '05',
      cavv: expect.any(String),
      dsTransactionId: expect.any(String),
      challenged: true,
    });
    const inq = await inquiry(paymentId);
    expect(inq).toMatchObject({
      paymentStatus: 'SUCCESS',
      authExpiryTime: expect.any(String),
      cardInfo: { threeDSResult: { eci: '05', challenged: true } },
    });
    expect(inq.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(['PAYMENT', 'CAPTURE']);
    // The page is spent: a second visit changes nothing.
    await page.goto(normalUrl);
    await expect(page.locator('#status').textContent()).resolves.toMatch(/not awaiting/);
  });

  it('4000002760003184 with enableAuthenticationUpgrade: the step-up challenge; Fail → F USER_PAYMENT_VERIFICATION_FAILED, ECI 07', async () => {
    const { paymentId, normalUrl } = await challenged('4000002760003184', { enableAuthenticationUpgrade: true });
    await page.goto(normalUrl);
    await Promise.all([page.waitForURL(/\/return\//), page.click('#fail')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
    expect(n.body.paymentResultInfo.threeDSResult).toMatchObject({ eci: '07', challenged: true });
    expect((await inquiry(paymentId)).paymentStatus).toBe('FAIL');
  });

  it('Abandon → F ORDER_IS_CLOSED; without the upgrade flag 4000002760003184 is F AUTHENTICATION_REQUIRED', async () => {
    const { paymentId, normalUrl } = await challenged('4000000000003220');
    await page.goto(normalUrl);
    await Promise.all([page.waitForURL(/\/return\//), page.click('#abandon')]);
    expect((await paymentNote(paymentId))[0].body.result.resultCode).toBe('ORDER_IS_CLOSED');
    const req = upstreamPay(h, { cardNo: '4000002760003184' });
    req.paymentMethod.paymentMethodMetaData.enableAuthenticationUpgrade = false;
    expect((await h.client.post('payments/pay', req)).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTHENTICATION_REQUIRED' });
  });

  const hostedPay = async (edit: (req: ReturnType<typeof seedExample>) => void = () => undefined) => {
    const req = seedExample('pay-hosted-form.json');
    edit(req);
    req.paymentRequestId = `PAY_${randomUUID()}`;
    req.paymentNotifyUrl = `${h.receiver.url}/antom/notify`;
    req.paymentRedirectUrl = `${h.receiver.url}/return/${req.paymentRequestId}`;
    const res = await h.client.post('payments/pay', req);
    expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect(res.body.normalUrl).toContain('/sandbox/card/');
    return { paymentId: res.body.paymentId as string, normalUrl: res.body.normalUrl as string };
  };
  const typeCard = async (cardNo: string) => {
    await page.fill('#cardNo', cardNo);
    await page.fill('#expiryMonth', '12');
    await page.fill('#expiryYear', '34');
    await page.fill('#cvv', '123');
    await page.fill('#holder', 'Test Buyer');
  };

  it('hosted card page: the buyer types a card; S with cardInfo.cardToken, which then pays as paymentMethodId', async () => {
    const { paymentId, normalUrl } = await hostedPay();
    await page.goto(normalUrl);
    await typeCard('5555555555554444');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#pay')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result.resultStatus).toBe('S');
    expect(n.body.cardInfo).toMatchObject({ cardBrand: 'MASTERCARD', cardNo: '5555********4444', cardToken: expect.stringMatching(/^sbxtok_/) });
    const inq = await inquiry(paymentId);
    expect(inq.cardInfo.cardToken).toBe(n.body.cardInfo.cardToken);
    const again = upstreamPay(h);
    again.paymentMethod = { paymentMethodType: 'CARD', paymentMethodId: n.body.cardInfo.cardToken, paymentMethodMetaData: { isCardOnFile: true } };
    const onFile = await h.client.post('payments/pay', again);
    expect(onFile.body.result.resultStatus).toBe('S');
    expect(onFile.body.paymentResultInfo).toMatchObject({ cardNo: '5555********4444', cardToken: n.body.cardInfo.cardToken });
  });

  it('hosted card page with a challenge card: card form → 3DS challenge → S', async () => {
    const { paymentId, normalUrl } = await hostedPay();
    await page.goto(normalUrl);
    await typeCard('4000000000003220');
    await Promise.all([page.waitForURL(/\/sandbox\/challenge\//), page.click('#pay')]);
    await Promise.all([page.waitForURL(/\/return\//), page.click('#approve')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result.resultStatus).toBe('S');
    expect(n.body.cardInfo).toMatchObject({ cardToken: expect.any(String), threeDSResult: { challenged: true } });
  });

  it('hosted card page with a declined card: F by notification', async () => {
    const { paymentId, normalUrl } = await hostedPay();
    await page.goto(normalUrl);
    await typeCard('4000000000000002');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#pay')]);
    expect((await paymentNote(paymentId))[0].body.result).toMatchObject({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR' });
  });
  // Issue 29: the hosted page decides the typed card with what the pay asked for.
  const withMeta =
    (meta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (req: ReturnType<typeof seedExample>) => {
      req.paymentMethod = { paymentMethodType: 'CARD', paymentMethodMetaData: meta, ...extra };
    };

  it('hosted card page with is3DSAuthentication: a 3DS step, then threeDSResult in the notification (before: authorized without 3DS)', async () => {
    const { paymentId, normalUrl } = await hostedPay(withMeta({ is3DSAuthentication: true }));
    await page.goto(normalUrl);
    await typeCard('4111111111111111');
    await Promise.all([page.waitForURL(/\/sandbox\/challenge\//), page.click('#pay')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('3-D Secure challenge');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#approve')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result.resultStatus).toBe('S');
    expect(n.body.paymentResultInfo.threeDSResult).toMatchObject({ threeDSVersion: '2.2.0', eci: '05', challenged: true });
    expect(n.body.cardInfo.threeDSResult).toMatchObject({ eci: '05' });
  });

  it('hosted card page sets enableAuthenticationUpgrade only as sent: without it 4000002760003184 is F AUTHENTICATION_REQUIRED (before: a challenge nobody asked for)', async () => {
    const plain = await hostedPay();
    await page.goto(plain.normalUrl);
    await typeCard('4000002760003184');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#pay')]);
    expect((await paymentNote(plain.paymentId))[0].body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTHENTICATION_REQUIRED' });
    const upgraded = await hostedPay(withMeta({ enableAuthenticationUpgrade: true }));
    await page.goto(upgraded.normalUrl);
    await typeCard('4000002760003184');
    await Promise.all([page.waitForURL(/\/sandbox\/challenge\//), page.click('#pay')]);
    await Promise.all([page.waitForURL(/\/return\//), page.click('#approve')]);
    expect((await paymentNote(upgraded.paymentId))[0].body.result.resultStatus).toBe('S');
  });

  it('hosted card page refuses a card number failing the Luhn check (4111111111111112); the payment stays open', async () => {
    const { paymentId, normalUrl } = await hostedPay();
    await page.goto(normalUrl);
    await typeCard('4111111111111112');
    await page.click('#pay');
    await expect(page.locator('#status').textContent()).resolves.toBe('Invalid card number.');
    expect(await inquiry(paymentId)).toMatchObject({ paymentStatus: 'PROCESSING' });
  });

  it("hosted card page with paymentMethodRegion KR and requireIssuerAuthentication: the Korean issuer step; S with region KR and the seed's empty AVS, CVV and 3DS fields", async () => {
    const { paymentId, normalUrl } = await hostedPay((r) => {
      for (const a of [r.paymentAmount, r.order.orderAmount]) Object.assign(a, { currency: 'KRW', value: '120' });
      withMeta({ paymentMethodRegion: 'KR' }, { requireIssuerAuthentication: true })(r);
    });
    await page.goto(normalUrl);
    await typeCard('4117347806156383');
    await Promise.all([page.waitForURL(/\/sandbox\/challenge\//), page.click('#pay')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Card issuer authentication');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#approve')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result.resultStatus).toBe('S');
    const korean = { avsResultRaw: '', cvvResultRaw: '', paymentMethodRegion: 'KR', threeDSResult: { cavv: '', eci: '' } };
    expect(n.body.paymentResultInfo).toMatchObject(korean);
    expect(n.body.cardInfo).toMatchObject(korean);
  });

  it('hosted card page with an installment plan: the plan applies to the typed card (creditPayPlan in the result)', async () => {
    const { paymentId, normalUrl } = await hostedPay((r) => {
      r.creditPayPlan = { installmentNum: 6 };
    });
    await page.goto(normalUrl);
    await typeCard('4111111111111111');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#pay')]);
    const [n] = await paymentNote(paymentId);
    expect(n.body.result.resultStatus).toBe('S');
    expect(n.body.paymentResultInfo.creditPayPlan).toMatchObject({ installmentNum: 6 });
  });
  it("hosted card page with an installment plan where the card's region has none: the page declines it, F by notification", async () => {
    const { paymentId, normalUrl } = await hostedPay((r) => {
      withMeta({ paymentMethodRegion: 'DE' })(r);
      r.creditPayPlan = { installmentNum: 6 };
    });
    await page.goto(normalUrl);
    await typeCard('4111111111111111');
    await Promise.all([page.waitForURL(/\/return\//), page.click('#pay')]);
    expect((await paymentNote(paymentId))[0].body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });
});
