import { randomBytes } from 'node:crypto';

import { VaultKeyError } from './errors';

/*
 * The persisted shape of a keyring, shared by every KeyringSource, and the one
 * place that decides whether such data is acceptable. Sources only move bytes;
 * the Keyring trusts nothing it has not passed through parseKeyringData.
 */

export type KeyStatus = 'active' | 'decrypt-only' | 'retired';

export interface KeyringData {
  keks: { version: number; key: string /* base64; '' once retired */; status: KeyStatus; createdAt: string }[];
  fingerprintKey: string /* base64, 32 bytes */;
}

export interface KeyringSource {
  load(): KeyringData;
  save?(data: KeyringData): void;
  /**
   * A cheap fingerprint of the stored state (a file's inode, mtime and size). When it changes the
   * Keyring reloads, so a rotation done by another process (`npm run vault:rotate`) reaches every
   * running gateway without a restart. Sources that cannot change while running omit it.
   */
  stamp?(): string;
}

export const KEY_BYTES = 32;
const STATUSES: readonly string[] = ['active', 'decrypt-only', 'retired'];

/** A brand-new keyring: KEK version 1 active, plus its own fingerprint key. */
export function freshKeyringData(now = new Date()): KeyringData {
  return {
    keks: [{ version: 1, key: randomKey(), status: 'active', createdAt: now.toISOString() }],
    fingerprintKey: randomKey(),
  };
}

export function randomKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * Strict base64 of exactly 32 bytes. Buffer.from(s, 'base64') silently skips
 * junk, so a typo would otherwise become a different (weaker) key; re-encoding
 * and comparing catches that. Returns undefined rather than throwing so that
 * callers can name the offending variable or entry in their own message.
 */
export function decodeKey(text: unknown): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== text) return undefined;
  return bytes;
}

/** Validates untrusted keyring data (a file, a variable); throws VaultKeyError naming what is wrong. */
export function parseKeyringData(raw: unknown): KeyringData {
  const data = raw as Partial<KeyringData> | null;
  if (typeof data !== 'object' || data === null || !Array.isArray(data.keks)) {
    throw new VaultKeyError('keyring: expected an object with a "keks" array');
  }
  if (!decodeKey(data.fingerprintKey)) {
    throw new VaultKeyError('keyring: fingerprintKey must be 32 bytes of base64');
  }
  data.keks.forEach(checkKekEntry);
  checkVersions(data.keks);
  return { keks: data.keks.map((k) => ({ ...k })), fingerprintKey: data.fingerprintKey as string };
}

function checkKekEntry(entry: unknown, index: number): void {
  const kek = entry as Partial<KeyringData['keks'][number]> | null;
  const where = `keyring: KEK entry ${index}`;
  if (typeof kek !== 'object' || kek === null) throw new VaultKeyError(`${where} is not an object`);
  if (!Number.isSafeInteger(kek.version) || (kek.version as number) < 1) {
    throw new VaultKeyError(`${where} has no positive integer version`);
  }
  if (typeof kek.status !== 'string' || !STATUSES.includes(kek.status)) {
    throw new VaultKeyError(`${where} (version ${kek.version}) has an unknown status`);
  }
  if (typeof kek.createdAt !== 'string') {
    throw new VaultKeyError(`${where} (version ${kek.version}) has no createdAt`);
  }
  // A retired KEK has had its bytes dropped on purpose; every other one must be usable.
  if (kek.status !== 'retired' && !decodeKey(kek.key)) {
    throw new VaultKeyError(`${where} (version ${kek.version}) key must be 32 bytes of base64`);
  }
}

function checkVersions(keks: KeyringData['keks']): void {
  const versions = new Set(keks.map((k) => k.version));
  if (versions.size !== keks.length) throw new VaultKeyError('keyring: duplicate KEK versions');
  const active = keks.filter((k) => k.status === 'active').length;
  if (active !== 1) throw new VaultKeyError(`keyring: expected exactly one active KEK, found ${active}`);
}
