import { randomBytes } from 'node:crypto';

import * as fc from 'fast-check';

import {
  decryptField,
  encryptField,
  FieldAad,
  fingerprint,
  newDataKey,
  newToken,
  unwrapDataKey,
  VaultIntegrityError,
  VaultKeyError,
  wrapDataKey,
} from './envelope';
import type { KeyEncryptionKey } from './keyring';
import { Secret } from './secret';

const kek = (version: number, status: KeyEncryptionKey['status'] = 'active'): KeyEncryptionKey => ({
  version,
  key: new Secret(randomBytes(32)),
  status,
});

/** A copy of blob with the byte at index XORed with mask. */
const flipped = (blob: Buffer, index: number, mask: number): Buffer => {
  const copy = Buffer.from(blob);
  copy.writeUInt8(copy.readUInt8(index) ^ mask, index);
  return copy;
};

const aad: FieldAad = { recordId: 'card_1', field: 'pan', keyVersion: 1 };

describe('encryptField / decryptField', () => {
  it('round-trips any bytes under any record and field name', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.stringMatching(/^[a-z0-9_-]{1,24}$/),
        fc.stringMatching(/^[a-z]{1,12}$/),
        fc.integer({ min: 1, max: 1000 }),
        (bytes, recordId, field, keyVersion) => {
          const dek = newDataKey();
          const plain = Buffer.from(bytes);
          const where = { recordId, field, keyVersion };
          expect(decryptField(encryptField(plain, dek, where), dek, where).equals(plain)).toBe(true);
        },
      ),
    );
  });

  it('uses the documented layout: format byte 1, 12-byte IV, 16-byte tag, then ciphertext', () => {
    const blob = encryptField(Buffer.from('4111111111111111'), newDataKey(), aad);
    expect(blob[0]).toBe(1);
    expect(blob.length).toBe(1 + 12 + 16 + 16);
  });

  it('uses a fresh IV each time', () => {
    const dek = newDataKey();
    const plain = Buffer.from('same');
    expect(encryptField(plain, dek, aad).equals(encryptField(plain, dek, aad))).toBe(false);
  });

  it('detects a change to any single byte', () => {
    const dek = newDataKey();
    const blob = encryptField(Buffer.from('4111111111111111'), dek, aad);
    for (let i = 0; i < blob.length; i++) {
      expect(() => decryptField(flipped(blob, i, 0x01), dek, aad)).toThrow(VaultIntegrityError);
    }
  });

  it('detects any random tamper (property)', () => {
    const dek = newDataKey();
    const blob = encryptField(Buffer.from('378282246310005'), dek, aad);
    fc.assert(
      fc.property(fc.nat({ max: blob.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, mask) => {
        expect(() => decryptField(flipped(blob, index, mask), dek, aad)).toThrow(VaultIntegrityError);
      }),
    );
  });

  it('detects truncation and extension', () => {
    const dek = newDataKey();
    const blob = encryptField(Buffer.from('4111111111111111'), dek, aad);
    expect(() => decryptField(blob.subarray(0, blob.length - 1), dek, aad)).toThrow(VaultIntegrityError);
    expect(() => decryptField(blob.subarray(0, 10), dek, aad)).toThrow(VaultIntegrityError);
    expect(() => decryptField(Buffer.concat([blob, Buffer.of(0)]), dek, aad)).toThrow(VaultIntegrityError);
  });

  it.each([
    ['another record', { ...aad, recordId: 'card_2' }],
    ['another field', { ...aad, field: 'cvv' }],
    ['another key version', { ...aad, keyVersion: 2 }],
  ])('refuses a ciphertext moved to %s', (_label, moved) => {
    const dek = newDataKey();
    const blob = encryptField(Buffer.from('4111111111111111'), dek, aad);
    expect(() => decryptField(blob, dek, moved)).toThrow(VaultIntegrityError);
  });

  it('refuses the wrong data key', () => {
    const blob = encryptField(Buffer.from('4111111111111111'), newDataKey(), aad);
    expect(() => decryptField(blob, newDataKey(), aad)).toThrow(VaultIntegrityError);
  });

  it('refuses a data key that is not 32 bytes', () => {
    expect(() => encryptField(Buffer.from('x'), randomBytes(16), aad)).toThrow(VaultKeyError);
  });

  it("refuses AAD parts that contain '|' (they would make AAD strings ambiguous)", () => {
    const dek = newDataKey();
    expect(() => encryptField(Buffer.from('x'), dek, { ...aad, recordId: 'a|b' })).toThrow(TypeError);
    expect(() => encryptField(Buffer.from('x'), dek, { ...aad, field: '' })).toThrow(TypeError);
    expect(() => encryptField(Buffer.from('x'), dek, { ...aad, keyVersion: 0 })).toThrow(TypeError);
  });

  it('never puts plaintext or key bytes in error messages', () => {
    const dek = newDataKey();
    const blob = flipped(encryptField(Buffer.from('4111111111111111'), dek, aad), 30, 1);
    try {
      decryptField(blob, dek, aad);
      throw new Error('expected a failure');
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain('4111');
      expect(message).not.toContain(dek.toString('hex').slice(0, 8));
      expect(message).not.toContain(dek.toString('base64').slice(0, 8));
    }
  });
});

