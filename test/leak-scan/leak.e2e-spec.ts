import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';

import { LeakHit, scanText } from '../support/leak-scanner';
import { ARTIFACTS } from '../support/merchant-client';

/**
 * Runs after every other suite (`npm test` runs it last): scans what they all left behind — every log
 * line, every HTTP response body, and a dump of every table in every schema of every worker's database
 * (gateway_test_<JEST_WORKER_ID>, test/setup/worker-database.js) — for card data.
 */
describe('card data leak scan over everything the suites did', () => {
  it('the scanner itself finds a planted PAN, CVV, expiry and card password digest (so a clean result means something)', () => {
    const planted = '{"msg":"oops","cardNo":"4111 1111 1111 1111 or 5555555555554444","cvv":"123","expiryYear":"29","cardPasswordDigest":"12"}';
    const kinds = scanText('planted', planted).map((h) => h.kind);
    expect(kinds).toEqual(expect.arrayContaining(['known-pan', 'luhn-run', 'cvv-field', 'expiry-field', 'password-field']));
  });

  it('finds no PAN, CVV or expiry in logs or responses', () => {
    const files = listFiles(ARTIFACTS).filter((f) => /\.(log|jsonl)$/.test(f));
    const totalBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(files.some((f) => f.endsWith('responses.jsonl'))).toBe(true);
    expect(totalBytes).toBeGreaterThan(1000);
    const hits: LeakHit[] = files.flatMap((f) => scanText(path.relative(ARTIFACTS, f), fs.readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  it("finds no PAN, CVV or expiry in any table of the suites' databases (one per Jest worker)", async () => {
    const base = new URL(process.env.TEST_DATABASE_BASE_URL!);
    const admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    const baseName = base.pathname.slice(1);
    const names: string[] = await admin
      .query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname ~ ('^' || $1 || '_[0-9]+$') ORDER BY datname`, [baseName])
      .then((r) => r.rows.map((x) => x.datname))
      .finally(() => admin.end());
    const hits: LeakHit[] = [];
    let rows = 0;
    let tablesSeen: string[] = [];
    for (const name of names) {
      const url = new URL(base.toString());
      url.pathname = `/${name}`;
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      try {
        const tables = await db.query(
          `SELECT table_schema, table_name FROM information_schema.tables
           WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        );
        tablesSeen = [...tablesSeen, ...tables.rows.map((t) => t.table_name)];
        for (const t of tables.rows) {
          const res = await db.query(`SELECT row_to_json(x)::text AS j FROM "${t.table_schema}"."${t.table_name}" x`);
          rows += res.rowCount ?? 0;
          for (const r of res.rows) hits.push(...scanText(`${name}.${t.table_schema}.${t.table_name}`, r.j));
        }
      } finally {
        await db.end();
      }
    }
    expect(tablesSeen).toEqual(expect.arrayContaining(['payment', 'card']));
    expect(rows).toBeGreaterThan(10);
    expect(hits).toEqual([]);
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
