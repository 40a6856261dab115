import { SecretSealer } from '../../platform/secret-sealer';
import { memoryKeyring } from './vault.fakes';
import { VaultIntegrityError, VaultKeyError } from './vault-errors';
import { VaultSecretSealer } from './vault-secret-sealer';

describe('VaultSecretSealer (TOTP seeds at rest, PCI DSS 8.3.2)', () => {
  const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const CTX = 'admin_user/7b0c/totp';

  it('seals under its own data key wrapped by the active KEK; opens only in its own context', () => {
    const sealer = new VaultSecretSealer(memoryKeyring());
    const a = sealer.seal(SEED, CTX);
    const b = sealer.seal(SEED, CTX);
    expect(SecretSealer.isSealed(a)).toBe(true);
    expect(a).toMatch(/^vault:v1:1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(a).not.toContain(SEED);
    expect(a).not.toBe(b); // a fresh data key and nonce each time
    expect(sealer.open(a, CTX)).toBe(SEED);
    expect(() => sealer.open(a, 'admin_user/other/totp')).toThrow(VaultIntegrityError);
  });

  it('refuses a tampered, malformed or retired-key value', () => {
    const keyring = memoryKeyring([
      { version: 1, status: 'active' },
      { version: 2, status: 'retired' },
    ]);
    const sealer = new VaultSecretSealer(keyring);
    const sealed = sealer.seal(SEED, CTX);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => sealer.open(flipped, CTX)).toThrow(VaultIntegrityError);
    expect(() => sealer.open(SEED, CTX)).toThrow(/malformed/);
    expect(() => sealer.open(sealed.replace('vault:v1:1:', 'vault:v1:2:'), CTX)).toThrow(VaultKeyError);
  });
});
