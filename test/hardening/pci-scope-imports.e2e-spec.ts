import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The CDE boundary as a checked rule (ARCHITECTURE.md "Rules that keep the PCI scope small"): only the
 * vault and card-collection may name the raw card types or reveal a collected card, and the sandbox
 * shares nothing with the gateway but the `antom` protocol module. Reads the import graph of src/.
 */
const SRC = path.resolve(__dirname, '../../src');
const IMPORT = /^\s*import\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s,]+)\s+from\s+'([^']+)'/gm;
const RAW_NAMES = /\b(RawCard|ValidCard|revealCollectedCard)\b/;
const CDE_DIRS = ['vault', 'card-collection'];

interface Edge { file: string; names: string; target: string; relative: boolean }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name) ? [p] : [];
  });
}

function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(IMPORT)].map((m) => ({
      file: path.relative(SRC, file),
      names: m[1] ?? '',
      relative: m[2].startsWith('.'),
      target: m[2].startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), m[2])) : m[2],
    }));
  });
}

const moduleOf = (rel: string) => rel.split(path.sep)[0];

describe('PCI scope: the import graph keeps raw card data inside the CDE modules', () => {
  const all = edges();

  it('reads a real import graph', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((e) => e.file.startsWith('vault') && RAW_NAMES.test(e.names))).toBe(true);
  });

  it('lets only vault and card-collection import RawCard, ValidCard or revealCollectedCard', () => {
    const offenders = all.filter((e) => RAW_NAMES.test(e.names) && !CDE_DIRS.includes(moduleOf(e.file)));
    expect(offenders).toEqual([]);
  });

  it('lets only vault and card-collection import the card validation internals and vault crypto', () => {
    const internals = /^(card-collection\/validation\/|vault\/crypto\/|vault\/raw-card)/;
    const offenders = all.filter((e) => internals.test(e.target) && !CDE_DIRS.includes(moduleOf(e.file)) && !/^(bootstrap)$/.test(moduleOf(e.file)));
    // bootstrap only constructs the keyring from its source (no card data passes through it)
    const bootstrapUses = all.filter((e) => moduleOf(e.file) === 'bootstrap' && internals.test(e.target)).map((e) => e.target);
    expect(offenders).toEqual([]);
    expect(bootstrapUses.every((t) => /^vault\/crypto\/(keyring|env-keyring-source|file-keyring-source)$/.test(t))).toBe(true);
  });

  it('keeps the sandbox apart: it imports only antom and itself', () => {
    const sandbox = all.filter((e) => moduleOf(e.file) === 'sandbox' && e.relative);
    expect(sandbox.length).toBeGreaterThan(3);
    expect(sandbox.filter((e) => !['sandbox', 'antom'].includes(moduleOf(e.target)))).toEqual([]);
  });
});
