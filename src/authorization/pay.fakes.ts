import { MockProxy } from 'jest-mock-extended';

import { PayRequestDto } from '../antom/requests/pay.dto';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { GatewayAddress } from '../platform/http/gateway-address';
import { PayPipeline, PaySource } from './pay-pipeline';

/**
 * Pay requests and collaborators for the pay paths' unit specs. Not imported by production code;
 * `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
export const PUBLIC_URL = 'https://pay.gateway.example';

export const merchant: MerchantIdentity = {
  id: 'm-1',
  clientId: 'C_1',
  status: 'ACTIVE',
  notifyUrl: 'https://shop.example/notify',
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};

export function config(over: Partial<GatewayConfig> = {}): GatewayConfig {
  return Object.assign(new GatewayConfig(), {
    GATEWAY_PUBLIC_URL: PUBLIC_URL,
    RECONCILE_FIRST_DELAY_SECONDS: 60,
    VAULT_CVV_TTL_SECONDS: 900,
    ...over,
  });
}

export const address = (): GatewayAddress => new GatewayAddress(config());

/** A pay as the DTO validation leaves it (the shape the services receive). */
export function payRequest(method: Partial<PayRequestDto['paymentMethod']> = {}, over: Partial<PayRequestDto> = {}): PayRequestDto {
  return {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'req-1',
    order: { referenceOrderId: 'order-1', orderDescription: 'Shoes', orderAmount: { currency: 'EUR', value: '1000' } },
    paymentAmount: { currency: 'EUR', value: '1000' },
    paymentMethod: { paymentMethodType: 'CARD', ...method },
    paymentRedirectUrl: 'https://shop.example/back',
    env: { terminalType: 'WEB', clientIp: '203.0.113.9', browserInfo: { userAgent: 'UA', acceptHeader: 'text/html' } },
    ...over,
  } as PayRequestDto;
}

/** The PaySource a pay path handed to `PayPipeline.run` (the pipeline itself is faked). */
export function sourceOf(pipeline: MockProxy<PayPipeline>): PaySource {
  expect(pipeline.run).toHaveBeenCalledTimes(1);
  return pipeline.run.mock.calls[0][2];
}
