import { createHmac, randomBytes } from 'node:crypto';

import { VaultKeyError } from './errors';
import { decodeKey, KeyringData, KeyringSource, KeyStatus, parseKeyringData } from './keyring-data';
import { Secret } from './secret';

export { EnvKeyringSource } from './env-keyring-source';
export { FileKeyringSource } from './file-keyring-source';
export type { KeyringData, KeyringSource, KeyStatus } from './keyring-data';

export interface KeyEncryptionKey {
  version: number;
  /** 32 bytes; zero-length once the version is retired. */
  key: Secret<Buffer>;
  status: KeyStatus;
}

interface Entry {
  kek: KeyEncryptionKey;
  createdAt: string;
}

/**
 * The versioned key encryption keys and the fingerprint key, loaded once from a
 * source. Lifecycle of a KEK version: active (wraps new data keys) →
 * decrypt-only (after rotate(): still unwraps old records while a batch job
 * re-wraps them) → retired (key bytes gone; only once nothing references it —
 * the keyring cannot know that, the re-wrap job must).
 *
 * Changes are saved to the source first and applied in memory only if the save
 * succeeded, so memory never runs ahead of what a restart would load.
 */
export class Keyring {
  #entries: Entry[];
  readonly #fingerprintKey: Secret<Buffer>;
  #stamp: string | undefined;

  constructor(private readonly source: KeyringSource) {
    this.#stamp = source.stamp?.();
    const data = parseKeyringData(source.load());
    this.#entries = toEntries(data);
    this.#fingerprintKey = new Secret(decodeKey(data.fingerprintKey) as Buffer);
  }

  /**
   * Picks up a change made by another process (a rotation or retirement through the shared file).
   * One stat() per call: about a microsecond, cheaper than a timer and never stale. If the new state
   * cannot be read, the keys in memory stay in use and the next call tries again.
   */
  refresh(): void {
    const stamp = this.source.stamp?.();
    if (stamp === undefined || stamp === this.#stamp) return;
    try {
      this.#entries = toEntries(parseKeyringData(this.source.load()));
      this.#stamp = stamp;
    } catch {
      // keep serving with the keys we have; the error surfaces where a missing version is asked for
    }
  }

  active(): KeyEncryptionKey {
    this.refresh();
    // parseKeyringData and every mutation guarantee exactly one active entry.
    const active = this.#entries.find((e) => e.kek.status === 'active');
    if (!active) throw new Error('The keyring has no active key-encryption key.');
    return active.kek;
  }

  /** For unwrapping: active or decrypt-only versions only. */
  get(version: number): KeyEncryptionKey {
    this.refresh();
    const entry = this.#entries.find((e) => e.kek.version === version);
    if (!entry) throw new VaultKeyError(`unknown key version ${version}`);
    if (entry.kek.status === 'retired') throw new VaultKeyError(`key version ${version} is retired`);
    return entry.kek;
  }

  versions(): KeyEncryptionKey[] {
    this.refresh();
    return this.#entries.map((e) => e.kek);
  }

  /**
   * The key inventory (PCI DSS 3.6.1, 12.3.4): each KEK version's status, creation date and key check value,
   * plus the fingerprint key's check value. Never key material: a check value is 3 bytes of an HMAC under
   * the key, enough for custodians to confirm the loaded key is the one the ceremony made, useless to an attacker.
   */
  inventory(): { keks: Array<{ version: number; status: KeyStatus; createdAt: string; kcv: string | null }>; fingerprintKcv: string } {
    this.refresh();
    return {
      keks: this.#entries.map((e) => ({
        version: e.kek.version,
        status: e.kek.status,
        createdAt: e.createdAt,
        kcv: e.kek.status === 'retired' ? null : checkValue(e.kek.key.reveal()),
      })),
      fingerprintKcv: checkValue(this.#fingerprintKey.reveal()),
    };
  }

  /** False for sources such as the environment: rotation then means changing VAULT_KEKS and redeploying. */
  get writable(): boolean {
    return typeof this.source.save === 'function';
  }

  fingerprintKey(): Secret<Buffer> {
    return this.#fingerprintKey;
  }

  /** New KEK version becomes active at once; the previous one stays usable for decryption. */
  rotate(): KeyEncryptionKey {
    this.refresh();
    const version = Math.max(...this.#entries.map((e) => e.kek.version)) + 1;
    const added = toEntry({
      version,
      key: randomBytes(32).toString('base64'),
      status: 'active',
      createdAt: new Date().toISOString(),
    });
    const demoted = this.#entries.map((e) => (e.kek.status === 'active' ? withStatus(e, 'decrypt-only') : e));
    this.commit([...demoted, added]);
    return added.kek;
  }

  /** Forgets a version's key bytes for good; data still wrapped under it becomes unreadable. */
  retire(version: number): void {
    this.refresh();
    const target = this.#entries.find((e) => e.kek.version === version);
    if (!target) throw new VaultKeyError(`unknown key version ${version}`);
    if (target.kek.status === 'active') throw new VaultKeyError(`key version ${version} is active; rotate first`);
    if (target.kek.status === 'retired') return;
    this.commit(this.#entries.map((e) => (e === target ? withStatus(e, 'retired') : e)));
  }

  private commit(next: Entry[]): void {
    if (!this.source.save) {
      throw new VaultKeyError('this keyring source is read-only; change the key configuration instead');
    }
    this.source.save({ keks: next.map(toData), fingerprintKey: this.#fingerprintKey.reveal().toString('base64') });
    this.#entries = next;
    this.#stamp = this.source.stamp?.();
  }

  // The Keyring holds only Secrets, but say so explicitly for anyone who logs it.
  toJSON(): object {
    return { versions: this.#entries.map((e) => ({ version: e.kek.version, status: e.kek.status })) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Keyring ${JSON.stringify(this.toJSON())}`;
  }
}

/** Key check value: the first 3 bytes of HMAC-SHA256(key, 'key check value'), in hex. */
export function checkValue(key: Buffer): string {
  return createHmac('sha256', key).update('key check value').digest('hex').slice(0, 6);
}

function toEntries(data: KeyringData): Entry[] {
  return data.keks.map(toEntry).sort((a, b) => a.kek.version - b.kek.version);
}

function toEntry(k: KeyringData['keks'][number]): Entry {
  const bytes = k.status === 'retired' ? Buffer.alloc(0) : (decodeKey(k.key) as Buffer);
  return { kek: Object.freeze({ version: k.version, key: new Secret(bytes), status: k.status }), createdAt: k.createdAt };
}

function withStatus(e: Entry, status: KeyStatus): Entry {
  const key = status === 'retired' ? new Secret(Buffer.alloc(0)) : e.kek.key;
  return { kek: Object.freeze({ version: e.kek.version, key, status }), createdAt: e.createdAt };
}

function toData(e: Entry): KeyringData['keks'][number] {
  const key = e.kek.status === 'retired' ? '' : e.kek.key.reveal().toString('base64');
  return { version: e.kek.version, key, status: e.kek.status, createdAt: e.createdAt };
}
