import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';

import { generateRsaKeyPair } from '../antom/keys';
import { GatewayConfig, isLoopbackAcquirer } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { GatewayAddress } from '../platform/http/gateway-address';
import { writePrivate } from './dev-credentials';

/** Every demo merchant's client id begins so; `activeDemoMerchants` finds them by it. */
const DEMO_PREFIX = 'SANDBOX_DEMO';

export interface MerchantFile {
  clientId: string;
  privateKey: string;
  gatewayPublicKey: string;
  baseUrl: string;
}

/**
 * Whether this gateway is a development setup: its acquirer is the bundled sandbox, or anything on
 * loopback (`npm run sandbox` + instances, GATEWAY_WORKERS' workers, the bench) — the same line
 * NOTIFY_PRIVATE_HOSTS=auto draws. Against a remote acquirer (real Antom) no demo merchant is made: it
 * would be an ACTIVE merchant, able to charge real cards, whose private key lies on disk.
 */
export function isDevelopmentAcquirer(config: GatewayConfig): boolean {
  return isLoopbackAcquirer(config.ANTOM_BASE_URL);
}

/**
 * First start: a demo merchant with its own key pair, written to GATEWAY_DATA_DIR/dev/merchant.json
 * (0600) so a merchant script can sign requests at once. Later starts reuse it. Development only
 * (`isDevelopmentAcquirer`): otherwise nothing is created and null comes back; merchants are then
 * onboarded with `npm run merchant -- add`.
 */
export async function ensureDemoMerchant(app: INestApplication, config: GatewayConfig): Promise<string | null> {
  if (!isDevelopmentAcquirer(config)) return null;
  const file = path.join(config.dataDir, 'dev', 'merchant.json');
  const merchants = app.get(MerchantsService);
  if (fs.existsSync(file)) {
    const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as MerchantFile;
    if (await merchants.findByClientId(existing.clientId)) return file;
  }
  const keys = generateRsaKeyPair();
  const clientId = `${DEMO_PREFIX}${randomBytes(5).toString('hex').toUpperCase()}`;
  await merchants.create(clientId, 'Demo merchant', keys.publicKeyPem);
  const content: MerchantFile = {
    clientId,
    privateKey: keys.privateKeyPem,
    gatewayPublicKey: app.get(GatewaySigningKey).publicKeyPem,
    baseUrl: app.get(GatewayAddress).publicUrl,
  };
  writePrivate(file, JSON.stringify(content, null, 2));
  return file;
}

/** Demo merchants a development run left ACTIVE in this database: named at start-up against a remote acquirer. */
export async function activeDemoMerchants(app: INestApplication): Promise<string[]> {
  return app.get(MerchantsService).activeClientIdsStartingWith(DEMO_PREFIX);
}
