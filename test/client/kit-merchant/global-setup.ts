import { startTestGateway } from 'antom-test-kit';

export default async () => {
  const gw = await startTestGateway();
  gw.exportToEnv();
  (globalThis as unknown as { kitGateway: typeof gw }).kitGateway = gw;
};
