import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { generateRsaKeyPair } from '../antom/keys';
import { writePrivate } from '../platform/private-file';

export { writePrivate } from '../platform/private-file';

/** The gateway's identity at the bundled sandbox, and the sandbox's own key: made once, kept 0600. */
export interface SandboxCredentials {
  clientId: string;
  gatewayPrivateKeyPem: string;
  gatewayPublicKeyPem: string;
  sandboxPrivateKeyPem: string;
  sandboxPublicKeyPem: string;
}

export function loadOrCreateSandboxCredentials(dataDir: string): SandboxCredentials {
  const file = path.join(dataDir, 'keys', 'sandbox-credentials.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const gateway = generateRsaKeyPair();
  const sandbox = generateRsaKeyPair();
  const creds: SandboxCredentials = {
    clientId: `SANDBOX_GW${randomBytes(6).toString('hex').toUpperCase()}`,
    gatewayPrivateKeyPem: gateway.privateKeyPem,
    gatewayPublicKeyPem: gateway.publicKeyPem,
    sandboxPrivateKeyPem: sandbox.privateKeyPem,
    sandboxPublicKeyPem: sandbox.publicKeyPem,
  };
  writePrivate(file, JSON.stringify(creds, null, 2));
  return creds;
}
