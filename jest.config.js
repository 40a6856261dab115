// Projects: fast unit specs beside the code, integration suites in test/ that boot the gateway and the
// sandbox over real HTTP on a real PostgreSQL (embedded unless DATABASE_URL is set), the leak scan, and the
// example merchant project (examples/merchant-shop, on the built package and the test kit).
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

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/sandbox', '<rootDir>/test/architecture', '<rootDir>/client', '<rootDir>/testing'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/leak-scan/'],
      transform: { '^.+\\.ts$': swc },
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
    {
      // Run by `npm test` after the other projects: scans what they left behind for card data.
      displayName: 'leak-scan',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/leak-scan'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': swc },
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
    // The example merchant project (its own Jest config, on the built package and the test kit).
    '<rootDir>/examples/merchant-shop/jest.config.js',
  ],
};
