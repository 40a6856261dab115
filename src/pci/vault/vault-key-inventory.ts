import * as fs from 'node:fs';
import * as path from 'node:path';

import { GatewayConfig } from '../../config/gateway-config';
import { keyringSourceName, openKeyring } from './vault-keyring';

/** The vault's rows of the key inventory (see bootstrap/key-inventory.ts): KEK versions and the fingerprint key. */
export interface VaultKeyRow {
  key: string;
  id: string;
  version: number | null;
  created: string;
  state: 'active' | 'decrypt-only' | 'retired' | 'absent';
  source: string;
  /** Key check value (3 bytes of an HMAC under the key) for symmetric keys; the public key's SHA-256 for the signing key. */
  check: string | null;
}

/** Read-only: a development keyring that does not exist yet is reported `absent`, never created. */
export function keyInventoryOf(config: Pick<GatewayConfig, 'dataDir' | 'VAULT_KEYRING_FILE'>, env: Record<string, unknown>): VaultKeyRow[] {
  const source = keyringSourceName(config, env);
  const devFile = path.join(config.dataDir, 'keys', 'keyring.json');
  const named = source === 'development file' ? `development file ${devFile}` : source;
  if (source === 'development file' && !fs.existsSync(devFile)) {
    return [{ key: 'vault KEK', id: '-', version: null, created: '-', state: 'absent', source: named, check: null }];
  }
  const inventory = openKeyring(config, env).inventory();
  const unknown = (at: string) => (at === new Date(0).toISOString() ? 'unknown' : at);
  return [
    ...inventory.keks.map((k) => ({
      key: 'vault KEK',
      id: `kek-v${k.version}`,
      version: k.version,
      created: unknown(k.createdAt),
      state: k.status,
      source: named,
      check: k.kcv,
    })),
    // Made with the keyring's first version and never rotated (rotating it would orphan every fingerprint).
    {
      key: 'vault fingerprint key (HMAC)',
      id: 'fpk',
      version: null,
      created: unknown(inventory.keks[0]?.createdAt ?? ''),
      state: 'active',
      source: named,
      check: inventory.fingerprintKcv,
    },
  ];
}
