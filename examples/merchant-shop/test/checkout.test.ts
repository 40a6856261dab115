import { connectTestGateway, FAULT_AMOUNTS, TEST_CARDS } from 'antom-test-kit';

import { Shop } from '../src/shop';

const gateway = connectTestGateway();
const eur = (value: string) => ({ currency: 'EUR', value });
const card = (cardNo: string) => ({ cardNo, cvv: '123', expiryMonth: '12', expiryYear: '34', holder: 'Jane Doe' });

afterAll(() => gateway.client.close());

describe('merchant shop on the test gateway', () => {
  const shop = new Shop(gateway.client);

  it('checkout → PAYMENT_RESULT notification → ship (capture) → refund → inquiry', async () => {
    await shop.checkout('o-1', eur('2599'), card(TEST_CARDS.VISA_SUCCESS));
    const { paymentId } = shop.authorized('o-1');

    const paid = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentId });
    expect(paid.result.resultStatus).toBe('S');
    expect(paid.paymentAmount).toEqual(eur('2599'));
    shop.applyNotification(paid);

    const captured = await shop.ship('o-1');
    expect(captured.status).toBe('S');
    const captureNotice = await gateway.inbox.next({ type: 'CAPTURE_RESULT', paymentId });
    expect(captureNotice.captureAmount).toEqual(eur('2599'));

    const refunded = await shop.refund('o-1', '2599');
    expect(refunded.status).toBe('S');
    expect(shop.order('o-1')!.state).toBe('REFUNDED');
    const refundNotice = await gateway.inbox.next({ type: 'REFUND_RESULT', paymentId });
    expect(refundNotice.refundStatus).toBe('SUCCESS');

    expect(await shop.paymentStatus('o-1')).toBe('SUCCESS');
  });

  it('a declined card is F with the issuer code, and its notification says F too', async () => {
    const order = await shop.checkout('o-2', eur('1000'), card(TEST_CARDS.DO_NOT_HONOR));
    expect(order.state).toBe('DECLINED');
    expect(order.declineCode).toBe('DO_NOT_HONOR');
    const notice = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId });
    expect(notice.result).toMatchObject({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR' });
  });

  it('a lost answer is retried with the same paymentRequestId: one payment, authorized', async () => {
    await gateway.network.dropAnswers('payments/pay', 1);
    const order = await shop.checkout('o-3', eur('1500'), card(TEST_CARDS.VISA_SUCCESS));
    const { paymentId } = shop.authorized('o-3');
    // The first attempt was processed (its answer lost): the retry got the same payment, not a second one.
    const notices = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentId });
    expect(notices.paymentRequestId).toBe(order.paymentRequestId);
    const all = (await gateway.inbox.all()).filter((n) => n.notifyType === 'PAYMENT_RESULT' && n.paymentRequestId === order.paymentRequestId);
    expect(all).toHaveLength(1);
  });

  it('a capture after the authorization expired is declined (F AUTH_EXPIRED)', async () => {
    await shop.checkout('o-4', eur('700'), card(TEST_CARDS.VISA_SUCCESS));
    await gateway.sandbox.expireAuthorization(shop.authorized('o-4').paymentId);
    const r = await shop.ship('o-4');
    expect(r).toMatchObject({ status: 'F', code: 'AUTH_EXPIRED' });
  });

  it('a notification whose ack was lost comes again; applying it twice changes nothing', async () => {
    const paymentRequestId = 'pr-o-5';
    await gateway.notifications.duplicateNext({ type: 'PAYMENT_RESULT', paymentRequestId });
    const order = await shop.checkout('o-5', eur('900'), card(TEST_CARDS.VISA_SUCCESS), paymentRequestId);
    const first = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId });
    const again = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId });
    expect(again).toEqual(first);
    shop.applyNotification(first);
    shop.applyNotification(again);
    expect(shop.order('o-5')).toMatchObject({ state: 'AUTHORIZED', paymentId: order.paymentId });
  });

  it('3DS: U PAYMENT_IN_PROCESS with the challenge page → the buyer approves (complete3ds) → PAYMENT_RESULT S → capture → partial refund', async () => {
    const order = await shop.checkout('o-6', eur('3100'), card(TEST_CARDS.THREE_DS_CHALLENGE));
    expect(order.state).toBe('AUTHORIZING'); // U is not a failure: the buyer has a page to pass
    expect(order.buyerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    // The buyer's part, without a browser: the kit answers the sandbox's challenge page as the buyer would.
    await gateway.complete3ds(order.paymentRequestId, 'approve');
    const paid = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId });
    expect(paid.result.resultStatus).toBe('S');
    expect(paid.paymentResultInfo?.threeDSResult?.eci).toEqual(expect.any(String));
    shop.applyNotification(paid);
    expect(shop.order('o-6')).toMatchObject({ state: 'AUTHORIZED', paymentId: paid.paymentId });

    expect((await shop.ship('o-6')).status).toBe('S');
    expect((await shop.refund('o-6', '1000')).status).toBe('S');
    const refundNotice = await gateway.inbox.next({ type: 'REFUND_RESULT', paymentId: paid.paymentId });
    expect(refundNotice.refundAmount).toEqual(eur('1000'));
  });

  it('3DS failed by the buyer (complete3ds): the notification says F, the order is declined', async () => {
    const order = await shop.checkout('o-7', eur('1200'), card(TEST_CARDS.THREE_DS_CHALLENGE));
    await gateway.complete3ds(order.paymentRequestId, 'fail');
    const notice = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId });
    expect(notice.result).toMatchObject({ resultStatus: 'F', resultCode: 'USER_PAYMENT_VERIFICATION_FAILED' });
    shop.applyNotification(notice);
    expect(shop.order('o-7')!.state).toBe('DECLINED');
  });

  it('a U answer (FAULT_AMOUNTS.LATE_AUTHORIZATION) is no failure: the order waits for its PAYMENT_RESULT, S', async () => {
    const order = await shop.checkout('o-8', eur(`1${FAULT_AMOUNTS.LATE_AUTHORIZATION}`), card(TEST_CARDS.VISA_SUCCESS));
    expect(order.state).toBe('AUTHORIZING'); // U UNKNOWN_EXCEPTION: the outcome is not known yet, not a decline
    const notice = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId }, 20_000);
    expect(notice.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    shop.applyNotification(notice);
    expect(shop.authorized('o-8').paymentId).toBe(notice.paymentId);
    // settle(ref) answers where a payment stands, settled or not: the gateway agrees with the notification.
    expect(await gateway.settle(order.paymentRequestId)).toEqual([expect.objectContaining({ status: 'AUTHORIZED', resultStatus: 'S' })]);
  });

  describe('settleNow: a U settled at once, not at the next reconciliation (60 s)', () => {
    it('answers lost after the acquirer authorized: settle → S, and the PAYMENT_RESULT follows', async () => {
      // The gateway's three sends are processed by the acquirer, each answer lost: the shop gets U. The acquirer's
      // own notification is held back (FAULT_AMOUNTS.OUT_OF_ORDER_NOTIFICATIONS), so only reconciliation tells.
      await gateway.sandbox.upstreamFault('drop', 'payments/pay', 3);
      const order = await shop.checkout('o-9', eur(`2${FAULT_AMOUNTS.OUT_OF_ORDER_NOTIFICATIONS}`), card(TEST_CARDS.VISA_SUCCESS));
      expect(order.state).toBe('AUTHORIZING');
      const [standing] = await gateway.settle(order.paymentRequestId);
      expect(standing).toMatchObject({ paymentRequestId: order.paymentRequestId, status: 'AUTHORIZED', resultStatus: 'S' });
      const notice = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId });
      expect(notice.result.resultStatus).toBe('S');
      shop.applyNotification(notice);
      expect(shop.authorized('o-9').paymentId).toBe(standing.paymentId);
      expect((await gateway.settleNow()).filter((p) => p.paymentRequestId === order.paymentRequestId)).toEqual([]); // nothing left open
    });

    it('never reached the acquirer: U until the retry window is over (the clock moved), then F PROCESS_FAIL, notified', async () => {
      await gateway.sandbox.upstreamFault('http503', 'payments/pay', 3);
      const order = await shop.checkout('o-10', eur('1100'), card(TEST_CARDS.VISA_SUCCESS));
      expect(order.state).toBe('AUTHORIZING');
      // The merchant could still retry with the same paymentRequestId: the gateway cannot call it failed yet.
      expect(await gateway.settle(order.paymentRequestId)).toEqual([expect.objectContaining({ resultStatus: 'U' })]);
      await gateway.clock.advance({ minutes: 6 }); // past the retry window (RETRY_WINDOW_SECONDS, 5 min)
      expect(await gateway.settle(order.paymentRequestId)).toEqual([expect.objectContaining({ resultStatus: 'F', resultCode: 'PROCESS_FAIL' })]);
      const notice = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: order.paymentRequestId });
      expect(notice.result).toMatchObject({ resultStatus: 'F', resultCode: 'PROCESS_FAIL' });
      shop.applyNotification(notice);
      expect(shop.order('o-10')!.state).toBe('DECLINED');
    });
  });

  // Last: the clock moves the gateway's and the acquirer's time for every payment, forward only.
  describe('the test clock', () => {
    it('time moved past the authorization’s validity (the kit’s clock): shipping is refused, F AUTH_EXPIRED; the payment EXPIRED', async () => {
      await shop.checkout('o-11', eur('4200'), card(TEST_CARDS.VISA_SUCCESS));
      const { paymentRequestId } = shop.authorized('o-11');
      await gateway.clock.advance({ days: 8 }); // the sandbox's authorizations hold 7 days
      expect(await shop.ship('o-11')).toMatchObject({ status: 'F', code: 'AUTH_EXPIRED' });
      // The merchant's expiry policy here is the kit's default, EXPIRE: the hold lapses, no capture, no void. Antom
      // sends no notification for that; an inquiry (or the gateway's standing) says so.
      expect(await gateway.settle(paymentRequestId)).toEqual([expect.objectContaining({ status: 'EXPIRED' })]);
      expect(await shop.paymentStatus('o-11')).toBe('FAIL');
    });
  });
});
