/** `npm run audit:verify`: walks the audit log's hash chain and names the first broken link (exit 1). */
import { runAuditVerify } from '../src/audit/audit-verify-cli';

runAuditVerify(process.env, (line) => console.log(line)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`audit:verify failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
