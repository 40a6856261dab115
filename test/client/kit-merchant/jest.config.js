// A merchant's Jest setup as a fresh project has it (test/client/test-kit.e2e-spec.ts runs it in a Jest of its own):
// the default module system (no --experimental-vm-modules), TypeScript through @swc/jest, the kit by its package name (the build in dist/).
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/before-all.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 60000,
};
