import { DataSource } from 'typeorm';

import { dataSourceOptions } from './data-source-options';

/** Any fixed number: the key of the advisory lock that serialises schema migrations across instances. */
const MIGRATION_LOCK = 7_355_608_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so several gateway instances starting
 * at once against one database apply each migration exactly once; the others wait, then find nothing to do.
 */
export async function runMigrationsLocked(url: string): Promise<void> {
  // Two connections: one holds the lock, the migrations run on the other.
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrationsRun: false });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
