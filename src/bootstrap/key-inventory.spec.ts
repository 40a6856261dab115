import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { generateRsaKeyPair } from '../antom/keys';
import { loadConfig } from '../config/gateway-config';
import { formatInventory, keyInventory } from './key-inventory';

describe('keyInventory (npm run keys:inventory)', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gw-keys-inv-'));
  const b64 = () => randomBytes(32).toString('base64');

  it('lists every key with id, version, creation date, state and source from the configured sources, and never key material', () => {
    const d = dir();
    const keks = { 1: b64(), 2: b64(), 3: b64() };
    const fingerprintKey = b64();
    const keyringFile = path.join(d, 'keyring.json');
    fs.writeFileSync(
      keyringFile,
      JSON.stringify({
        keks: [
          { version: 1, key: '', status: 'retired', createdAt: '2025-06-01T00:00:00.000Z' },
          { version: 2, key: keks[2], status: 'decrypt-only', createdAt: '2026-01-05T00:00:00.000Z' },
          { version: 3, key: keks[3], status: 'active', createdAt: '2026-07-01T00:00:00.000Z' },
        ],
        fingerprintKey,
      }),
      { mode: 0o600 },
    );
    const signing = generateRsaKeyPair();
    const signingFile = path.join(d, 'signing.pem');
    fs.writeFileSync(signingFile, signing.privateKeyPem, { mode: 0o600 });
    const rows = keyInventory(loadConfig({}, { GATEWAY_DATA_DIR: d, VAULT_KEYRING_FILE: keyringFile, GATEWAY_PRIVATE_KEY_FILE: signingFile }), {});
    expect(rows.map((r) => [r.id, r.version, r.created, r.state, r.source])).toEqual([
      ['kek-v1', 1, '2025-06-01T00:00:00.000Z', 'retired', 'file:VAULT_KEYRING_FILE'],
      ['kek-v2', 2, '2026-01-05T00:00:00.000Z', 'decrypt-only', 'file:VAULT_KEYRING_FILE'],
      ['kek-v3', 3, '2026-07-01T00:00:00.000Z', 'active', 'file:VAULT_KEYRING_FILE'],
      ['fpk', null, '2025-06-01T00:00:00.000Z', 'active', 'file:VAULT_KEYRING_FILE'],
      [expect.stringMatching(/^sig-[0-9a-f]{16}$/), null, expect.stringMatching(/^\d{4}-/), 'active', 'file:GATEWAY_PRIVATE_KEY_FILE'],
    ]);
    expect(rows[0].check).toBeNull(); // a retired version's key is gone: nothing to check
    expect(rows[2].check).toMatch(/^[0-9a-f]{6}$/);
    const text = formatInventory(rows) + JSON.stringify(rows);
    expect(text).toMatch(/^KEY\s+ID\s+VERSION\s+CREATED\s+STATE\s+SOURCE\s+CHECK/);
    for (const secret of [keks[2], keks[3], fingerprintKey, signing.privateKeyPem.split('\n')[1]]) {
      expect(text).not.toContain(secret.slice(0, 12));
      expect(text).not.toContain(Buffer.from(secret, 'base64').toString('hex').slice(0, 12));
    }
  });

  it('environment keys are dated by VAULT_KEKS_CREATED; an undated signing key says so', () => {
    const rows = keyInventory(loadConfig({}, { GATEWAY_DATA_DIR: dir(), GATEWAY_PRIVATE_KEY: generateRsaKeyPair().privateKeyPem }), {
      VAULT_KEKS: `1:${b64()},2:${b64()}`,
      VAULT_FINGERPRINT_KEY: b64(),
      VAULT_KEKS_CREATED: '1:2026-01-05,2:2026-07-01',
    });
    expect(rows.map((r) => [r.id, r.created, r.state, r.source])).toEqual([
      ['kek-v1', '2026-01-05T00:00:00.000Z', 'decrypt-only', 'env:VAULT_KEKS'],
      ['kek-v2', '2026-07-01T00:00:00.000Z', 'active', 'env:VAULT_KEKS'],
      ['fpk', '2026-01-05T00:00:00.000Z', 'active', 'env:VAULT_KEKS'],
      [expect.stringMatching(/^sig-/), 'unknown (environment)', 'active', 'env:GATEWAY_PRIVATE_KEY'],
    ]);
  });

  it('names development keys as such and creates nothing: keys not made yet are absent', () => {
    const d = dir();
    const rows = keyInventory(loadConfig({}, { GATEWAY_DATA_DIR: d }), {});
    expect(rows.map((r) => [r.key, r.state, r.source.split(' ').slice(0, 2).join(' ')])).toEqual([
      ['vault KEK', 'absent', 'development file'],
      ['gateway signing key (RSA)', 'absent', 'development file'],
    ]);
    expect(fs.readdirSync(d)).toEqual([]);
  });
});
