import type { TestGateway } from 'antom-test-kit';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __antomTestGateway?: TestGateway }).__antomTestGateway?.stop();
}
