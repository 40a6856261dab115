import * as fs from 'node:fs';
import * as path from 'node:path';

import { DataSource } from 'typeorm';

import { GatewayConfig } from '../../config/gateway-config';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './run-migrations';

export interface OpsDatabase {
  db: DataSource;
  close(): Promise<void>;
}

/**
 * The gateway's database as the ops commands find it (`merchant`, `vault:*`, `audit:verify`):
 * DATABASE_URL, else the embedded PostgreSQL under GATEWAY_DATA_DIR — reused if a gateway runs it,
 * started for the command otherwise (and stopped after it).
 */
export async function opsDatabaseUrl(config: GatewayConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const url = config.DATABASE_URL ?? (await runningEmbeddedUrl(config.dataDir, config.EMBEDDED_PG_PORT));
  if (url) return { url, stop: async () => undefined };
  return startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
}

/** `opsDatabaseUrl` with migrations run first (under their lock), so a command works before any gateway start. */
export async function openOpsDatabase(config: GatewayConfig, poolSize = 2): Promise<OpsDatabase> {
  const pg = await opsDatabaseUrl(config);
  try {
    await runMigrationsLocked(pg.url);
    const db = await new DataSource(dataSourceOptions(pg.url, poolSize)).initialize();
    return {
      db,
      close: async () => {
        await db.destroy();
        await pg.stop();
      },
    };
  } catch (e) {
    await pg.stop().catch(() => undefined);
    throw e;
  }
}

/** The gateway's own embedded PostgreSQL, if it is up (its postmaster.pid exists and it answers). */
async function runningEmbeddedUrl(dataDir: string, port: number): Promise<string | undefined> {
  const pwFile = path.join(dataDir, 'pg-password');
  if (!fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) || !fs.existsSync(pwFile)) return undefined;
  const url = `postgres://postgres:${encodeURIComponent(fs.readFileSync(pwFile, 'utf8').trim())}@127.0.0.1:${port}/gateway`;
  const probe = new DataSource({ type: 'postgres', url, extra: { max: 1, connectionTimeoutMillis: 2000 } });
  try {
    await probe.initialize();
    await probe.destroy();
    return url;
  } catch {
    return undefined;
  }
}
