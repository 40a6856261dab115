import { createHash, randomBytes } from 'node:crypto';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions, MIGRATIONS } from '../../../src/platform/database/data-source-options';
import { runMigrationsLocked } from '../../../src/platform/database/run-migrations';

export interface TestDatabase {
  url: string;
  /** A TypeORM DataSource on it, as the app builds one (same options, same entities). */
  ds: DataSource;
  /** Another connection pool on the same database: a second instance, for races and locks. */
  second(): Promise<DataSource>;
  drop(): Promise<void>;
}

/**
 * A fresh database with the whole schema for one db-tier spec file, on the PostgreSQL the Jest run started
 * (test/setup/global-setup.mjs). The migrations run once per migration set into a template database
 * (`gateway_tpl_<hash of the migration names>`, under an advisory lock so parallel workers make it once);
 * each spec file then gets a copy of it (CREATE DATABASE … TEMPLATE: a file copy, no migration run).
 */
export async function freshDatabase(poolSize = 6): Promise<TestDatabase> {
  const base = new URL(process.env.TEST_DATABASE_BASE_URL ?? process.env.TEST_DATABASE_URL!);
  const template = await migratedTemplate(base);
  const name = `gateway_dbspec_${randomBytes(5).toString('hex')}`;
  await onServer(base, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = withDatabase(base, name);
  const open = async () => {
    const ds = new DataSource({ ...dataSourceOptions(url, poolSize), migrationsRun: false });
    return ds.initialize();
  };
  const ds = await open();
  const others: DataSource[] = [];
  return {
    url,
    ds,
    second: async () => {
      const d = await open();
      others.push(d);
      return d;
    },
    drop: async () => {
      for (const d of [ds, ...others]) if (d.isInitialized) await d.destroy();
      await onServer(base, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

const TEMPLATE_LOCK = 7_355_608_002;

async function migratedTemplate(base: URL): Promise<string> {
  const hash = createHash('sha256')
    .update(MIGRATIONS.map((m) => m.name).join('\n'))
    .digest('hex')
    .slice(0, 12);
  const name = `gateway_tpl_${hash}`;
  await onServer(base, async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate`, [name]);
      if (rowCount) return;
      // A template left half-made by a run that died: made again.
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${name}"`);
      await runMigrationsLocked(withDatabase(base, name));
      // Marked a template only once migrated: its presence as a template means complete.
      await c.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

async function onServer<T>(base: URL, f: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: base.toString() });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

function withDatabase(base: URL, name: string): string {
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return url.toString();
}
