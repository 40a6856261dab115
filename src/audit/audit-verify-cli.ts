import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../config/gateway-config';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres';
import { verifyAuditChain } from './audit-verifier';

/**
 * `npm run audit:verify`: checks the audit chain in DATABASE_URL, or in the embedded database under
 * GATEWAY_DATA_DIR (started for the check if the gateway is not running). Exit 0 intact, 1 broken, 2 error.
 */
export async function runAuditVerify(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const config = loadConfig(env);
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    const password = fs.readFileSync(path.join(config.dataDir, 'pg-password'), 'utf8').trim();
    url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_PG_PORT}/gateway`;
    if (!(await reachable(url))) {
      const db = await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
      stopEmbedded = db.stop;
    }
  }
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const result = await verifyAuditChain(async (sql, params) => (await client.query(sql, params)).rows);
    if (result.ok) {
      out(`audit chain intact: ${result.checked} entries verified`);
      return 0;
    }
    out(`audit chain BROKEN at entry ${result.broken!.id}: ${result.broken!.reason} (${result.checked} entries before it verified)`);
    return 1;
  } finally {
    await client.end().catch(() => undefined);
    await stopEmbedded?.();
  }
}

async function reachable(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
