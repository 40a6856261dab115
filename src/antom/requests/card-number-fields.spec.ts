import { AntomError } from '../antom-error';
import { refuseCardNumbersInFreeText } from './card-number-fields';

const refusal = (body: unknown): string | null => {
  try {
    refuseCardNumbersInFreeText(body);
    return null;
  } catch (e) {
    return e instanceof AntomError ? `${e.result.resultCode}: ${e.message}` : String(e);
  }
};

describe('card numbers in a merchant request', () => {
  it.each([
    ['order.referenceOrderId', { order: { referenceOrderId: 'ORD4111111111111111' } }],
    ['order.orderDescription', { order: { orderDescription: 'card 4111.1111.1111.1111 thanks' } }],
    ['paymentRedirectUrl', { paymentRedirectUrl: 'https://shop.example/r?c=4111%25201111%25201111%25201111' }],
    ['order.goods.0.goodsName', { order: { goods: [{ goodsName: '４１１１ １１１１ １１１１ １１１１' }] } }],
    ['refundReason', { refundReason: '5555\u00a05555\u00a05555\u00a04444' }],
  ])('refuses one in %s, naming the field and not quoting it', (path, body) => {
    const r = refusal(body);
    expect(r).toBe(`PARAM_ILLEGAL: Illegal parameter ${path}: must not contain a card number.`);
  });

  it('takes ordinary numeric ids that no network could issue (the fidelity report)', () => {
    for (const body of [
      { order: { referenceOrderId: '300120241132' } },
      { order: { referenceOrderId: '61202412071548' } },
      { paymentRequestId: 'PAY-61202412071548-0001' },
      { refundRequestId: 'RF-345309538816-2' },
      { captureRequestId: '20261207154812345678' },
    ])
      expect(refusal(body)).toBeNull();
  });
});
