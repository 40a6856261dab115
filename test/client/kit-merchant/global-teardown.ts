import type { TestGateway } from 'antom-card-gateway/testing';

export default async () => (globalThis as unknown as { kitGateway: TestGateway }).kitGateway.stop();
