// A process of its own, as Jest's globalSetup is: loads the kit's TypeScript (swc, as the Jest projects do),
// starts the test gateway on the embedded PostgreSQL, prints what it started, stops on "stop" from stdin.
const fs = require('node:fs');
const swc = require('@swc/core');
require.extensions['.ts'] = (m, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  });
  m._compile(code, filename);
};
require('reflect-metadata');
const { startTestGateway } = require('../../packages/antom-test-kit/src/index.ts');

(async () => {
  const gw = await startTestGateway();
  const pay = await gw.client.inquiryPayment({ paymentRequestId: 'none' });
  process.stdout.write(
    JSON.stringify({ dataDir: gw.dataDir, descriptor: gw.descriptor, inquiry: pay.status === 'F' ? pay.code : pay.status }) + '\n',
  );
  process.stdin.once('data', async () => {
    await gw.stop();
    process.stdout.write('stopped\n');
    process.exit(0);
  });
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
