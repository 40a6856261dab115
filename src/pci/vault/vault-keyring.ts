import * as fs from 'node:fs';
import * as path from 'node:path';

import { GatewayConfig } from '../../config/gateway-config';
import { EnvKeyringSource } from './crypto/env-keyring-source';
import { VaultKeyError } from './crypto/errors';
import { FileKeyringSource } from './crypto/file-keyring-source';
import { Keyring, KeyringSource } from './crypto/keyring';

/**
 * The only way code outside the vault gets a keyring: as an opaque handle to pass to VaultModule. The
 * PCI boundary test forbids importing ./crypto from anywhere else, so key material stays in the vault.
 */
export type VaultKeyring = Keyring;

/** Where the vault keys come from, as the key inventory names it (never the keys themselves). */
export type KeyringSourceName = 'file:VAULT_KEYRING_FILE' | 'env:VAULT_KEKS' | 'development file';

type KeyringConfig = Pick<GatewayConfig, 'dataDir' | 'VAULT_KEYRING_FILE'>;

/**
 * Production: VAULT_KEYRING_FILE (a read-only keyring file from the key ceremony, each KEK with its
 * creation date), else VAULT_KEKS / VAULT_FINGERPRINT_KEY (+ VAULT_KEKS_CREATED) from the environment;
 * both read-only: rotate by adding a version there and redeploying. An HSM/KMS: an operator's adapter
 * (crypto/kms-keyring-source.ts) hands its keyring to createGatewayApp. Development: GATEWAY_DATA_DIR/keys/
 * keyring.json, created 0600 on first use and shared by every gateway process and the vault scripts;
 * refused with a remote acquirer (requireProductionKeySources).
 */
export function openKeyring(config: KeyringConfig, env: Record<string, unknown>): VaultKeyring {
  return new Keyring(keyringSource(config, env));
}

export function keyringSourceName(config: KeyringConfig, env: Record<string, unknown>): KeyringSourceName {
  if (config.VAULT_KEYRING_FILE) return 'file:VAULT_KEYRING_FILE';
  return env.VAULT_KEKS ? 'env:VAULT_KEKS' : 'development file';
}

function keyringSource(config: KeyringConfig, env: Record<string, unknown>): KeyringSource {
  if (config.VAULT_KEYRING_FILE) return configuredFile(config.VAULT_KEYRING_FILE);
  switch (keyringSourceName(config, env)) {
    case 'env:VAULT_KEKS':
      return new EnvKeyringSource(env as Record<string, string | undefined>);
    default:
      return new FileKeyringSource(path.join(config.dataDir, 'keys', 'keyring.json'));
  }
}

/** The ceremony's keyring file: must exist (never created here) and is read-only (no save: no rotation in place). */
function configuredFile(file: string): KeyringSource {
  const inner = new FileKeyringSource(file);
  return {
    load: () => {
      if (!fs.existsSync(file)) throw new VaultKeyError(`VAULT_KEYRING_FILE ${file} does not exist`);
      return inner.load();
    },
    stamp: () => inner.stamp(),
  };
}
