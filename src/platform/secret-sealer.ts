/** The prefix of a sealed value: what is stored without it is a legacy cleartext value awaiting sealing. */
export const SEALED_PREFIX = 'vault:v1:';

/**
 * Seals a small secret at rest (an admin's TOTP seed, PCI DSS 8.3.2 / 8.4.2) in the vault's envelope
 * scheme: its own data key, wrapped by the vault's active KEK. The implementation lives in the vault
 * (src/pci/vault/vault-secret-sealer.ts) so no key leaves src/pci; callers see strings only.
 */
export abstract class SecretSealer {
  /** `context` (table/row/column) is bound into the ciphertext: a value moved to another row does not open. */
  abstract seal(plain: string, context: string): string;
  /** Throws on a tampered or moved value, or one sealed under a retired key version. */
  abstract open(sealed: string, context: string): string;

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }
}
