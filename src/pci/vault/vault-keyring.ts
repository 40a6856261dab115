import * as path from 'node:path';
import { EnvKeyringSource } from './crypto/env-keyring-source';
import { FileKeyringSource } from './crypto/file-keyring-source';
import { Keyring } from './crypto/keyring';

/**
 * The only way code outside the vault gets a keyring: as an opaque handle to pass to VaultModule. The
 * PCI boundary test forbids importing ./crypto from anywhere else, so key material stays in the vault.
 */
export type VaultKeyring = Keyring;

/**
 * Production: VAULT_KEKS / VAULT_FINGERPRINT_KEY from the environment (read-only; rotate by adding a
 * version there and redeploying). Development: GATEWAY_DATA_DIR/keys/keyring.json, created 0600 on first
 * use and shared by every gateway process and the vault scripts, which see each other's changes.
 */
export function openKeyring(dataDir: string, env: NodeJS.ProcessEnv): VaultKeyring {
  return new Keyring(env.VAULT_KEKS ? new EnvKeyringSource(env) : new FileKeyringSource(path.join(dataDir, 'keys', 'keyring.json')));
}
