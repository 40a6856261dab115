import { VaultKeyError } from './errors';
import { KeyringData, KeyringSource, KeyStatus } from './keyring-data';

/**
 * The operator's HSM or KMS, as the vault needs it: decrypt a key blob under a master key that never leaves
 * the device. An adapter (AWS KMS, Google Cloud KMS, Azure Key Vault, a PKCS#11 HSM…) implements this in
 * the operator's start-up code; the gateway ships no cloud SDK. `keyId` names the master key (an ARN, a
 * resource name, a PKCS#11 label); `context` is bound to the blob (encryption context / AAD) where the KMS
 * supports it, so a blob cannot be replayed for another key.
 */
export interface KmsKeySource {
  /** For the key inventory and error messages: `aws-kms`, `pkcs11:slot-0`… never a secret. */
  readonly name: string;
  decrypt(keyId: string, ciphertext: Buffer, context: Record<string, string>): Promise<Buffer>;
}

/**
 * The keyring as the ceremony hands it to a KMS-backed deployment: every KEK and the fingerprint key as
 * ciphertext under the KMS master key, with each version's status and creation date in clear. Safe to keep
 * beside the application (a config map): without the KMS it opens nothing.
 */
export interface KmsWrappedKeyring {
  kmsKeyId: string;
  keks: { version: number; status: KeyStatus; createdAt: string; wrappedKey: string /* base64; '' once retired */ }[];
  wrappedFingerprintKey: string;
}

/**
 * Unwraps the keyring once through the KMS (at start-up, before createGatewayApp) and hands the Keyring a
 * read-only source: `new Keyring(await openKmsKeyring(kms, wrapped))`, then `createGatewayApp({ keyring, … })`.
 * Rotation is a new ceremony (a new wrapped keyring) and a redeploy, as with VAULT_KEKS.
 */
export async function openKmsKeyring(kms: KmsKeySource, wrapped: KmsWrappedKeyring): Promise<KeyringSource> {
  const open = async (blob: string, purpose: string): Promise<string> => {
    try {
      return (await kms.decrypt(wrapped.kmsKeyId, Buffer.from(blob, 'base64'), { purpose: `gateway-vault/${purpose}` })).toString('base64');
    } catch (e) {
      throw new VaultKeyError(`${kms.name} could not unwrap the vault ${purpose} (${e instanceof Error ? e.name : 'error'})`);
    }
  };
  const data: KeyringData = {
    keks: await Promise.all(
      wrapped.keks.map(async (k) => ({
        version: k.version,
        status: k.status,
        createdAt: k.createdAt,
        key: k.status === 'retired' ? '' : await open(k.wrappedKey, `kek-v${k.version}`),
      })),
    ),
    fingerprintKey: await open(wrapped.wrappedFingerprintKey, 'fingerprint-key'),
  };
  return { load: () => JSON.parse(JSON.stringify(data)) as KeyringData };
}
