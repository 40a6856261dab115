import { KeyObject, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadPrivateKey, loadPublicKey } from '../../src/antom/keys';
import { MerchantsService } from '../../src/merchants/merchants.service';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { ARTIFACTS } from './merchant-client';
import { TestStack } from './stack';
import { testKeyPair } from './test-keys';

export interface SdkMerchant {
  clientId: string;
  privateKey: KeyObject;
  /** The gateway's response-signing key, as the SDK's `alipay_public_key`. */
  gatewayKey: KeyObject;
}

/** A merchant registered on the stack whose keys a wire-level test holds itself. */
export async function sdkMerchant(stack: TestStack, sandboxId = true): Promise<SdkMerchant> {
  const keys = testKeyPair();
  const clientId = `${sandboxId ? 'SANDBOX_' : ''}W${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  await stack.app.get(MerchantsService).create(clientId, 'SDK wire merchant', keys.publicKeyPem);
  return { clientId, privateKey: loadPrivateKey(keys.privateKeyPem), gatewayKey: loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem) };
}

/** The repository's copy of the seed's server-to-server pay, made safe to send (no public notify host). */
export function fixturePay(overrides: { cardNo?: string; value?: string; captureMode?: 'AUTOMATIC' | 'MANUAL'; notifyUrl?: string } = {}) {
  const req = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/pay-server-to-server.json'), 'utf8'));
  req.paymentRequestId = `PAY_${randomUUID()}`;
  if (overrides.notifyUrl) req.paymentNotifyUrl = overrides.notifyUrl;
  else delete req.paymentNotifyUrl;
  req.paymentRedirectUrl = 'http://127.0.0.1:9/merchant/return';
  req.paymentMethod.paymentMethodMetaData.enableAuthenticationUpgrade = false;
  if (overrides.cardNo) req.paymentMethod.paymentMethodMetaData.cardNo = overrides.cardNo;
  if (overrides.value) {
    req.paymentAmount.value = overrides.value;
    req.order.orderAmount.value = overrides.value;
    for (const g of req.order.goods ?? []) g.goodsUnitAmount.value = overrides.value;
  }
  if (overrides.captureMode) req.paymentFactor.captureMode = overrides.captureMode;
  return req;
}

/** Every answer body goes to the end-of-run card-data leak scan, as MerchantClient's do. */
export function recordAnswer(raw: string): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.appendFileSync(path.join(ARTIFACTS, 'responses.jsonl'), raw.replace(/\n/g, ' ') + '\n');
}
