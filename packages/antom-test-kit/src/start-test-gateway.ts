import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { AuthExpiryPolicy } from 'antom-card-gateway/boot';

import { AnswerProxy } from './answer-proxy';
import { KitServer, NOTIFY_PATH } from './kit-server';
import { handleFor, TEST_GATEWAY_ENV, TestGatewayDescriptor, TestGatewayHandle } from './test-gateway';

export interface StartTestGatewayOptions {
  /** An existing PostgreSQL (a fresh database); default: an embedded one in the temp dir, on a free port. */
  databaseUrl?: string;
  /** Gateway settings to override (`.env.example` names), e.g. `{ UPSTREAM_RETRIES: '0' }`. */
  settings?: Record<string, string>;
  /** Where the gateway's JSON log goes; default a file in the temp dir (removed by stop unless `keepLogs`). */
  logFile?: string;
  /**
   * stop() keeps the gateway's log (the default file is moved out of the temp dir before it is deleted, to
   * `<os tmpdir>/antom-test-gateway-<time>.log`), and returns and prints where it is. A `logFile` given is
   * never deleted either way.
   */
  keepLogs?: boolean;
  /** What the gateway does with an authorization not captured 1 h before it expires: EXPIRE (default), CAPTURE the rest, or VOID it. */
  authExpiryPolicy?: AuthExpiryPolicy;
}

export interface TestGateway extends TestGatewayHandle {
  /** The data directory (embedded PostgreSQL, keys, logs); removed by `stop()`. */
  dataDir: string;
  /** The descriptor test files read (see `connectTestGateway`). */
  descriptor: TestGatewayDescriptor;
  /** Sets process.env[ANTOM_TEST_GATEWAY], which Jest passes to the test files' processes. */
  exportToEnv(): void;
  /**
   * Stops the gateway, sandbox, PostgreSQL and the kit's servers and deletes the data directory; with
   * `keepLogs`, says (and prints) where the gateway's log was kept.
   */
  stop(): Promise<{ logFile: string | null }>;
}

/**
 * Fast notification schedules: a refused delivery comes again within a second, not in 2 min. The `slow`
 * acquirer (FAULT_AMOUNTS.SLOW) answers after 3 s, within the gateway's 15 s timeout: S, late, every time.
 * The kit's controls (clock, settleNow) on: TEST_KIT_CONTROLS, which a gateway on a real acquirer refuses.
 */
const FAST = {
  WORKER_POLL_MS: '50',
  NOTIFY_TIME_SCALE: '0.005',
  SANDBOX_NOTIFY_TIME_SCALE: '0.005',
  SANDBOX_SLOW_ANSWER_MS: '3000',
  TEST_KIT_CONTROLS: 'true',
};

/**
 * The whole product for a merchant's test suite, started the way `npm start` starts it (startEverything:
 * embedded PostgreSQL, the bundled sandbox acquirer, the gateway) in a temp dir on free loopback ports,
 * with one merchant whose notify URL is the kit's inbox. Nothing is read from the caller's environment
 * (a merchant's real Antom settings must not reach a test gateway).
 */
export async function startTestGateway(opts: StartTestGatewayOptions = {}): Promise<TestGateway> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'antom-test-gateway-'));
  // Run as root, the embedded PostgreSQL initialises as its own `postgres` user, which must reach pg/ (the
  // keys inside are 0600 files of their own).
  fs.chmodSync(dataDir, 0o755);
  const settings: Record<string, string> = {
    PORT: '0',
    SANDBOX_PORT: '0',
    GATEWAY_DATA_DIR: dataDir,
    PRINT_BANNER: 'false',
    LOG_LEVEL: 'info',
    LOG_FILE: opts.logFile ?? path.join(dataDir, 'gateway.log'),
    ...FAST,
    ...opts.settings,
  };
  if (opts.databaseUrl) settings.DATABASE_URL = opts.databaseUrl;
  else settings.EMBEDDED_PG_PORT ??= String(await freePort());
  const cleanups: Array<() => Promise<unknown>> = [async () => fs.rmSync(dataDir, { recursive: true, force: true })];
  // Runs after the product stopped (its last lines flushed), before the directory goes.
  let keptLog: string | null = opts.logFile ?? null;
  if (opts.keepLogs && !opts.logFile) cleanups.push(async () => (keptLog = keepLog(settings.LOG_FILE)));
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    // Loaded here, not at the top: test files that only connect (connectTestGateway) never load the product.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily (above)
    const { bootProduct } = require('antom-card-gateway/boot') as typeof import('antom-card-gateway/boot');
    const product = await bootWithFreePort(bootProduct, settings, !opts.databaseUrl && !opts.settings?.EMBEDDED_PG_PORT);
    cleanups.push(async () => {
      await product.stop();
      product.controls.reset();
    });
    const proxy = await new AnswerProxy(product.gatewayUrl).start();
    cleanups.push(() => proxy.close());
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const clientId = `SANDBOX_KIT${randomBytes(5).toString('hex').toUpperCase()}`;
    const gatewayPublicKey = product.gatewayPublicKey;
    const kit = await new KitServer({
      gatewayPublicKey,
      clientId,
      proxy,
      sandboxUrl: product.sandboxUrl,
      upstreamPaymentId: product.upstreamPaymentId,
      controls: product.controls,
    }).start();
    cleanups.push(() => kit.close());
    const notifyUrl = kit.url + NOTIFY_PATH;
    await product.addMerchant(clientId, keys.publicKey, notifyUrl);
    if (opts.authExpiryPolicy) await product.controls.setAuthExpiryPolicy(clientId, opts.authExpiryPolicy);
    const descriptor: TestGatewayDescriptor = {
      merchant: { baseUrl: proxy.url, clientId, privateKey: keys.privateKey, gatewayPublicKey, notifyUrl },
      controlUrl: kit.url,
    };
    const handle = handleFor(descriptor);
    cleanups.splice(1, 0, async () => handle.client.close());
    return {
      ...handle,
      dataDir,
      descriptor,
      exportToEnv: () => {
        process.env[TEST_GATEWAY_ENV] = JSON.stringify(descriptor);
      },
      stop: async () => {
        if (process.env[TEST_GATEWAY_ENV] === JSON.stringify(descriptor)) delete process.env[TEST_GATEWAY_ENV];
        await stopAll();
        if (opts.keepLogs && keptLog) process.stderr.write(`antom test gateway: its log is kept at ${keptLog}\n`);
        return { logFile: opts.keepLogs ? keptLog : null };
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The log moved out of the data directory (which stop() deletes): `<tmpdir>/antom-test-gateway-<time>.log`. */
function keepLog(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const kept = path.join(os.tmpdir(), `antom-test-gateway-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.log`);
  fs.copyFileSync(file, kept);
  return kept;
}

/**
 * The port freePort() found may be taken before the embedded PostgreSQL binds it (other processes on the
 * machine start servers too; measured on a shared CI machine: "Is another postmaster already running on
 * port …"): then it is tried again on another free port, at most three times.
 */
async function bootWithFreePort<T>(boot: (s: Record<string, string>) => Promise<T>, settings: Record<string, string>, ownPort: boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boot(settings);
    } catch (e) {
      const taken = /another postmaster|Port \d+ is taken|address already in use/i.test(e instanceof Error ? e.message : String(e));
      if (!ownPort || !taken || attempt >= 3) throw e;
      settings.EMBEDDED_PG_PORT = String(await freePort());
    }
  }
}

/** A loopback port free right now (the embedded PostgreSQL must be told its port). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
