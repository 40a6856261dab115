// As jest.config.js, with the kit booted once in globalSetup (Jest's own process, outside its module system)
// and reached from the test files over loopback (connectTestGateway).
module.exports = {
  ...require('./jest.config'),
  testMatch: ['<rootDir>/connected.test.ts'],
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
};
