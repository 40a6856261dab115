import { GatewayConfig } from '../config/gateway-config';
import { loadOrCreateSandboxCredentials } from './dev-credentials';

/** The running bundled sandbox, as the gateway sees it (its type stays in sandbox/). */
export interface BundledSandbox {
  url: string;
  close(): Promise<void>;
}

/**
 * The bundled sandbox acquirer, on the gateway's database, knowing the gateway's sandbox credentials.
 * Loaded by dynamic import only when used: a gateway pointed at real Antom never loads the sandbox's
 * code, and a production image can leave the `sandbox/` folder out.
 */
export async function startBundledSandbox(config: GatewayConfig, databaseUrl: string, host = '127.0.0.1', env: Record<string, unknown> = process.env): Promise<BundledSandbox> {
  const creds = loadOrCreateSandboxCredentials(config.dataDir);
  // A lazy require (the build is CommonJS): the module and all it imports load on this line only.
  const { startBundledSandbox: start } = require('../../sandbox/bundled') as typeof import('../../sandbox/bundled');
  return start({ databaseUrl, host, privateKeyPem: creds.sandboxPrivateKeyPem, clientId: creds.clientId, clientPublicKeyPem: creds.gatewayPublicKeyPem, env });
}
