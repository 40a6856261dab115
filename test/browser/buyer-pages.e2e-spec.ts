import { Browser } from 'playwright-core';

import { launchChromium, loopbackOnlyPage, payOnHostedPage } from '../support/browser';
import { s2sPay, seedExample } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/** The buyer's side in a real browser: the 3DS challenge and the hosted card page, results by notification. */
describe('buyer pages in Chromium: 3DS challenge and hosted card form through the gateway', () => {
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

  const statusOf = async (paymentId: string) =>
    (await stack.db.query('SELECT status FROM payment WHERE payment_id = $1', [paymentId]))[0].status as string;
  const merchantNotice = (paymentId: string) =>
    receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.paymentId === paymentId && b.notifyType === 'PAYMENT_RESULT');

  it('a buyer approves the 3DS challenge; the result arrives by notification with threeDSResult', async () => {
    const req = s2sPay({ cardNo: '4000000000003220', notifyUrl: `${receiver.url}/notify` });
    req.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const page = await loopbackOnlyPage(browser);
    await page.goto(pay.body.normalUrl);
    await page.fill('#otp', '123456');
    await page.click('#approve');
    await waitFor(async () => (await statusOf(pay.body.paymentId)) === 'SUCCEEDED', 15_000);
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: pay.body.paymentId });
    expect(inquiry.body.paymentStatus).toBe('SUCCESS');
    expect(inquiry.body.paymentResultInfo.threeDSResult).toMatchObject({ threeDSVersion: '2.2.0', eci: '05', challenged: true });
    const notice = await waitFor(async () => merchantNotice(pay.body.paymentId), 10_000);
    expect(notice.paymentResultInfo.threeDSResult.eci).toBe('05');
    await page.close();
  });

  it('a failed challenge ends FAIL; the return to paymentRedirectUrl proves nothing', async () => {
    const req = s2sPay({ cardNo: '4000000000003220' });
    req.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const pay = await stack.merchant.post('payments/pay', req);
    const page = await loopbackOnlyPage(browser);
    await page.goto(pay.body.normalUrl);
    await page.click('#fail');
    await waitFor(async () => (await statusOf(pay.body.paymentId)) === 'FAILED', 15_000);
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: pay.body.paymentId });
    expect(inquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
    await page.close();
  });

  it('hosted-form mode: no card reaches the gateway; the buyer pays on the acquirer page; the token comes back', async () => {
    const req = seedExample('pay-hosted-form.json');
    req.paymentRequestId = `PAY_HOSTED_${Date.now()}`;
    req.paymentNotifyUrl = `${receiver.url}/notify`;
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    const page = await payOnHostedPage(browser, pay.body.normalUrl, '4111111111111111');
    await waitFor(async () => (await statusOf(pay.body.paymentId)) === 'SUCCEEDED', 15_000);
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: pay.body.paymentId });
    expect(inquiry.body.paymentResultInfo).toMatchObject({ cardBin: '411111', lastFour: '1111' });
    expect(inquiry.body.paymentResultInfo.cardToken).toBeDefined();
    expect(
      Number(
        (await stack.db.query('SELECT count(*) n FROM card c JOIN payment p ON p.card_id = c.id WHERE p.payment_id = $1', [pay.body.paymentId]))[0].n,
      ),
    ).toBe(0);
    await page.close();
  });

  it('hosted-form mode refuses MPI data (the gateway holds no card)', async () => {
    const req = seedExample('pay-hosted-form.json');
    req.paymentRequestId = `PAY_HOSTED_${Date.now()}`;
    delete req.paymentNotifyUrl;
    req.paymentMethod.paymentMethodMetaData = { mpiData: { threeDSVersion: '2.2.0', eci: '05', cavv: 'x', dsTransactionId: 'y' } };
    const pay = await stack.merchant.post('payments/pay', req);
    expect(pay.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });
});
