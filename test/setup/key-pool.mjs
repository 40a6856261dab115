// RSA-2048 key pairs made once per test data dir and handed out by test/support/test-keys.ts. Measured here:
// a gateway+sandbox boot made 6 key pairs (the gateway's signing key, its sandbox identity, the sandbox's key,
// the test merchant's, two sandbox forgery keys) at 0.3–0.5 s each — about 2.3 s of a 3.1 s boot, times
// ~100 boots per `npm test`. Kept between runs (the data dir is never in git); made in parallel when missing.
import { generateKeyPair } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const KEY_POOL_SIZE = 32;

export async function ensureKeyPool(dataDir) {
  const file = path.join(dataDir, 'key-pool.json');
  try {
    if (JSON.parse(fs.readFileSync(file, 'utf8')).length >= KEY_POOL_SIZE) return;
  } catch {
    /* missing or torn: made again */
  }
  const pairs = await Promise.all(
    Array.from({ length: KEY_POOL_SIZE }, async () => {
      const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      return { privateKeyPem: privateKey, publicKeyPem: publicKey };
    }),
  );
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(pairs), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
