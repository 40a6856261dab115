// The example merchant's own Jest setup: the test kit boots the gateway once, in globalSetup.
// Inside this repository it runs in `npm test` (the root jest.config.js lists it as the `example` project),
// on the package as built (`npm run build`), resolved by its name like any dependency.
module.exports = {
  displayName: 'example',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
