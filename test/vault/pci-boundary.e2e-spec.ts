import * as path from 'node:path';
import { BOUNDARY_RULES, findViolations, importsOf, readSources, SourceFile } from './pci-boundary';

// Jest applies testTimeout globally, not per project: the first suite also pays for a fresh database.
jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
const describeViolation = (v: ReturnType<typeof findViolations>[number]) =>
  `${v.from} imports ${v.symbols === '*' ? '*' : v.symbols.join(', ')} from ${v.to} (${v.rule.why})`;

describe('the PCI boundary, read from the import graph of src/', () => {
  const sources = readSources(ROOT);

  it('reads the whole source tree', () => {
    expect(sources.length).toBeGreaterThan(50);
    const edges = sources.flatMap(importsOf);
    // The vault does use its guarded modules; if the parser missed these it would miss violations too.
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/vault/vault.service.ts', to: 'src/vault/raw-card.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/vault/vault.service.ts', to: 'src/vault/crypto/keyring.ts' }));
  });

  it('no module outside src/vault and src/card-collection imports RawCard, ValidCard, revealCollectedCard or key material', () => {
    expect(findViolations(sources).map(describeViolation)).toEqual([]);
  });

  describe('catches every import form (the check can fail)', () => {
    const file = (text: string): SourceFile => ({ path: 'src/authorization/evil.ts', text });
    it.each([
      ["import { RawCard } from '../vault/raw-card';", 'src/vault/raw-card.ts'],
      ["import type { RawCard as R } from '../vault/raw-card';", 'src/vault/raw-card.ts'],
      ["export { RawCard } from '../vault/raw-card';", 'src/vault/raw-card.ts'],
      ["import * as raw from '../vault/raw-card';", 'src/vault/raw-card.ts'],
      ["type C = import('../vault/raw-card').RawCard;", 'src/vault/raw-card.ts'],
      ["import { ValidCard } from '../card-collection/validation/card-validation';", 'src/card-collection/validation/card-validation.ts'],
      ["import { maskPan } from '../card-collection/validation/card-validation';", 'src/card-collection/validation/card-validation.ts'],
      ["import { revealCollectedCard } from '../card-collection/collected-card';", 'src/card-collection/collected-card.ts'],
      ["import { Keyring } from '../vault/crypto/keyring';", 'src/vault/crypto/keyring.ts'],
      ["export * from '../vault/crypto/envelope';", 'src/vault/crypto/envelope.ts'],
      ["const k = require('../vault/crypto/secret');", 'src/vault/crypto/secret.ts'],
      ["import k = require('../vault/crypto/secret');", 'src/vault/crypto/secret.ts'],
      ["const k = await import('../vault/crypto/aes-gcm');", 'src/vault/crypto/aes-gcm.ts'],
      ["import '../vault/crypto/keyring';", 'src/vault/crypto/keyring.ts'],
    ])('%s', (text, to) => {
      expect(findViolations([file(text)])).toEqual([expect.objectContaining({ to })]);
    });

    it('allows the masked views and the opaque handles', () => {
      const ok = [
        "import { MaskedCard } from '../vault/raw-card';",
        "import { CollectedCard } from '../card-collection/collected-card';",
        "import { VaultService } from '../vault/vault.service';",
        "import type { VaultKeyring } from '../vault/vault-keyring';",
      ].join('\n');
      expect(findViolations([file(ok)])).toEqual([]);
    });

    it('lets the vault and card-collection use them', () => {
      const inside = { path: 'src/card-collection/x.ts', text: "import { RawCard } from '../vault/raw-card';\nimport { Keyring } from '../vault/crypto/keyring';" };
      expect(findViolations([inside])).toEqual([]);
    });
  });

  it('guards exactly the documented modules', () => {
    expect(BOUNDARY_RULES.map((r) => r.module)).toEqual([
      'src/vault/raw-card.ts', 'src/card-collection/validation/card-validation.ts', 'src/card-collection/collected-card.ts', 'src/vault/crypto/',
    ]);
  });
});
