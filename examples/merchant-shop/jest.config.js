// The example merchant's own Jest setup: the test kit boots the gateway once, in globalSetup.
// `npm run test:packages` (scripts/test-packages.js) copies this project outside the repository, writes its
// package.json with the packed antom-client, antom-test-kit and antom-card-gateway, installs and runs it, as a
// merchant's project would be.
module.exports = {
  displayName: 'merchant-shop',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
