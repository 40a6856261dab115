/** `npm run admin:approver -- …`: the first approver independent of the first admin (src/admin/cli/admin-approver-cli.ts). */
import 'reflect-metadata';

import { runAdminApproverCli } from '../src/admin/cli/admin-approver-cli';

runAdminApproverCli(
  process.argv.slice(2),
  process.env,
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
).then(
  (code) => process.exit(code),
  () => process.exit(2),
);
