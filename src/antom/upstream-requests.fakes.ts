import { UpstreamPayRequest } from './upstream-requests';

/**
 * Typed upstream requests for unit specs (the port and the Antom client take one type per operation). Not
 * imported by production code; `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
export function upstreamPayRequest(over: Partial<UpstreamPayRequest> = {}): UpstreamPayRequest {
  return {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'r-1',
    order: { referenceOrderId: 'order-1', orderDescription: 'Shoes', orderAmount: { currency: 'EUR', value: '1000' } },
    paymentAmount: { currency: 'EUR', value: '1000' },
    paymentMethod: { paymentMethodType: 'CARD' },
    paymentFactor: { isAuthorization: true, captureMode: 'AUTOMATIC' },
    paymentRedirectUrl: 'https://shop.example/back',
    paymentNotifyUrl: 'https://pay.gateway.example/antom/notify',
    ...over,
  };
}
