import { Client } from 'pg';

import { loadConfig } from '../config/gateway-config';
import { opsDatabaseUrl } from '../platform/database/ops-database';
import { auditChainOverClient } from './audit.repository';
import { checkpointFile, readCheckpoints } from './audit-checkpoint';
import { AuditKey } from './audit-key';
import { verifyAuditChain } from './audit-verifier';

/**
 * `npm run audit:verify`: checks the audit chain in DATABASE_URL, or in the embedded database under
 * GATEWAY_DATA_DIR (started for the check if the gateway is not running): the unkeyed prefix by SHA-256, the
 * rows from the keyed-chain marker on by HMAC under the audit key (AUDIT_HMAC_KEY_FILE), and every signed
 * checkpoint in the file outside the database (AUDIT_CHECKPOINT_FILE). Exit 0 intact, 1 broken, 2 error.
 */
export async function runAuditVerify(env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const config = loadConfig(env);
  const key = AuditKey.load(config.dataDir, env);
  const file = checkpointFile(config.dataDir, env);
  const checkpoints = readCheckpoints(file, key);
  if (checkpoints.bad.length) {
    for (const b of checkpoints.bad) out(`audit checkpoint file ${file} BROKEN at line ${b.line}: ${b.reason}`);
    return 1;
  }
  const { url, stop } = await opsDatabaseUrl(config);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const result = await verifyAuditChain(auditChainOverClient(client), key, checkpoints.byId);
    if (result.ok) {
      out(
        `audit chain intact: ${result.checked} entries verified (${result.keyed} keyed under audit key ${key.id}, ${result.checked - (result.keyed ?? 0)} unkeyed before the marker); ${result.checkpoints} checkpoint(s) from ${file} matched`,
      );
      return 0;
    }
    out(`audit chain BROKEN at entry ${result.broken.id}: ${result.broken.reason} (${result.checked} entries before it verified)`);
    return 1;
  } finally {
    await client.end().catch(() => undefined);
    await stop();
  }
}
