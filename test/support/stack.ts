import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DataSource } from 'typeorm';

import { RunningStack, startEverything } from '../../src/bootstrap/start-everything';
import { loadConfig } from '../../src/config/gateway-config';
import { MerchantsService } from '../../src/merchants/merchants.service';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { createLogger } from '../../src/platform/logging/logger';
import { ARTIFACTS, MerchantClient } from './merchant-client';
import { seedGatewayKeys, testKeyPair } from './test-keys';

export interface TestStack extends RunningStack {
  merchant: MerchantClient;
  db: DataSource;
  newMerchant(): Promise<MerchantClient>;
  /** The suite's JSON log lines so far (the logger writes asynchronously: wait for what you expect). */
  logLines(): Array<Record<string, unknown>>;
}

/** The real product for a suite: gateway + sandbox over HTTP on the suite's PostgreSQL, random ports. */
export async function startTestStack(overrides: Record<string, unknown> = {}): Promise<TestStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-test-'));
  const logFile = path.join(ARTIFACTS, 'logs', `${path.basename(expect.getState().testPath ?? 'suite')}.log`);
  const config = loadConfig(
    {},
    {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      PORT: '0',
      SANDBOX_PORT: '0',
      GATEWAY_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      LOG_FILE: logFile,
      PRINT_BANNER: 'false',
      ...overrides,
    },
  );
  seedGatewayKeys(config.dataDir);
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE, stdout: false });
  const stack = await startEverything(config, logger, { ...process.env, SANDBOX_PORT: '0', ...overrides });
  const db = stack.app.get(DataSource);
  const newMerchant = async () => {
    const keys = testKeyPair();
    const clientId = `SANDBOX_T${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
    await stack.app.get(MerchantsService).create(clientId, 'Test merchant', keys.publicKeyPem);
    return new MerchantClient(stack.gatewayUrl, clientId, keys.privateKeyPem, stack.app.get(GatewaySigningKey).publicKeyPem, 'gateway');
  };
  const logLines = () =>
    fs.existsSync(logFile)
      ? fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return { ...stack, db, merchant: await newMerchant(), newMerchant, logLines };
}
