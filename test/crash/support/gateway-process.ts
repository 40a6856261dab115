import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Pool } from 'pg';

import { RunningSandbox, startSandbox } from '../../../sandbox/sandbox-server';
import { generateRsaKeyPair, loadPublicKey } from '../../../src/antom/keys';
import { ensureBuilt } from '../../support/built';
import { freePort } from '../../support/free-port';
import { ARTIFACTS, MerchantClient } from '../../support/merchant-client';
import { NotifyReceiver } from '../../support/notify-receiver';

const ROOT = path.resolve(__dirname, '../../..');

type RsaKeyPair = ReturnType<typeof generateRsaKeyPair>;

export interface GatewayProcessOptions {
  /** Names the log file and the temporary data directory. */
  name: string;
  /** Gateway settings over the defaults below (all strings, as in the environment). */
  env?: Record<string, string>;
  /** The standalone sandbox's notification time scale (1 = Antom's 2-minute resend) and its `slow` fault. */
  sandbox?: { notifyTimeScale?: number; slowAnswerMs?: number };
  /**
   * The merchant's row: its AVS/CVV policy, and where its notifications go — by default a signature-checking
   * receiver of the harness's own (`receiver`).
   */
  merchant?: { notifyUrl?: string; avsPolicy?: 'ACCEPT' | 'REVIEW' | 'VOID' };
}

/**
 * `node dist/src/main.js` as an operator runs it, against the suites' PostgreSQL and a standalone sandbox,
 * so a test can kill it (SIGKILL, GATEWAY_CRASH_AT) and start it again on the same state. Built once per
 * suite; the merchant is written straight into the gateway's tables.
 */
export class GatewayProcess {
  child: ChildProcess | undefined;
  stderr = '';
  merchant!: MerchantClient;
  readonly merchantClientId = `SANDBOX_T${suffix(10)}`;
  private readonly dataDir: string;

  private constructor(
    private readonly opts: GatewayProcessOptions,
    private readonly keys: Record<'gateway' | 'sandbox' | 'signing' | 'merchant', RsaKeyPair>,
    readonly pool: Pool,
    readonly port: number,
    readonly sandbox: RunningSandbox,
    readonly sandboxClientId: string,
    readonly receiver: NotifyReceiver,
  ) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gw-${opts.name}-`));
  }

  static async open(opts: GatewayProcessOptions): Promise<GatewayProcess> {
    ensureBuilt();
    const keys = { gateway: generateRsaKeyPair(), sandbox: generateRsaKeyPair(), signing: generateRsaKeyPair(), merchant: generateRsaKeyPair() };
    const sandboxClientId = `SANDBOX_CRASH${suffix(8)}`;
    const sandbox = await startSandbox({
      port: 0,
      databaseUrl: process.env.TEST_DATABASE_URL!,
      privateKeyPem: keys.sandbox.privateKeyPem,
      clients: { [sandboxClientId]: keys.gateway.publicKeyPem },
      notifyTimeScale: opts.sandbox?.notifyTimeScale ?? 0.05,
      ...(opts.sandbox?.slowAnswerMs ? { slowAnswerMs: opts.sandbox.slowAnswerMs } : {}),
    });
    const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 4 });
    const receiver = await new NotifyReceiver(loadPublicKey(keys.signing.publicKeyPem)).start();
    const g = new GatewayProcess(opts, keys, pool, await freePort(), sandbox, sandboxClientId, receiver);
    await g.start(); // runs the migrations
    await g.addMerchant();
    return g;
  }

  /** Starts the gateway (dying at `crashAt`, if given) and waits for /health. */
  async start(crashAt?: string): Promise<ChildProcess> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      GATEWAY_DATA_DIR: this.dataDir,
      GATEWAY_PUBLIC_URL: `http://127.0.0.1:${this.port}`,
      PRINT_BANNER: 'false',
      LOG_LEVEL: 'info',
      LOG_FILE: path.join(ARTIFACTS, 'logs', `${this.opts.name}-gateway.log`),
      ANTOM_BASE_URL: this.sandbox.url,
      ANTOM_CLIENT_ID: this.sandboxClientId,
      ANTOM_PRIVATE_KEY: this.keys.gateway.privateKeyPem,
      ANTOM_PUBLIC_KEY: this.keys.sandbox.publicKeyPem,
      GATEWAY_PRIVATE_KEY: this.keys.signing.privateKeyPem,
      WORKER_POLL_MS: '100',
      RECONCILE_INTERVAL_SECONDS: '1',
      RECONCILE_FIRST_DELAY_SECONDS: '1',
      NOTIFY_LEASE_SECONDS: '2',
      NOTIFY_TIME_SCALE: '0.001',
      SHUTDOWN_GRACE_MS: '500',
      ...this.opts.env,
      ...(crashAt ? { GATEWAY_CRASH_AT: crashAt } : {}),
    };
    const proc = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    proc.stderr!.on('data', (c: Buffer) => {
      this.stderr += c.toString();
    });
    this.child = proc;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`gateway exited at start: ${this.stderr}`);
      if (await this.healthy()) return proc;
      await sleep(200);
    }
    proc.kill('SIGKILL');
    throw new Error(`gateway did not become healthy: ${this.stderr}`);
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/health`);
      await res.text();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current process ends (e.g. by its crash hook), to its signal or exit code. */
  exited(): Promise<string | number | null> {
    return this.child ? exitOf(this.child) : Promise.resolve(null);
  }

  /** Sends `signal` and waits for the process to end; resolves to its signal or exit code. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<string | number | null> {
    if (!this.child) return null;
    const exited = exitOf(this.child);
    if (this.running) this.child.kill(signal);
    return exited;
  }

  async q(sql: string, params: unknown[] = []): Promise<Record<string, any>[]> {
    return (await this.pool.query(sql, params)).rows;
  }

  /** Makes the sandbox answer its next call of `api` only after its slow-answer delay. */
  async slowNext(api: string): Promise<void> {
    await fetch(`${this.sandbox.url}/sandbox/control/faults`, { method: 'POST', body: JSON.stringify({ fault: 'slow', api, times: 1 }) });
  }

  async close(): Promise<void> {
    if (this.running) await this.kill('SIGTERM');
    await this.sandbox?.close();
    await this.receiver.close();
    await this.pool.end();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async addMerchant(): Promise<void> {
    const { notifyUrl = `${this.receiver.url}/notify`, avsPolicy = 'ACCEPT' } = this.opts.merchant ?? {};
    const [m] = await this.q(
      `INSERT INTO merchant (client_id, name, status, notify_url, avs_policy) VALUES ($1, $2, 'ACTIVE', $3, $4) RETURNING id`,
      [this.merchantClientId, `${this.opts.name} merchant`, notifyUrl, avsPolicy],
    );
    await this.q(`INSERT INTO merchant_key (merchant_id, key_version, public_key_pem) VALUES ($1, 1, $2)`, [m.id, this.keys.merchant.publicKeyPem]);
    this.merchant = new MerchantClient(
      `http://127.0.0.1:${this.port}`,
      this.merchantClientId,
      this.keys.merchant.privateKeyPem,
      this.keys.signing.publicKeyPem,
    );
  }
}

export function exitOf(p: ChildProcess): Promise<string | number | null> {
  return new Promise((r) => {
    if (p.exitCode !== null || p.signalCode !== null) r(p.signalCode ?? p.exitCode);
    else p.once('exit', (code, signal) => r(signal ?? code));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function suffix(n: number): string {
  return Math.random()
    .toString(36)
    .slice(2, 2 + n)
    .toUpperCase();
}
