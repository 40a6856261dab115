import type { TestGateway } from 'antom-card-gateway/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __antomTestGateway?: TestGateway }).__antomTestGateway?.stop();
}
