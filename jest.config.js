// The test tiers (docs/testing.md):
// - unit: specs beside the code (`*.spec.ts`), no database, no network.
// - db: repositories against a real PostgreSQL (test/db/**/*.db-spec.ts), one fresh migrated database per file.
// - e2e: test/**/*.e2e-spec.ts — the gateway and the sandbox over real HTTP on a real PostgreSQL (embedded unless
//   DATABASE_URL is set). Run in parallel Jest workers, each on a database of its own (test/setup/worker-database.js).
// - crash: test/crash/ — processes killed, PostgreSQL restarted; one at a time (`npm run test:crash`).
// - browser: every suite that drives Chromium, found by what it imports (`npm run test:browser`).
// - leak-scan: scans what the other tiers left behind, run last.
// The example merchant project (examples/merchant-shop) is not a project here: `npm run test:packages`
// (scripts/test-packages.js) runs its Jest suite in a fresh project outside the repository, on the packed packages.
const fs = require('node:fs');
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/** The suites of test/ that drive Chromium (playwright-core, test/support/browser.ts, the console's browser). */
function browserSuites(dir = path.join(__dirname, 'test')) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'crash' || e.name === 'leak-scan' ? [] : browserSuites(file);
    if (!e.name.endsWith('.e2e-spec.ts')) return [];
    return /playwright-core|launchChromium|openConsoleBrowser/.test(fs.readFileSync(file, 'utf8')) ? [path.relative(__dirname, file)] : [];
  });
}
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BROWSER = browserSuites().map((f) => `/${escapeRegExp(f.split(path.sep).join('/'))}$`);

// Every tier with a database starts PostgreSQL once per Jest run (embedded, or DATABASE_URL) and stops it after.
const withDatabase = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Points TEST_DATABASE_URL at this Jest worker's own database (gateway_test_<JEST_WORKER_ID>), made on first use.
  setupFiles: ['<rootDir>/test/setup/worker-database.js'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: [
        '<rootDir>/src',
        '<rootDir>/sandbox',
        '<rootDir>/test/architecture',
        '<rootDir>/packages/antom-client/src',
        '<rootDir>/packages/antom-test-kit/src',
      ],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      displayName: 'db',
      ...withDatabase,
      roots: ['<rootDir>/test/db'],
      testMatch: ['**/*.db-spec.ts'],
    },
    {
      displayName: 'e2e',
      ...withDatabase,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/test/leak-scan/', '/test/crash/', ...BROWSER],
    },
    {
      displayName: 'crash',
      ...withDatabase,
      roots: ['<rootDir>/test/crash'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
    {
      displayName: 'browser',
      ...withDatabase,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      // Jest has no list-of-files option: every e2e suite is matched, all but the browser ones ignored.
      testPathIgnorePatterns: [`^(?!.*(${BROWSER.join('|')}))`],
    },
    {
      // Run by `npm test` after the other projects: scans what they left behind for card data.
      displayName: 'leak-scan',
      ...withDatabase,
      roots: ['<rootDir>/test/leak-scan'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
