import { createHash, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';

import { loadPrivateKey } from '../antom/keys';
import { GatewayConfig } from '../config/gateway-config';
import { keyInventoryOf, VaultKeyRow } from '../pci/vault/vault-key-inventory';
import { devKeyFile, signingKeySource } from '../platform/gateway-signing-key';

/** One key in the inventory (PCI DSS 3.6.1, 12.3.4). Never key material: ids, dates, states, sources, check values. */
export type KeyInventoryRow = VaultKeyRow;

/**
 * `npm run keys:inventory`: every cryptographic key the gateway uses, read from where the gateway would read
 * it (nothing is created: a development key not made yet is `absent`). Development sources are named as such.
 */
export function keyInventory(config: GatewayConfig, env: Record<string, unknown>): KeyInventoryRow[] {
  return [...keyInventoryOf(config, env), signingKeyRow(config)];
}

function signingKeyRow(config: GatewayConfig): KeyInventoryRow {
  const source = signingKeySource(config);
  const file = source === 'env:GATEWAY_PRIVATE_KEY' ? undefined : (config.GATEWAY_PRIVATE_KEY_FILE ?? devKeyFile(config));
  const named = source === 'development file' ? `development file ${file}` : source;
  if (file && !fs.existsSync(file))
    return { key: 'gateway signing key (RSA)', id: '-', version: null, created: '-', state: 'absent', source: named, check: null };
  const pem = file ? fs.readFileSync(file, 'utf8') : (config.GATEWAY_PRIVATE_KEY ?? '');
  const spki = createPublicKey(loadPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(spki).digest('hex');
  return {
    key: 'gateway signing key (RSA)',
    id: `sig-${digest.slice(0, 16)}`,
    version: null,
    created: file ? fs.statSync(file).mtime.toISOString() : 'unknown (environment)',
    state: 'active',
    source: named,
    check: digest.slice(0, 6),
  };
}

/** Fixed-width text, one key a line. */
export function formatInventory(rows: KeyInventoryRow[]): string {
  const head = ['KEY', 'ID', 'VERSION', 'CREATED', 'STATE', 'SOURCE', 'CHECK'];
  const cells = rows.map((r) => [r.key, r.id, r.version === null ? '-' : String(r.version), r.created, r.state, r.source, r.check ?? '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [head, ...cells]
    .map((c) =>
      c
        .map((v, i) => v.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
