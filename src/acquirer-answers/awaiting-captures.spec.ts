import { Payment } from '../payments/payment.entity';
import { AwaitingCaptures } from './awaiting-captures';

const settled = (fields: Partial<Payment> = {}): Payment =>
  Object.assign(new Payment(), {
    id: 'p1',
    paymentId: 'gwp_1',
    merchantId: 'm1',
    status: 'SUCCEEDED',
    captureMode: 'AUTOMATIC',
    currency: 'EUR',
    authorizedAmount: 1000n,
    capturedAmount: 0n,
    paymentNotifyUrl: 'https://merchant.example/notify',
    upstreamPaymentId: 'up_1',
    ...fields,
  });

describe('AwaitingCaptures', () => {
  it('remembers a SUCCEEDED automatic-capture payment by the acquirer id, and hands it out once', () => {
    const a = new AwaitingCaptures();
    a.settled(settled());
    expect(a.take('up_1')).toEqual({
      id: 'p1',
      paymentId: 'gwp_1',
      merchantId: 'm1',
      status: 'SUCCEEDED',
      captureMode: 'AUTOMATIC',
      currency: 'EUR',
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      paymentNotifyUrl: 'https://merchant.example/notify',
    });
    expect(a.take('up_1')).toBeNull();
  });

  it('remembers nothing that does not await an automatic capture', () => {
    const a = new AwaitingCaptures();
    a.settled(settled({ captureMode: 'MANUAL' }));
    a.settled(settled({ status: 'AUTHORIZED', upstreamPaymentId: 'up_2' }));
    a.settled(settled({ status: 'FAILED', upstreamPaymentId: 'up_3' }));
    a.settled(settled({ upstreamPaymentId: null }));
    for (const id of ['up_1', 'up_2', 'up_3']) expect(a.take(id)).toBeNull();
  });

  it('an entry past its age is not used', () => {
    jest.useFakeTimers();
    try {
      const a = new AwaitingCaptures();
      a.settled(settled());
      jest.advanceTimersByTime(61_000);
      expect(a.take('up_1')).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
