import { connectTestGateway, TEST_CARDS } from 'antom-test-kit';

const gw = connectTestGateway();
afterAll(() => gw.client.close());

it('pays on the gateway the globalSetup started, and its notification reaches the inbox', async () => {
  const r = await gw.client.pay({
    paymentRequestId: 'global-setup-1',
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
  const n = await gw.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: 'global-setup-1' });
  expect(n.result.resultStatus).toBe('S');
});
