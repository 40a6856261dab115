import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { generateRsaKeyPair } from '../../src/antom/keys';
import { writePrivate } from '../../src/platform/private-file';

export interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Made once per test data dir by globalSetup (test/setup/key-pool.mjs: why). */
const POOL_FILE = path.resolve(__dirname, '../..', process.env.TEST_DATA_DIR ?? '.test-data', 'key-pool.json');

let pool: KeyPair[] | undefined;
let start = 0;
let taken = 0;

/**
 * An RSA-2048 key pair no other caller in this test file has had: from the pool while it lasts (each test file
 * starts at its own place in it), then freshly made. Pairs repeat only across test files, whose gateways, sandbox
 * clients and merchants all have ids of their own.
 */
export function testKeyPair(): KeyPair {
  if (!pool) {
    pool = fs.existsSync(POOL_FILE) ? (JSON.parse(fs.readFileSync(POOL_FILE, 'utf8')) as KeyPair[]) : [];
    const name = expect.getState().testPath ?? '';
    start = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0) % Math.max(pool.length, 1);
  }
  if (taken >= pool.length) return generateRsaKeyPair();
  return pool[(start + taken++) % pool.length];
}

/**
 * Gives a fresh gateway data dir the keys the gateway would otherwise make at start (its signing key and its
 * identity at the bundled sandbox, as src/bootstrap/dev-credentials.ts and gateway-signing-key.ts write them).
 * A data dir that already has them (a suite restarting a gateway on its dir) keeps its own.
 */
export function seedGatewayKeys(dataDir: string): void {
  const creds = path.join(dataDir, 'keys', 'sandbox-credentials.json');
  if (!fs.existsSync(creds)) {
    const gateway = testKeyPair();
    const sandbox = testKeyPair();
    const clientId = `SANDBOX_GW${randomBytes(6).toString('hex').toUpperCase()}`;
    writePrivate(
      creds,
      JSON.stringify(
        {
          clientId,
          gatewayPrivateKeyPem: gateway.privateKeyPem,
          gatewayPublicKeyPem: gateway.publicKeyPem,
          sandboxPrivateKeyPem: sandbox.privateKeyPem,
          sandboxPublicKeyPem: sandbox.publicKeyPem,
        },
        null,
        2,
      ),
    );
  }
  const signing = path.join(dataDir, 'keys', 'gateway-signing-key.pem');
  if (!fs.existsSync(signing)) writePrivate(signing, testKeyPair().privateKeyPem);
}
