import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadPrivateKey, publicKeyToPem } from '../../antom/keys';
import { GatewayConfig } from '../../config/gateway-config';

/**
 * The public half of the key the gateway signs responses and notifications with, found as the gateway
 * finds it (GATEWAY_PRIVATE_KEY, else GATEWAY_DATA_DIR/keys/gateway-signing-key.pem) — but never
 * created here: a key made by this command would not be the one a gateway elsewhere signs with.
 */
export function readGatewayPublicKey(config: GatewayConfig): { pem: string } | { missing: string } {
  const file = path.join(config.dataDir, 'keys', 'gateway-signing-key.pem');
  const source = config.GATEWAY_PRIVATE_KEY ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  if (!source) {
    return {
      missing: `no gateway signing key yet: set GATEWAY_PRIVATE_KEY as the gateway has it, or run this where the gateway's GATEWAY_DATA_DIR is (it creates ${file} on first start)`,
    };
  }
  return { pem: publicKeyToPem(loadPrivateKey(source)) };
}
