import { parseArgs } from 'node:util';

import { AuditService } from '../../audit/audit.service';
import { AuditKey } from '../../audit/audit-key';
import { loadConfig } from '../../config/gateway-config';
import { openOpsDatabase } from '../../platform/database/ops-database';
import { namedActor, operatorName, withoutActor } from '../../platform/operator/named-operator';
import { ApproverInputError, createIndependentApprover } from '../auth/independent-approver';

export const USAGE = `usage: npm run admin:approver -- --user NAME --name "FULL NAME" --attest "STATEMENT" [--role operator|admin] --actor YOUR_NAME
Creates the first approver independent of the first admin's creation chain (four eyes from a fresh install,
docs/console.md "First independent approver"). Run by a named person who holds no console account; the one-time
password is printed here only: hand it to the approver in person. Audited as CREATE_USER with the statement.
Database: DATABASE_URL, else the embedded one under GATEWAY_DATA_DIR.`;

const OPTIONS = {
  user: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  attest: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `npm run admin:approver -- …`. Exit 0 created, 2 refused or failed (one line on stderr, never a stack). */
export async function runAdminApproverCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (l: string) => void,
  err: (l: string) => void,
): Promise<number> {
  try {
    const { values } = parseArgs({ args: withoutActor(argv), options: OPTIONS, strict: true });
    if (values.help) return (out(USAGE), 0);
    const actor = namedActor('cli:', argv, env);
    const attester = operatorName(argv, env) ?? '';
    const config = loadConfig(env);
    // The audit key as the gateway loads it (AUDIT_HMAC_KEY_FILE, else the development key under GATEWAY_DATA_DIR).
    const key = AuditKey.load(config.dataDir, env);
    const { db, close } = await openOpsDatabase(config);
    try {
      const role = values.role ?? 'operator';
      const username = (values.user ?? '').trim().toLowerCase();
      const created = await createIndependentApprover(db, new AuditService(db, undefined, key), {
        username,
        displayName: values.name ?? '',
        role: role as never,
        attestation: values.attest ?? '',
        actor,
        attester,
      });
      out(`created ${username} (${role}), independent of every console account; audited as CREATE_USER by ${actor}`);
      out(`one-time password (shown once, hand it over in person; it must be changed at first sign-in): ${created.password}`);
    } finally {
      await close();
    }
    return 0;
  } catch (e) {
    err(`admin:approver: ${e instanceof ApproverInputError || e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return 2;
  }
}
