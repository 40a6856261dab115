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
export async function startBundledSandbox(
  config: GatewayConfig,
  databaseUrl: string,
  host = '127.0.0.1',
  env: Record<string, unknown> = process.env,
): Promise<BundledSandbox> {
  const creds = loadOrCreateSandboxCredentials(config.dataDir);
  const { startBundledSandbox: start } = loadSandbox();
  return start({
    databaseUrl,
    host,
    privateKeyPem: creds.sandboxPrivateKeyPem,
    clientId: creds.clientId,
    clientPublicKeyPem: creds.gatewayPublicKeyPem,
    env,
  });
}

/**
 * A lazy require (the build is CommonJS): the module and all it imports load here only. The production
 * container image leaves the sandbox out (docker/Dockerfile, target `runtime`): there a gateway without
 * ANTOM_BASE_URL stops with this message instead of a module stack trace.
 */
function loadSandbox(): typeof import('../../sandbox/bundled') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (above): the sandbox loads only when asked for
    return require('../../sandbox/bundled') as typeof import('../../sandbox/bundled');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(
      'This build has no bundled sandbox (the production image leaves it out): set ANTOM_BASE_URL and the ANTOM_* keys of your acquirer.',
    );
  }
}
