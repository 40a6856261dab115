import { Capture, Refund } from './capture.entity';
import { Payment } from './payment.entity';

/**
 * Rows for unit specs (no database): a payment, capture or refund with plausible values, overridden per test.
 * Not imported by production code; `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
const T0 = new Date('2026-12-07T10:00:00Z');

export function fakePayment(over: Partial<Payment> = {}): Payment {
  return Object.assign(
    new Payment(),
    {
      id: 'p-uuid',
      paymentId: 'gwp_1',
      merchantId: 'm-1',
      paymentRequestId: 'req-1',
      requestHash: 'h',
      status: 'AUTHORIZED',
      captureMode: 'MANUAL',
      currency: 'EUR',
      amount: 1000n,
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      refundedAmount: 0n,
      cardId: null,
      cardBin: '411111',
      cardLast4: '1111',
      cardBrand: 'VISA',
      referenceOrderId: 'order-1',
      orderDescription: 'order',
      referenceBuyerId: null,
      clientIp: null,
      paymentNotifyUrl: null,
      paymentRedirectUrl: 'https://shop.example/back',
      upstreamPaymentId: 'acq_1',
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success',
      paymentResultInfo: {},
      action: null,
      authExpiryTime: null,
      paymentTime: T0,
      cancelRequestedAt: null,
      cancelTime: null,
      nextReconcileAt: null,
      createdAt: T0,
      updatedAt: T0,
    } satisfies Payment,
    over,
  );
}

export function fakeCapture(over: Partial<Capture> = {}): Capture {
  return Object.assign(
    new Capture(),
    {
      id: 'c-uuid',
      captureId: 'gwc_1',
      merchantId: 'm-1',
      paymentId: 'p-uuid',
      captureRequestId: 'cap-1',
      requestHash: 'h',
      currency: 'EUR',
      amount: 400n,
      isLast: false,
      automatic: false,
      status: 'SUCCESS',
      upstreamCaptureId: 'acq_c_1',
      acquirerReferenceNo: null,
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success',
      captureTime: T0,
      createdAt: T0,
      updatedAt: T0,
    } as Capture,
    over,
  );
}

export function fakeRefund(over: Partial<Refund> = {}): Refund {
  return Object.assign(
    new Refund(),
    {
      id: 'r-uuid',
      refundId: 'gwr_1',
      merchantId: 'm-1',
      paymentId: 'p-uuid',
      refundRequestId: 'ref-1',
      requestHash: 'h',
      currency: 'EUR',
      amount: 100n,
      reason: null,
      notifyUrl: null,
      upstreamRefundId: 'acq_r_1',
      status: 'SUCCESS',
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success',
      refundTime: T0,
      createdAt: T0,
      updatedAt: T0,
    } as Refund,
    over,
  );
}
