/**
 * `npm run keys:inventory`: the gateway's keys (PCI DSS 3.6.1, 12.3.4) — vault KEK versions, the fingerprint
 * key, the gateway signing key — with id, version, creation date, state (active / decrypt-only / retired),
 * source and a key check value. Never key material. Reads the same settings as the gateway; creates nothing.
 */
import 'reflect-metadata';

import { formatInventory, keyInventory } from '../src/bootstrap/key-inventory';
import { loadConfig } from '../src/config/gateway-config';

try {
  const rows = keyInventory(loadConfig(), process.env);
  process.stdout.write(`${process.argv.includes('--json') ? JSON.stringify(rows, null, 2) : formatInventory(rows)}\n`);
} catch (e) {
  process.stderr.write(`keys:inventory failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
