import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../../config/gateway-config';
import { dataSourceOptions } from '../../platform/database/data-source-options';
import { startEmbeddedPostgres } from '../../platform/database/embedded-postgres';
import { runMigrationsLocked } from '../../platform/database/run-migrations';

export interface CliDatabase {
  db: DataSource;
  close(): Promise<void>;
}

/**
 * The gateway's database as the ops scripts find it (same as `vault:rotate`, `audit:verify`): DATABASE_URL,
 * else the embedded PostgreSQL under GATEWAY_DATA_DIR — reused if a gateway runs it, started for the
 * command otherwise. Migrations run first (under their lock), so a merchant can be onboarded on a
 * database no gateway has started on yet.
 */
export async function openCliDatabase(config: GatewayConfig): Promise<CliDatabase> {
  let stopPg = async (): Promise<void> => undefined;
  let url = config.DATABASE_URL ?? (await runningEmbeddedUrl(config.dataDir, config.EMBEDDED_PG_PORT));
  if (!url) {
    const pg = await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
    url = pg.url;
    stopPg = pg.stop;
  }
  try {
    await runMigrationsLocked(url);
    const db = await new DataSource(dataSourceOptions(url, 2)).initialize();
    return { db, close: async () => { await db.destroy(); await stopPg(); } };
  } catch (e) {
    await stopPg().catch(() => undefined);
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
