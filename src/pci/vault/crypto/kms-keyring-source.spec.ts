import { randomBytes } from 'node:crypto';

import { mock } from 'jest-mock-extended';

import { VaultKeyError } from './errors';
import { Keyring } from './keyring';
import { KmsKeySource, openKmsKeyring } from './kms-keyring-source';

describe('openKmsKeyring (the HSM/KMS adapter interface)', () => {
  // A fake KMS: "wrapping" is XOR with a pad it never hands out; the vault sees only what decrypt() returns.
  const pad = randomBytes(32);
  const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ pad[i]));
  const keys = { 1: randomBytes(32), 2: randomBytes(32), fp: randomBytes(32) };
  const wrapped = {
    kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/vault',
    keks: [
      { version: 1, status: 'decrypt-only' as const, createdAt: '2026-01-05T00:00:00.000Z', wrappedKey: xor(keys[1]).toString('base64') },
      { version: 2, status: 'active' as const, createdAt: '2026-07-01T00:00:00.000Z', wrappedKey: xor(keys[2]).toString('base64') },
    ],
    wrappedFingerprintKey: xor(keys.fp).toString('base64'),
  };

  it('unwraps every key once through the KMS, naming its purpose, and gives the keyring a read-only source', async () => {
    const kms = mock<KmsKeySource>({ name: 'fake-kms' });
    kms.decrypt.mockImplementation(async (_id, blob) => xor(blob));
    const keyring = new Keyring(await openKmsKeyring(kms, wrapped));
    expect(keyring.active().version).toBe(2);
    expect(keyring.active().key.reveal().equals(keys[2])).toBe(true);
    expect(keyring.fingerprintKey().reveal().equals(keys.fp)).toBe(true);
    expect(keyring.inventory().keks.map((k) => [k.version, k.status, k.createdAt])).toEqual([
      [1, 'decrypt-only', '2026-01-05T00:00:00.000Z'],
      [2, 'active', '2026-07-01T00:00:00.000Z'],
    ]);
    expect(keyring.writable).toBe(false);
    expect(kms.decrypt.mock.calls.map(([id, , ctx]) => [id, ctx.purpose])).toEqual([
      [wrapped.kmsKeyId, 'gateway-vault/kek-v1'],
      [wrapped.kmsKeyId, 'gateway-vault/kek-v2'],
      [wrapped.kmsKeyId, 'gateway-vault/fingerprint-key'],
    ]);
  });

  it('a KMS refusal stops start-up with the adapter and the key named, not the KMS message', async () => {
    const kms = mock<KmsKeySource>({ name: 'fake-kms' });
    kms.decrypt.mockRejectedValue(new TypeError('AccessDenied for principal arn:aws:iam::111122223333:role/x'));
    await expect(openKmsKeyring(kms, wrapped)).rejects.toThrow(VaultKeyError);
    await expect(openKmsKeyring(kms, wrapped)).rejects.toThrow(/^fake-kms could not unwrap the vault kek-v1 \(TypeError\)$/);
  });
});
