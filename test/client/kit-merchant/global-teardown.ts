import type { TestGateway } from 'antom-test-kit';

export default async () => (globalThis as unknown as { kitGateway: TestGateway }).kitGateway.stop();
