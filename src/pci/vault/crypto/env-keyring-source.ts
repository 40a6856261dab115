import { VaultKeyError } from './errors';
import { decodeKey, KeyringData, KeyringSource } from './keyring-data';

/**
 * Production keyring from the environment (injected by the orchestrator's
 * secret store):
 *   VAULT_KEKS="1:<base64 32 bytes>,2:<base64 32 bytes>"  highest version active, others decrypt-only
 *   VAULT_FINGERPRINT_KEY="<base64 32 bytes>"
 *   VAULT_KEKS_CREATED="1:2026-01-05,2:2026-07-01"  each version's creation date (the key inventory);
 *                                                   required with a remote acquirer, else unknown (epoch)
 * Read-only: rotation happens by changing the variables and redeploying, so
 * there is no save(). Retiring a version = removing it from VAULT_KEKS.
 * Error messages name the variable and entry, never the value.
 */
export class EnvKeyringSource implements KeyringSource {
  constructor(private readonly env: Record<string, string | undefined>) {}

  load(): KeyringData {
    const keks = withCreated(parseKeks(this.env.VAULT_KEKS), this.env.VAULT_KEKS_CREATED);
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

/** VAULT_KEKS_CREATED, when set, must date every version in VAULT_KEKS with an ISO date. */
function withCreated(keks: KeyringData['keks'], raw: string | undefined): KeyringData['keks'] {
  if (raw === undefined || raw.trim() === '') return keks;
  const dates = new Map<number, string>();
  raw.split(',').forEach((part, index) => {
    const m = /^(\d{1,9}):(\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?)$/.exec(part.trim());
    const when = m ? new Date(m[2]) : undefined;
    if (!m || !when || Number.isNaN(when.getTime()))
      throw new VaultKeyError(`VAULT_KEKS_CREATED entry ${index} must look like <version>:<YYYY-MM-DD>`);
    dates.set(Number(m[1]), when.toISOString());
  });
  return keks.map((k) => {
    const createdAt = dates.get(k.version);
    if (!createdAt) throw new VaultKeyError(`VAULT_KEKS_CREATED has no date for key version ${k.version}`);
    return { ...k, createdAt };
  });
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
