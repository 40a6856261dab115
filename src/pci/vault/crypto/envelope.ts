import { createHmac, randomBytes } from 'node:crypto';

import { open, seal } from './aes-gcm';
import { VaultIntegrityError, VaultKeyError } from './errors';
import type { KeyEncryptionKey } from './keyring';
import type { Secret } from './secret';

export { VaultIntegrityError, VaultKeyError } from './errors';

/*
 * Envelope encryption for card records: each record gets its own data key
 * (DEK); the DEK is stored wrapped by a versioned KEK. Every ciphertext is
 * bound by its AAD to where it belongs, so copying bytes between records,
 * fields or key versions makes decryption fail instead of returning someone
 * else's card.
 */

export interface FieldAad {
  recordId: string;
  field: string;
  keyVersion: number;
}

const DEK_BYTES = 32;

export function newDataKey(): Buffer {
  return randomBytes(DEK_BYTES);
}

/** Only the active KEK wraps: a decrypt-only version must not gain new data. */
export function wrapDataKey(dek: Buffer, kek: KeyEncryptionKey, recordId: string): Buffer {
  if (kek.status !== 'active') throw new VaultKeyError(`key version ${kek.version} is ${kek.status}, not active`);
  if (!Buffer.isBuffer(dek) || dek.length !== DEK_BYTES) throw new VaultKeyError('data key must be 32 bytes');
  return seal(dek, kek.key.reveal(), dekAad(recordId, kek.version));
}

export function unwrapDataKey(wrapped: Buffer, kek: KeyEncryptionKey, recordId: string): Buffer {
  if (kek.status === 'retired') throw new VaultKeyError(`key version ${kek.version} is retired`);
  const dek = open(wrapped, kek.key.reveal(), dekAad(recordId, kek.version), `data key of record ${recordId}`);
  if (dek.length !== DEK_BYTES) throw new VaultIntegrityError(`data key of record ${recordId}: wrong length`);
  return dek;
}

export function encryptField(plain: Buffer, dek: Buffer, aad: FieldAad): Buffer {
  return seal(plain, dek, fieldAad(aad));
}

export function decryptField(blob: Buffer, dek: Buffer, aad: FieldAad): Buffer {
  return open(blob, dek, fieldAad(aad), `field ${aad.field} of record ${aad.recordId}`);
}

/**
 * Keyed PAN fingerprint (PCI DSS 3.5.1.1: PAN hashes must be keyed, since the
 * PAN space is small enough to brute-force an unkeyed hash). Scoped by
 * merchant so fingerprints cannot be used to link one buyer across merchants.
 */
export function fingerprint(pan: string, key: Secret<Buffer>, scope: string): string {
  if (typeof pan !== 'string' || pan.length > 19 || !/^\d+$/.test(pan)) throw new TypeError('fingerprint: pan must be a digit string');
  if (typeof scope !== 'string' || scope === '') throw new TypeError('fingerprint: scope must be a non-empty string');
  // The PAN has no '|', so `${scope}|${pan}` splits one way only: no two (scope, pan) pairs collide.
  return createHmac('sha256', key.reveal()).update(`${scope}|${pan}`, 'utf8').digest('hex');
}

/** Random, never derived from the PAN, so a token reveals nothing about the card. */
export function newToken(): string {
  return 'tok_' + randomBytes(24).toString('base64url');
}

function dekAad(recordId: string, version: number): string {
  return `dek|${checkPart(recordId, 'recordId')}|v${checkVersion(version)}`;
}

function fieldAad(aad: FieldAad): string {
  return `${checkPart(aad.recordId, 'recordId')}|${checkPart(aad.field, 'field')}|v${checkVersion(aad.keyVersion)}`;
}

/* A '|' inside a part would make two different (record, field) pairs produce one AAD string. */
function checkPart(value: string, name: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('|')) {
    throw new TypeError(`${name} must be a non-empty string without '|'`);
  }
  return value;
}

function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) throw new TypeError('key version must be a positive integer');
  return version;
}
