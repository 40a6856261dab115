import { VaultKeyError } from './errors';
import { decodeKey, KeyringData, KeyringSource } from './keyring-data';

/**
 * Production keyring from the environment (injected by the orchestrator's
 * secret store):
 *   VAULT_KEKS="1:<base64 32 bytes>,2:<base64 32 bytes>"  highest version active, others decrypt-only
 *   VAULT_FINGERPRINT_KEY="<base64 32 bytes>"
 * Read-only: rotation happens by changing the variables and redeploying, so
 * there is no save(). Retiring a version = removing it from VAULT_KEKS.
 * Error messages name the variable and entry, never the value.
 */
export class EnvKeyringSource implements KeyringSource {
  constructor(private readonly env: Record<string, string | undefined>) {}

  load(): KeyringData {
    const keks = parseKeks(this.env.VAULT_KEKS);
    const fingerprintKey = (this.env.VAULT_FINGERPRINT_KEY ?? '').trim();
    if (!decodeKey(fingerprintKey)) {
      throw new VaultKeyError('VAULT_FINGERPRINT_KEY must be set to 32 bytes of base64');
    }
    return { keks, fingerprintKey };
  }
}

// createdAt is unknown for keys handed in by the environment; the epoch says so plainly.
const UNKNOWN_TIME = new Date(0).toISOString();

function parseKeks(raw: string | undefined): KeyringData['keks'] {
  if (raw === undefined || raw.trim() === '') throw new VaultKeyError('VAULT_KEKS is not set');
  const entries = raw.split(',').map((part, index) => parseEntry(part.trim(), index));
  if (new Set(entries.map((e) => e.version)).size !== entries.length) {
    throw new VaultKeyError('VAULT_KEKS has duplicate versions');
  }
  const newest = Math.max(...entries.map((e) => e.version));
  return entries
    .sort((a, b) => a.version - b.version)
    .map((e) => ({ ...e, status: e.version === newest ? 'active' : 'decrypt-only', createdAt: UNKNOWN_TIME }));
}

function parseEntry(part: string, index: number): { version: number; key: string } {
  const match = /^(\d{1,9}):(.*)$/s.exec(part);
  const version = match ? Number(match[1]) : 0;
  if (!match || version < 1) {
    throw new VaultKeyError(`VAULT_KEKS entry ${index} must look like <version>:<base64 key> with version ≥ 1`);
  }
  const key = (match[2] ?? '').trim();
  if (!decodeKey(key)) {
    throw new VaultKeyError(`VAULT_KEKS entry ${index} (version ${version}) must be 32 bytes of base64`);
  }
  return { version, key };
}
