/*
 * Vault errors. Their messages are built only from record ids, field names and
 * key version numbers, never from key bytes, plaintext or ciphertext, because
 * exception messages end up in logs and HTTP error bodies.
 */

/** A ciphertext failed authentication: tampered, truncated, or moved to another record, field or key version. */
export class VaultIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultIntegrityError';
  }
}

/** A key is unknown, retired, malformed, or used for something its status forbids. */
export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultKeyError';
  }
}
