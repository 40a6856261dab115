import { startTestGateway } from 'antom-test-kit';

// Boots embedded PostgreSQL + the gateway + its sandbox acquirer once for the whole suite.
export default async function globalSetup(): Promise<void> {
  const gateway = await startTestGateway();
  gateway.exportToEnv(); // test files: connectTestGateway()
  (globalThis as { __antomTestGateway?: typeof gateway }).__antomTestGateway = gateway;
}
