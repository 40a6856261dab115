/**
 * `npm run sandbox`: the bundled sandbox acquirer on its own, for several gateway instances sharing one
 * acquirer and one database. Its keys and the gateway's credentials at it come from GATEWAY_DATA_DIR
 * (created on first start, 0600), exactly as `npm start` makes them. It writes
 * GATEWAY_DATA_DIR/dev/sandbox.env with the variables a gateway instance needs to use it:
 *
 *   set -a; . .data/dev/sandbox.env; set +a; PORT=8090 npm start
 *
 * Without DATABASE_URL it starts the embedded PostgreSQL under GATEWAY_DATA_DIR and writes its URL to the
 * same file, so the instances share it.
 */
import * as path from 'node:path';

import { startBundledSandbox } from '../src/bootstrap/bundled-sandbox';
import { loadOrCreateSandboxCredentials, writePrivate } from '../src/bootstrap/dev-credentials';
import { ConfigError, loadConfig } from '../src/config/gateway-config';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { ensureDevCertificate } from '../src/platform/http/tls-material';

/** One line per key: bare base64 DER, which the gateway's key loader accepts like Antom's SDKs do. */
const bareBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

async function main(): Promise<void> {
  // The gateway's own variables name the shared data dir, the database and the sandbox port.
  const config = loadConfig({ ...process.env, ANTOM_BASE_URL: undefined });
  const host = process.env.SANDBOX_HOST || '127.0.0.1';
  const db = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
  const creds = loadOrCreateSandboxCredentials(config.dataDir);
  // Instances sharing this data dir with TLS_DEV_CERT serve its development certificate: trust it for notifications.
  const trust = config.TLS_DEV_CERT ? (await ensureDevCertificate(config.dataDir)).certFile : config.TLS_CERT_FILE;
  const sandbox = await startBundledSandbox(config, db.url, host, trust ? { ...process.env, SANDBOX_TRUST_CA_FILE: trust } : process.env);
  // A gateway on this machine reaches it on loopback, the only place the gateway accepts plain http.
  const port = new URL(sandbox.url).port;
  const envFile = path.join(config.dataDir, 'dev', 'sandbox.env');
  const lines = [
    `ANTOM_BASE_URL=http://127.0.0.1:${port}`,
    `ANTOM_CLIENT_ID=${creds.clientId}`,
    `ANTOM_PRIVATE_KEY=${bareBase64(creds.gatewayPrivateKeyPem)}`,
    `ANTOM_PUBLIC_KEY=${bareBase64(creds.sandboxPublicKeyPem)}`,
    ...(config.DATABASE_URL ? [] : [`DATABASE_URL=${db.url}`]),
  ];
  writePrivate(envFile, lines.join('\n') + '\n');
  process.stdout.write(`Sandbox   ${sandbox.url}   (gateway settings: ${path.relative(process.cwd(), envFile) || envFile})\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.close().catch(() => undefined);
    await db.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? '' : 'Sandbox failed to start: '}${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
