import { connectTestGateway, TEST_CARDS } from 'antom-test-kit';

import { Shop } from '../src/shop';

const gateway = connectTestGateway();
const eur = (value: string) => ({ currency: 'EUR', value });
const card = (cardNo: string) => ({ cardNo, cvv: '123', expiryMonth: '12', expiryYear: '34', holder: 'Jane Doe' });

afterAll(() => gateway.client.close());

describe('merchant shop on the test gateway', () => {
  const shop = new Shop(gateway.client);

  it('checkout → PAYMENT_RESULT notification → ship (capture) → refund → inquiry', async () => {
    const order = await shop.checkout('o-1', eur('2599'), card(TEST_CARDS.VISA_SUCCESS));
    expect(order.state).toBe('AUTHORIZED');

    const paid = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentId: order.paymentId! });
    expect(paid.result.resultStatus).toBe('S');
    expect(paid.paymentAmount).toEqual(eur('2599'));
    shop.applyNotification(paid);

    const captured = await shop.ship('o-1');
    expect(captured.status).toBe('S');
    const captureNotice = await gateway.inbox.next({ type: 'CAPTURE_RESULT', paymentId: order.paymentId! });
    expect(captureNotice.captureAmount).toEqual(eur('2599'));

    const refunded = await shop.refund('o-1', '2599');
    expect(refunded.status).toBe('S');
    expect(shop.order('o-1')!.state).toBe('REFUNDED');
    const refundNotice = await gateway.inbox.next({ type: 'REFUND_RESULT', paymentId: order.paymentId! });
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
    expect(order.state).toBe('AUTHORIZED');
    // The first attempt was processed (its answer lost): the retry got the same payment, not a second one.
    const notices = await gateway.inbox.next({ type: 'PAYMENT_RESULT', paymentId: order.paymentId! });
    expect(notices.paymentRequestId).toBe(order.paymentRequestId);
    const all = (await gateway.inbox.all()).filter((n) => n.notifyType === 'PAYMENT_RESULT' && n.paymentRequestId === order.paymentRequestId);
    expect(all).toHaveLength(1);
  });

  it('a capture after the authorization expired is declined (F AUTH_EXPIRED)', async () => {
    const order = await shop.checkout('o-4', eur('700'), card(TEST_CARDS.VISA_SUCCESS));
    await gateway.sandbox.expireAuthorization(order.paymentId!);
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
});
