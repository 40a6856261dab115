import { generateRsaKeyPair } from '../../src/antom/keys';

// Plain CommonJS script, also runnable on its own: `node scripts/scan-secrets.js`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script (above), typed by the cast
const { scanRepository, scanText, scanPath } = require('../../scripts/scan-secrets.js') as {
  scanRepository(): { files: number; bytes: number; hits: { file: string; line: number; rule: string }[] };
  scanText(file: string, text: string): { rule: string }[];
  scanPath(file: string): { rule: string }[];
};

describe('no secrets in the repository', () => {
  it('the scanner finds planted secrets of every kind (built at runtime, so this file stays clean)', () => {
    const j = (...parts: string[]) => parts.join('');
    const planted: [string, string][] = [
      ['PEM private key', generateRsaKeyPair().privateKeyPem],
      ['AWS access key id', j('AKIA', 'IOSFODNN7EXAMPLE')],
      ['GitHub token', j('ghp_', 'a'.repeat(36))],
      ['JSON Web Token', j('eyJ', 'hbGciOiJIUzI1NiJ9', '.eyJ', 'zdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')],
      ['vault KEK value', j('VAULT_', 'KEKS="1:', 'q'.repeat(43), '="')],
      ['bare base64 RSA key', j('MII', 'E'.repeat(300))],
      ['connection string with a password', j('postgres', '://gateway:S3cr3t-pw', '@db.internal:5432/gw')],
      ['password literal', j('pass', "word: 'correct-horse-battery'")],
    ];
    for (const [rule, text] of planted) expect(scanText('planted.txt', `x\n${text}\n`).map((h) => h.rule)).toContain(rule);
    expect(scanText('README.md', 'DATABASE_URL=postgres://user:pass@host:5432/db')).toEqual([]);
  });

  it('finds by name what must never be tracked: the PostgreSQL cluster once committed here, keys, env files', () => {
    const found = (f: string) => scanPath(f).map((h) => h.rule);
    for (const f of [
      '.bench-data-commit/PG_VERSION',
      '.bench-data-commit/pw',
      '.bench-data-commit/global/pg_control',
      '.bench-data-commit/base/5/1259',
      'x/postmaster.pid',
      'pg_wal/000000010000000000000001',
    ])
      expect(found(f)).toContain(f.endsWith('/pw') ? 'password file' : 'PostgreSQL cluster file');
    expect(found('certs/server.key')).toContain('key or keystore file');
    expect(found('.env')).toContain('environment file');
    expect(found('.env.production')).toContain('environment file');
    for (const f of ['.env.example', 'src/admin/auth/passwords.ts', 'src/global-setup.ts', 'docs/keys.md']) expect(found(f)).toEqual([]);
  });

  it('finds no private key, token, KEK or password in any file git tracks', () => {
    const { files, bytes, hits } = scanRepository();
    process.stdout.write(`secret scan: ${files} tracked files, ${bytes} bytes, ${hits.length} findings\n`);
    expect(files).toBeGreaterThan(50);
    expect(hits).toEqual([]);
  });
});
