// setupFiles of every tier with a database: runs before each test file, in its own copy of process.env.
// Each Jest worker has a database of its own on the one PostgreSQL server that globalSetup started:
// `<base>_<JEST_WORKER_ID>` (gateway_test_1, gateway_test_2…), made here on first use and kept between runs
// like the base database always was. Suites of one worker run one after the other on it, as they all did on
// one database before; suites of different workers never see each other's rows, locks or outbox.
// TEST_DATABASE_BASE_URL keeps the server's base database (the leak scan reads every worker's database).
const { Client } = require('pg');

module.exports = async function workerDatabase() {
  const base = process.env.TEST_DATABASE_BASE_URL;
  if (!base) return; // a project without globalSetup
  const url = new URL(base);
  const name = `${url.pathname.slice(1)}_${process.env.JEST_WORKER_ID ?? '1'}`;
  url.pathname = `/${name}`;
  process.env.TEST_DATABASE_URL = url.toString();
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // 42P04: made by someone else between the look and the CREATE.
    if (!rowCount)
      await admin.query(`CREATE DATABASE "${name}"`).catch((e) => {
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
  } finally {
    await admin.end();
  }
};
