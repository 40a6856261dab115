import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { generateRsaKeyPair } from '../antom/keys';
import { GatewayConfig } from '../config/gateway-config';
import { GatewaySigningKey } from '../merchant-api/gateway-signing-key';
import { MerchantsService } from '../merchants/merchants.service';
import { writePrivate } from './dev-credentials';

export interface MerchantFile {
  clientId: string;
  privateKey: string;
  gatewayPublicKey: string;
  baseUrl: string;
}

/**
 * First start: a demo merchant with its own key pair, written to GATEWAY_DATA_DIR/dev/merchant.json
 * (0600) so a merchant script can sign requests at once. Later starts reuse it.
 */
export async function ensureDemoMerchant(app: INestApplication, config: GatewayConfig): Promise<string> {
  const file = path.join(config.dataDir, 'dev', 'merchant.json');
  const merchants = app.get(MerchantsService);
  if (fs.existsSync(file)) {
    const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as MerchantFile;
    if (await merchants.findByClientId(existing.clientId)) return file;
  }
  const keys = generateRsaKeyPair();
  const clientId = `SANDBOX_DEMO${randomBytes(5).toString('hex').toUpperCase()}`;
  await merchants.create(clientId, 'Demo merchant', keys.publicKeyPem);
  const content: MerchantFile = {
    clientId,
    privateKey: keys.privateKeyPem,
    gatewayPublicKey: app.get(GatewaySigningKey).publicKeyPem,
    baseUrl: config.publicUrl,
  };
  writePrivate(file, JSON.stringify(content, null, 2));
  return file;
}
