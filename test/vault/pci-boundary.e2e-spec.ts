import * as path from 'node:path';

import { BOUNDARY_RULES, findViolations, importsOf, readSources, SourceFile } from '../architecture/import-graph';

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
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/pci/vault/vault.service.ts', to: 'src/pci/vault/raw-card.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/pci/vault/vault.service.ts', to: 'src/pci/vault/crypto/keyring.ts' }));
  });

  it('no module outside src/pci imports RawCard, ValidCard, revealCollectedCard or key material', () => {
    expect(findViolations(sources).map(describeViolation)).toEqual([]);
  });

  describe('catches every import form (the check can fail)', () => {
    const file = (text: string): SourceFile => ({ path: 'src/authorization/evil.ts', text });
    it.each([
      ["import { RawCard } from '../pci/vault/raw-card';", 'src/pci/vault/raw-card.ts'],
      ["import type { RawCard as R } from '../pci/vault/raw-card';", 'src/pci/vault/raw-card.ts'],
      ["export { RawCard } from '../pci/vault/raw-card';", 'src/pci/vault/raw-card.ts'],
      ["import * as raw from '../pci/vault/raw-card';", 'src/pci/vault/raw-card.ts'],
      ["type C = import('../pci/vault/raw-card').RawCard;", 'src/pci/vault/raw-card.ts'],
      ["import { ValidCard } from '../pci/card-collection/validation/card-validation';", 'src/pci/card-collection/validation/card-validation.ts'],
      ["import { maskPan } from '../pci/card-collection/validation/card-validation';", 'src/pci/card-collection/validation/card-validation.ts'],
      ["import { revealCollectedCard } from '../pci/card-collection/collected-card';", 'src/pci/card-collection/collected-card.ts'],
      ["import { Keyring } from '../pci/vault/crypto/keyring';", 'src/pci/vault/crypto/keyring.ts'],
      ["export * from '../pci/vault/crypto/envelope';", 'src/pci/vault/crypto/envelope.ts'],
      ["const k = require('../pci/vault/crypto/secret');", 'src/pci/vault/crypto/secret.ts'],
      ["import k = require('../pci/vault/crypto/secret');", 'src/pci/vault/crypto/secret.ts'],
      ["const k = await import('../pci/vault/crypto/aes-gcm');", 'src/pci/vault/crypto/aes-gcm.ts'],
      ["import '../pci/vault/crypto/keyring';", 'src/pci/vault/crypto/keyring.ts'],
    ])('%s', (text, to) => {
      expect(findViolations([file(text)])).toEqual([expect.objectContaining({ to })]);
    });

    it('allows the masked views and the opaque handles', () => {
      const ok = [
        "import { MaskedCard } from '../pci/vault/raw-card';",
        "import { CollectedCard } from '../pci/card-collection/collected-card';",
        "import { VaultService } from '../pci/vault/vault.service';",
        "import type { VaultKeyring } from '../pci/vault/vault-keyring';",
      ].join('\n');
      expect(findViolations([file(ok)])).toEqual([]);
    });

    it('lets the vault and card-collection use them', () => {
      const inside = {
        path: 'src/pci/card-collection/x.ts',
        text: "import { RawCard } from '../pci/vault/raw-card';\nimport { Keyring } from '../pci/vault/crypto/keyring';",
      };
      expect(findViolations([inside])).toEqual([]);
    });
  });

  it('guards exactly the documented modules', () => {
    expect(BOUNDARY_RULES.map((r) => r.module)).toEqual([
      'src/pci/vault/raw-card.ts',
      'src/pci/card-collection/validation/card-validation.ts',
      'src/pci/card-collection/collected-card.ts',
      'src/pci/vault/crypto/',
    ]);
  });
});
