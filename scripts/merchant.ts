/** `npm run merchant -- <command>`: onboard and maintain merchants without SQL (see src/merchants/cli/merchant-cli.ts). */
import 'reflect-metadata';

import { runMerchantCli } from '../src/merchants/cli/merchant-cli';

runMerchantCli(
  process.argv.slice(2),
  process.env,
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
).then(
  (code) => process.exit(code),
  () => process.exit(2),
);