describe('wrapDataKey / unwrapDataKey', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_]{1,24}$/), fc.integer({ min: 1, max: 99 }), (recordId, version) => {
        const key = kek(version);
        const dek = newDataKey();
        expect(unwrapDataKey(wrapDataKey(dek, key, recordId), key, recordId).equals(dek)).toBe(true);
      }),
    );
  });

  it('binds the wrapped key to its record and KEK version', () => {
    const key = kek(1);
    const wrapped = wrapDataKey(newDataKey(), key, 'card_1');
    expect(() => unwrapDataKey(wrapped, key, 'card_2')).toThrow(VaultIntegrityError);
    // Same key bytes presented as another version: the AAD differs, so it fails.
    expect(() => unwrapDataKey(wrapped, { ...key, version: 2 }, 'card_1')).toThrow(VaultIntegrityError);
    expect(() => unwrapDataKey(wrapped, kek(1), 'card_1')).toThrow(VaultIntegrityError);
  });

  it('detects tampering of any byte', () => {
    const key = kek(1);
    const wrapped = wrapDataKey(newDataKey(), key, 'card_1');
    for (let i = 0; i < wrapped.length; i++) {
      expect(() => unwrapDataKey(flipped(wrapped, i, 0x80), key, 'card_1')).toThrow(VaultIntegrityError);
    }
  });

  it('wraps only with the active KEK and unwraps with active or decrypt-only, never retired', () => {
    const active = kek(1);
    const wrapped = wrapDataKey(newDataKey(), active, 'card_1');
    const demoted = { ...active, status: 'decrypt-only' as const };
    expect(() => wrapDataKey(newDataKey(), demoted, 'card_1')).toThrow(VaultKeyError);
    expect(unwrapDataKey(wrapped, demoted, 'card_1')).toHaveLength(32);
    expect(() => unwrapDataKey(wrapped, { ...active, status: 'retired' }, 'card_1')).toThrow(VaultKeyError);
  });

  it('refuses a data key of the wrong size', () => {
    expect(() => wrapDataKey(randomBytes(16), kek(1), 'card_1')).toThrow(VaultKeyError);
  });
});

describe('fingerprint', () => {
  const key = new Secret(randomBytes(32));

  it('is a stable hex HMAC-SHA256 for the same card and merchant', () => {
    const a = fingerprint('4111111111111111', key, 'merchant_a');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('4111111111111111', key, 'merchant_a')).toBe(a);
  });

  it('differs across merchants, cards and keys', () => {
    const a = fingerprint('4111111111111111', key, 'merchant_a');
    expect(fingerprint('4111111111111111', key, 'merchant_b')).not.toBe(a);
    expect(fingerprint('5555555555554444', key, 'merchant_a')).not.toBe(a);
    expect(fingerprint('4111111111111111', new Secret(randomBytes(32)), 'merchant_a')).not.toBe(a);
  });

  it('does not contain the PAN', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12,19}$/), (pan) => {
        expect(fingerprint(pan, key, 'm')).not.toContain(pan);
      }),
    );
  });

  it('refuses non-digit PANs without echoing them', () => {
    expect(() => fingerprint('4111 1111', key, 'm')).toThrow(/pan must be a digit string$/);
  });
});

describe('newToken', () => {
  it('is tok_ + 24 random bytes in base64url, unique', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^tok_[A-Za-z0-9_-]{32}$/);
  });
});

describe('newDataKey', () => {
  it('gives 32 fresh random bytes', () => {
    const a = newDataKey();
    expect(a).toHaveLength(32);
    expect(a.equals(newDataKey())).toBe(false);
  });
});
