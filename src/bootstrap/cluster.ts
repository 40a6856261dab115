import cluster from 'node:cluster';

import { Logger } from 'pino';

import { ConfigError, GatewayConfig } from '../config/gateway-config';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres';
import { loadTlsMaterial } from '../platform/http/tls-material';
import { BundledSandbox, startBundledSandbox } from './bundled-sandbox';
import { loadOrCreateSandboxCredentials } from './dev-credentials';
import { ipLimitsPerWorker } from './ip-limits';

/** Set by the primary for its workers: the bundled sandbox's URL, for the banner. */
export const BUNDLED_SANDBOX_ENV = 'GATEWAY_BUNDLED_SANDBOX_URL';
/** A worker that keeps dying at start is restarted ever more slowly, up to this (a crash loop must not spin). */
const RESTART_DELAY_MS = { first: 1000, max: 30_000 };
/** Connections the embedded PostgreSQL accepts (max_connections, embedded-postgres.ts) minus the sandbox's pool and spare. */
const EMBEDDED_CONNECTION_BUDGET = 300 - 10 - 20;
/** A worker up this long is healthy again: its next restart starts from the first delay. */
const STABLE_MS = 60_000;

/**
 * GATEWAY_WORKERS > 1: this process becomes the primary. It owns what must exist once (the embedded
 * database, the bundled sandbox), then forks the workers with those as plain configuration, so each
 * worker starts exactly like an instance pointed at an external database and acquirer. The workers
 * share the listening port (node:cluster hands connections out round-robin). A worker that dies is
 * replaced; SIGINT/SIGTERM stop the workers first (they drain), then the sandbox and the database.
 */
export async function runPrimary(config: GatewayConfig, logger: Logger): Promise<void> {
  if (!config.DATABASE_URL && config.GATEWAY_WORKERS * config.DATABASE_POOL_SIZE > EMBEDDED_CONNECTION_BUDGET) {
    throw new ConfigError(
      `GATEWAY_WORKERS × DATABASE_POOL_SIZE (${config.GATEWAY_WORKERS * config.DATABASE_POOL_SIZE}) exceeds the embedded PostgreSQL's ${EMBEDDED_CONNECTION_BUDGET} connections for the gateway: lower one of them.`,
    );
  }
  // Checked (and the development certificate made) once here: a bad pair would otherwise crash-loop every
  // worker, and workers racing to create the certificate would each write, and serve, a different one.
  const tls = await loadTlsMaterial(config);
  const db = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
  let sandbox: BundledSandbox | undefined;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    GATEWAY_WORKERS: '1',
    GATEWAY_INSTANCE_COUNT: String(config.GATEWAY_INSTANCE_COUNT * config.GATEWAY_WORKERS),
    // Each worker counts per-IP limits in its own memory: its share, so the instance allows about the configured number.
    ...ipLimitsPerWorker(config),
  };
  if (config.usesSandbox) {
    sandbox = await startBundledSandbox(config, db.url, '127.0.0.1', tls ? { ...process.env, SANDBOX_TRUST_CA_FILE: tls.certFile } : process.env);
    const creds = loadOrCreateSandboxCredentials(config.dataDir);
    Object.assign(env, {
      ANTOM_BASE_URL: sandbox.url,
      ANTOM_CLIENT_ID: creds.clientId,
      ANTOM_PRIVATE_KEY: creds.gatewayPrivateKeyPem,
      ANTOM_PUBLIC_KEY: creds.sandboxPublicKeyPem,
      [BUNDLED_SANDBOX_ENV]: sandbox.url,
    });
  }
  let stopping = false;
  const delays = new Map<number, number>();
  const fork = (index: number) => {
    // Only the first worker prints the banner and writes the demo merchant file.
    const worker = cluster.fork({ ...env, GATEWAY_WORKER_INDEX: String(index), PRINT_BANNER: index === 0 ? String(config.PRINT_BANNER) : 'false' });
    const started = Date.now();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const delay =
        Date.now() - started > STABLE_MS
          ? RESTART_DELAY_MS.first
          : Math.min(RESTART_DELAY_MS.max, (delays.get(index) ?? RESTART_DELAY_MS.first / 2) * 2);
      delays.set(index, delay);
      logger.error({ index, code, signal, restartInMs: delay }, 'gateway worker exited; starting a new one');
      // Checked again when the timer fires: a stop that began meanwhile must not get a fresh worker.
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delay);
    });
  };
  for (let i = 0; i < config.GATEWAY_WORKERS; i++) fork(i);
  logger.info({ workers: config.GATEWAY_WORKERS }, 'gateway workers started');

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await sandbox?.close().catch(() => undefined);
    await db.stop().catch(() => undefined);
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
