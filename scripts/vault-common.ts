/**
 * Shared by the vault scripts: the database (DATABASE_URL, else the embedded default under
 * GATEWAY_DATA_DIR — reused if a gateway already runs it, started otherwise) and the keyring the
 * gateway uses (VAULT_KEKS from the environment, else GATEWAY_DATA_DIR/keys/keyring.json).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMigrationsLocked } from '../src/platform/database/run-migrations';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/gateway-config';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { openKeyring, VaultKeyring } from '../src/vault/vault-keyring';

export interface VaultScriptContext {
  db: DataSource;
  keyring: VaultKeyring;
  close(): Promise<void>;
}

export async function openVault(poolSize = 2): Promise<VaultScriptContext> {
  const config = loadConfig();
  let stopPg = async () => undefined as void;
  let url = config.DATABASE_URL;
  if (!url) {
    url = await runningEmbeddedUrl(config.dataDir, config.EMBEDDED_PG_PORT);
    if (!url) {
      const pg = await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
      url = pg.url;
      stopPg = pg.stop;
    }
  }
  await runMigrationsLocked(url);
  const db = await new DataSource(dataSourceOptions(url, poolSize)).initialize();
  // After the database: a first keyring creates GATEWAY_DATA_DIR 0700, which PostgreSQL's initdb (run as
  // the postgres user when we are root) could then not enter.
  const keyring = openKeyring(config.dataDir, process.env);
  return { db, keyring, close: async () => { await db.destroy(); await stopPg(); } };
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

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
