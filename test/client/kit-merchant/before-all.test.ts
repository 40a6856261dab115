import { startTestGateway, TEST_CARDS, TestGateway } from 'antom-test-kit';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.stop());

it('pays on the embedded PostgreSQL started from beforeAll', async () => {
  const r = await gw.client.pay({
    paymentRequestId: 'before-all-1',
    paymentAmount: { currency: 'EUR', value: '1000' },
    order: { referenceOrderId: 'o1', orderDescription: 'Kit', orderAmount: { currency: 'EUR', value: '1000' } },
    paymentMethod: {
      paymentMethodType: 'CARD',
      paymentMethodMetaData: {
        cardNo: TEST_CARDS.VISA_SUCCESS,
        cvv: '123',
        expiryMonth: '12',
        expiryYear: '34',
        cardholderName: { fullName: 'Jane Doe' },
      },
    },
    paymentFactor: { isAuthorization: true, captureMode: 'MANUAL' },
    paymentRedirectUrl: 'https://shop.example/return',
  });
  expect(r.status).toBe('S');
});
