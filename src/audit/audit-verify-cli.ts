import { Client } from 'pg';
import { loadConfig } from '../config/gateway-config';
import { opsDatabaseUrl } from '../platform/database/ops-database';
import { verifyAuditChain } from './audit-verifier';
import { auditChainOverClient } from './audit.repository';

/**
 * `npm run audit:verify`: checks the audit chain in DATABASE_URL, or in the embedded database under
 * GATEWAY_DATA_DIR (started for the check if the gateway is not running). Exit 0 intact, 1 broken, 2 error.
 */
export async function runAuditVerify(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const config = loadConfig(env);
  const { url, stop } = await opsDatabaseUrl(config);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const result = await verifyAuditChain(auditChainOverClient(client));
    if (result.ok) {
      out(`audit chain intact: ${result.checked} entries verified`);
      return 0;
    }
    out(`audit chain BROKEN at entry ${result.broken.id}: ${result.broken.reason} (${result.checked} entries before it verified)`);
    return 1;
  } finally {
    await client.end().catch(() => undefined);
    await stop();
  }
}
