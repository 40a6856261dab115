import { Injectable } from '@nestjs/common';

import { SEALED_PREFIX, SecretSealer } from '../../platform/secret-sealer';
import { decryptField, encryptField, newDataKey, unwrapDataKey, wrapDataKey } from './crypto/envelope';
import { VaultIntegrityError } from './crypto/errors';
import { Keyring } from './crypto/keyring';

/**
 * SecretSealer in the vault's envelope scheme: `vault:v1:<kek version>:<wrapped data key>:<ciphertext>`
 * (base64url). A fresh data key per value, wrapped by the active KEK with the context as record id; the
 * value encrypted under it with the context and `secret` as AAD.
 */
@Injectable()
export class VaultSecretSealer extends SecretSealer {
  constructor(private readonly keyring: Keyring) {
    super();
  }

  seal(plain: string, context: string): string {
    const kek = this.keyring.active();
    const dek = newDataKey();
    try {
      const wrapped = wrapDataKey(dek, kek, context);
      const sealed = encryptField(Buffer.from(plain, 'utf8'), dek, { recordId: context, field: 'secret', keyVersion: kek.version });
      return `${SEALED_PREFIX}${kek.version}:${wrapped.toString('base64url')}:${sealed.toString('base64url')}`;
    } finally {
      dek.fill(0);
    }
  }

  open(value: string, context: string): string {
    const m = /^(\d{1,9}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/.exec(value.startsWith(SEALED_PREFIX) ? value.slice(SEALED_PREFIX.length) : '');
    if (!m) throw new VaultIntegrityError(`sealed secret of ${context}: malformed`);
    const version = Number(m[1]);
    const dek = unwrapDataKey(Buffer.from(m[2], 'base64url'), this.keyring.get(version), context);
    try {
      return decryptField(Buffer.from(m[3], 'base64url'), dek, { recordId: context, field: 'secret', keyVersion: version }).toString('utf8');
    } finally {
      dek.fill(0);
    }
  }
}
