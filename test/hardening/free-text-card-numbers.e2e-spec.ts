import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

jest.setTimeout(120_000);

/** 12-digit Maestro, 16-digit Visa typed with spaces and with dashes, 15-digit Amex: all Luhn-valid. */
export const FREE_TEXT_PANS = ['501800000009', '4242 4242 4242 4242', '4111-1111-1111-1111', '378282246310005'];

/**
 * Issue 18: card numbers typed into a merchant's free-text fields were stored in clear, echoed by
 * inquiry and shown in the console. Each is refused with F PARAM_ILLEGAL naming the field, never
 * quoting it, and nothing is written; the card fields themselves still take a card.
 */
describe('card numbers in merchant free-text fields', () => {
  let stack: TestStack;
  let authorized: { paymentId: string; paymentRequestId: string };

  beforeAll(async () => {
    stack = await startTestStack({ MERCHANT_RATE_LIMIT_PER_SECOND: '0' });
    const manual = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '5000' }));
    expect(manual.body.result.resultStatus).toBe('S');
    authorized = manual.body;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const digitsOf = (s: string) => s.replace(/\D/g, '');

  function expectRefused(res: { body: { result: { resultStatus: string; resultCode: string; resultMessage: string } } }, field: string, pan: string) {
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(res.body.result.resultMessage).toBe(`Illegal parameter ${field}: must not contain a card number.`);
    expect(JSON.stringify(res.body)).not.toContain(digitsOf(pan).slice(0, 8));
  }

  type Req = ReturnType<typeof s2sPay>;
  const payFields: Array<[string, (r: Req, pan: string) => void]> = [
    ['paymentRequestId', (r, pan) => (r.paymentRequestId = `PAY_${pan}`)],
    ['order.referenceOrderId', (r, pan) => (r.order.referenceOrderId = `ORD-${pan}`)],
    ['order.orderDescription', (r, pan) => (r.order.orderDescription = `Card ${pan}, thanks`)],
    ['order.goods.0.goodsName', (r, pan) => (r.order.goods = [{ referenceGoodsId: 'g1', goodsName: `Gift for ${pan}` }])],
    ['order.buyer.buyerName.firstName', (r, pan) => (r.order.buyer = { buyerName: { firstName: pan, lastName: 'Doe' } })],
    ['paymentRedirectUrl', (r, pan) => (r.paymentRedirectUrl = `https://shop.example/return?card=${encodeURIComponent(pan)}`)],
    [
      'paymentMethod.paymentMethodMetaData.cardholderName.firstName',
      (r, pan) => ((r.paymentMethod.paymentMethodMetaData as Record<string, unknown>).cardholderName = { firstName: pan, lastName: 'Doe' }),
    ],
  ];

  it.each(payFields.flatMap(([field, set]) => FREE_TEXT_PANS.map((pan) => [field, pan, set] as const)))(
    'pay refuses %s holding %j, and writes nothing',
    async (field, pan, set) => {
      const req = s2sPay();
      set(req, pan);
      const before = Number((await stack.db.query('SELECT count(*) AS n FROM payment'))[0].n);
      expectRefused(await stack.merchant.post('payments/pay', req), field, pan);
      expect(Number((await stack.db.query('SELECT count(*) AS n FROM payment'))[0].n)).toBe(before);
    },
  );

  it.each(FREE_TEXT_PANS)('capture, refund, cancel and inquiry refuse %j in their free-text fields', async (pan) => {
    expectRefused(
      await stack.merchant.post('payments/capture', {
        captureRequestId: `CAP_${pan}`,
        paymentId: authorized.paymentId,
        captureAmount: { currency: 'EUR', value: '100' },
      }),
      'captureRequestId',
      pan,
    );
    expectRefused(
      await stack.merchant.post('payments/refund', {
        refundRequestId: `REF_${randomUUID()}`,
        paymentId: authorized.paymentId,
        refundAmount: { currency: 'EUR', value: '1' },
        refundReason: `card ${pan}`,
      }),
      'refundReason',
      pan,
    );
    expectRefused(
      await stack.merchant.post('payments/refund', {
        refundRequestId: `REF_${pan}`,
        paymentId: authorized.paymentId,
        refundAmount: { currency: 'EUR', value: '1' },
      }),
      'refundRequestId',
      pan,
    );
    expectRefused(await stack.merchant.post('payments/cancel', { paymentRequestId: `PAY_${pan}` }), 'paymentRequestId', pan);
    expectRefused(await stack.merchant.post('payments/inquiryPayment', { paymentRequestId: pan }), 'paymentRequestId', pan);
    const [{ captured }] = await stack.db.query('SELECT captured_amount::text AS captured FROM payment WHERE payment_id = $1', [
      authorized.paymentId,
    ]);
    expect(captured).toBe('0');
  });

  it('still takes the card in the card fields, and ordinary ids with digits in them', async () => {
    const req = s2sPay();
    req.order.referenceOrderId = 'ORDER-2026-11-26-000123'; // a date and a counter: no card number
    req.order.orderDescription = 'Invoice 12345678901 (11 digits), phone +49 170 1234567';
    const res = await stack.merchant.post('payments/pay', req);
    expect(res.body.result).toMatchObject({ resultStatus: 'S' });
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM payment p WHERE p::text ~ '4242 ?4242 ?4242 ?4242|4111-?1111-?1111-?1111|501800000009|378282246310005'`,
    );
    expect(n).toBe(0);
  });
});
