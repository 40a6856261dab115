import 'reflect-metadata';

import cluster from 'node:cluster';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';

import { InitialAdmin } from './admin/auth/initial-admin';
import { bannerLines, IMAGE_ENV } from './bootstrap/banner';
import { BUNDLED_SANDBOX_ENV, runPrimary } from './bootstrap/cluster';
import { activeDemoMerchants, ensureDemoMerchant } from './bootstrap/demo-merchant';
import { startEverything } from './bootstrap/start-everything';
import { ConfigError, loadConfig, requireProductionKeySources } from './config/gateway-config';
import { createLogger } from './platform/logging/logger';

/**
 * V8's old generation grows, after each full collection, by a factor it picks from the GC's speed (up to 4×
 * here): under load the gateway's live ~55 MB heap was left to fill to 120–150 MB of garbage before the next
 * full collection, and the RSS peaked at 244–293 MB. 1.5× keeps the peak at 170–186 MB with no measured
 * throughput loss (docs/performance.md "Memory"). Read at every full collection, so setting it after the imports
 * applies from the first one under load; `npm start` needs no node flag.
 */
v8.setFlagsFromString('--heap-growing-percent=50');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    requireProductionKeySources(config, process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE });
  if (config.GATEWAY_WORKERS > 1 && cluster.isPrimary) return runPrimary(config, logger);
  const stack = await startEverything(config, logger);
  // Under GATEWAY_WORKERS, the first worker alone writes the demo merchant and prints the banner.
  const firstWorker = (process.env.GATEWAY_WORKER_INDEX ?? '0') === '0';
  // Development only (bundled sandbox or loopback acquirer): with real Antom there is no demo merchant, nor its key path.
  const merchantFile = firstWorker ? await ensureDemoMerchant(stack.app, config) : null;
  if (firstWorker && !merchantFile) {
    for (const clientId of await activeDemoMerchants(stack.app)) {
      logger.warn(
        { clientId },
        `demo merchant from a development run is ACTIVE against a remote acquirer: npm run merchant -- set --client-id ${clientId} --status SUSPENDED`,
      );
    }
  }
  if (config.PRINT_BANNER && firstWorker) {
    const lines = bannerLines({
      gatewayUrl: stack.gatewayUrl,
      adminUrl: stack.adminUrl,
      sandboxUrl: stack.sandbox?.url ?? process.env[BUNDLED_SANDBOX_ENV] ?? null,
      antomBaseUrl: config.ANTOM_BASE_URL,
      merchantFile,
      initialPasswordFile: fs.existsSync(InitialAdmin.file(config.dataDir)) ? InitialAdmin.file(config.dataDir) : null,
      inImage: process.env[IMAGE_ENV] === 'docker',
      cwd: process.cwd(),
    });
    process.stdout.write(lines.join('\n') + '\n');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining and stopping');
    await stack.stop().catch((e) => logger.error({ err: e }, 'error while stopping'));
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Gateway failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
