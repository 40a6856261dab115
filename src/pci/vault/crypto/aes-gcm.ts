import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { VaultIntegrityError, VaultKeyError } from './errors';

/*
 * AES-256-GCM with a self-describing blob:
 *   [1 byte format version][12 bytes IV][16 bytes tag][ciphertext]
 * The format byte lets a future algorithm change coexist with stored data.
 * IVs are random: with a fresh data key per record, each key encrypts only a
 * handful of fields, far below the 2^32 random-IV limit for GCM.
 */
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const KEY_BYTES = 32;

export function seal(plain: Buffer, key: Buffer, aad: string): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
}

/** Decrypts and authenticates; any mismatch (bytes, key, AAD) is a VaultIntegrityError. */
export function open(blob: Buffer, key: Buffer, aad: string, what: string): Buffer {
  assertKey(key);
  if (!Buffer.isBuffer(blob) || blob.length < HEADER_BYTES || blob[0] !== FORMAT_V1) {
    throw new VaultIntegrityError(`${what}: malformed ciphertext`);
  }
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    // OpenSSL's message says nothing useful; ours names what failed, not the bytes.
    throw new VaultIntegrityError(`${what}: authentication failed`);
  }
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new VaultKeyError('AES-256-GCM key must be 32 bytes');
  }
}
