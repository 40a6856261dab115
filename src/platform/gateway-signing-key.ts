import { createPublicKey, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { generateRsaKeyPair, loadPrivateKey, publicKeyToPem } from '../antom/keys';
import { GatewayConfig } from '../config/gateway-config';

/** The gateway's own key: signs responses and merchant notifications so merchants verify them like Antom's. */
export class GatewaySigningKey {
  constructor(
    readonly privateKey: KeyObject,
    readonly publicKeyPem: string,
  ) {}

  static load(config: GatewayConfig): GatewaySigningKey {
    const pem =
      config.GATEWAY_PRIVATE_KEY ??
      (config.GATEWAY_PRIVATE_KEY_FILE ? fs.readFileSync(config.GATEWAY_PRIVATE_KEY_FILE, 'utf8') : readOrCreate(devKeyFile(config)));
    const privateKey = loadPrivateKey(pem);
    return new GatewaySigningKey(privateKey, publicKeyToPem(createPublicKey(privateKey)));
  }

  toString() {
    return '[GatewaySigningKey]';
  }
  toJSON() {
    return '[GatewaySigningKey]';
  }
}

/** Where the development signing key is generated (GATEWAY_DATA_DIR); refused with a remote acquirer. */
export function devKeyFile(config: GatewayConfig): string {
  return path.join(config.dataDir, 'keys', 'gateway-signing-key.pem');
}

/** Where the signing key comes from, for the key inventory; never the key itself. */
export function signingKeySource(config: GatewayConfig): 'env:GATEWAY_PRIVATE_KEY' | 'file:GATEWAY_PRIVATE_KEY_FILE' | 'development file' {
  if (config.GATEWAY_PRIVATE_KEY) return 'env:GATEWAY_PRIVATE_KEY';
  return config.GATEWAY_PRIVATE_KEY_FILE ? 'file:GATEWAY_PRIVATE_KEY_FILE' : 'development file';
}

function readOrCreate(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKeyPem } = generateRsaKeyPair();
  try {
    // 'wx': two instances starting at once must end up with the same key, not each its own.
    fs.writeFileSync(file, privateKeyPem, { mode: 0o600, flag: 'wx' });
    return privateKeyPem;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
    throw e;
  }
}
