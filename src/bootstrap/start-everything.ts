import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';

import { loadPrivateKey, loadPublicKey } from '../antom/keys';
import { GatewayConfig, requireProductionKeySources } from '../config/gateway-config';
import { openKeyring } from '../pci/vault/vault-keyring';
import { allowTestClock } from '../platform/clock';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { GatewayAddress } from '../platform/http/gateway-address';
import { loadTlsMaterial } from '../platform/http/tls-material';
import { UpstreamCredentials } from '../upstream/upstream-credentials';
import { urlHost } from './admin-listener';
import { BundledSandbox, startBundledSandbox } from './bundled-sandbox';
import { loadOrCreateSandboxCredentials } from './dev-credentials';
import { adminListenerOf, createGatewayApp } from './gateway-app';

export interface RunningStack {
  app: NestFastifyApplication;
  gatewayUrl: string;
  /** Where /admin and /metrics are served: the ADMIN_PORT listener when set, else gatewayUrl. */
  adminUrl: string;
  sandbox?: BundledSandbox;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * The whole product in one call: database (embedded unless DATABASE_URL), sandbox acquirer (unless
 * ANTOM_BASE_URL), and the gateway. Used by `npm start` and by the e2e suites alike.
 */
export async function startEverything(config: GatewayConfig, logger: Logger, env: Record<string, unknown> = process.env): Promise<RunningStack> {
  // First: development key material with a remote acquirer, or an unusable certificate, stops start-up
  // before a database or sandbox has been started for nothing.
  requireProductionKeySources(config, env);
  if (config.TEST_KIT_CONTROLS) allowTestClock(); // the configuration refuses it unless the acquirer is the bundled sandbox
  const tls = await loadTlsMaterial(config);
  const db = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
  let sandbox: BundledSandbox | undefined;
  let upstream: UpstreamCredentials;
  try {
    const acquirer = config.acquirer;
    if (!acquirer) {
      const creds = loadOrCreateSandboxCredentials(config.dataDir);
      // The bundled sandbox delivers its notifications to this gateway: it trusts the gateway's certificate.
      sandbox = await startBundledSandbox(config, db.url, '127.0.0.1', tls ? { ...env, SANDBOX_TRUST_CA_FILE: tls.certFile } : env);
      upstream = {
        baseUrl: sandbox.url,
        clientId: creds.clientId,
        privateKey: loadPrivateKey(creds.gatewayPrivateKeyPem),
        acquirerPublicKey: loadPublicKey(creds.sandboxPublicKeyPem),
      };
    } else {
      upstream = {
        baseUrl: acquirer.baseUrl,
        clientId: acquirer.clientId,
        privateKey: loadPrivateKey(acquirer.privateKeyPem),
        acquirerPublicKey: loadPublicKey(acquirer.publicKeyPem),
      };
    }
    const keyring = openKeyring(config, env);
    if (tls) logger.info({ source: tls.source, certFile: tls.certFile }, 'TLS on the gateway listeners');
    const app = await createGatewayApp({ config, databaseUrl: db.url, logger, keyring, signingKey: GatewaySigningKey.load(config), upstream, tls });
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.getHttpServer().address() as { port: number };
    const gatewayUrl = `${tls ? 'https' : 'http'}://${urlHost(config.HOST)}:${address.port}`;
    // With PORT=0 (tests) the notify URL sent upstream must name the port actually bound (config stays as loaded).
    app.get(GatewayAddress).bound(gatewayUrl);
    const admin = adminListenerOf(app);
    const adminUrl = admin
      ? await admin.listen().catch(async (e: unknown) => {
          await app.close();
          throw e;
        })
      : gatewayUrl;
    return {
      app,
      gatewayUrl,
      adminUrl,
      sandbox,
      databaseUrl: db.url,
      stop: async () => {
        await timed(logger, 'gateway', () => drainThenClose(app, config.SHUTDOWN_GRACE_MS));
        await timed(logger, 'sandbox', async () => sandbox?.close());
        await timed(logger, 'database', () => db.stop());
      },
    };
  } catch (e) {
    await sandbox?.close().catch(() => undefined);
    await db.stop().catch(() => undefined);
    throw e;
  }
}

/**
 * Stops taking requests and lets those in flight finish for `graceMs`; then cuts the remaining
 * connections (keep-alive sockets some clients never close would otherwise hold shutdown for 72 s).
 */
async function drainThenClose(app: NestFastifyApplication, graceMs: number): Promise<void> {
  const server = app.getHttpServer() as import('node:http').Server;
  const cut = setTimeout(() => {
    server.closeAllConnections();
    adminListenerOf(app)?.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** Shutdown steps are logged when slow, so a hang names its culprit. */
async function timed(logger: Logger, what: string, step: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const warn = setTimeout(() => logger.warn({ what }, 'still stopping after 5 s'), 5000);
  try {
    await step();
  } finally {
    clearTimeout(warn);
    if (Date.now() - started > 2000) logger.warn({ what, ms: Date.now() - started }, 'slow shutdown step');
  }
}
