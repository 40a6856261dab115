import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureBuilt } from '../support/built';
import { s2sPay } from '../support/fixtures';
import { freePort } from '../support/free-port';
import { MerchantClient } from '../support/merchant-client';

/**
 * GATEWAY_WORKERS=2 (`npm start`'s entry, built): one primary owns the bundled sandbox, two workers share
 * the port. Connections reach both workers, pays succeed through either, a killed worker is replaced
 * while the other keeps serving, and stopping the primary stops every worker.
 */
jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');

describe('GATEWAY_WORKERS: one port, several gateway processes', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-cluster-'));
  let primary: ChildProcess;
  let port: number;
  let merchant: MerchantClient;

  beforeAll(async () => {
    ensureBuilt();
    port = await freePort();
    primary = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        GATEWAY_WORKERS: '2',
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        GATEWAY_DATA_DIR: dataDir,
        PORT: String(port),
        SANDBOX_PORT: '0',
        LOG_LEVEL: 'warn',
        PRINT_BANNER: 'false',
        SHUTDOWN_GRACE_MS: '500',
      },
    });
    await until(async () => (await workersAnswering()).size === 2, 90_000);
    const m = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev', 'merchant.json'), 'utf8'));
    merchant = new MerchantClient(`http://127.0.0.1:${port}`, m.clientId, m.privateKey, m.gatewayPublicKey);
  });

  afterAll(async () => {
    if (primary.exitCode === null) {
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('spreads connections over both workers and pays through them', async () => {
    expect([...(await workersAnswering())].sort()).toEqual([0, 1]);
    const answers = await Promise.all(Array.from({ length: 12 }, () => merchant.post('payments/pay', s2sPay())));
    expect(answers.map((a) => `${a.body.result.resultStatus} ${a.signatureValid}`)).toEqual(Array(12).fill('S true'));
  });

  it('replaces a worker that dies, and the other keeps serving meanwhile', async () => {
    const before = workerPids();
    expect(before).toHaveLength(2);
    process.kill(before[0], 'SIGKILL');
    // A keep-alive connection to the killed worker is reset; a merchant retries with the same
    // paymentRequestId (safe by idempotency) and the surviving worker answers.
    const body = s2sPay();
    const during = await merchant.post('payments/pay', body).catch(() => merchant.post('payments/pay', body));
    expect(during.body.result.resultStatus).toBe('S');
    await until(async () => workerPids().length === 2 && !workerPids().includes(before[0]) && (await workersAnswering()).size === 2, 60_000);
  });

  it('stopping the primary stops every worker', async () => {
    const workers = workerPids();
    const exited = new Promise<number | null>((r) => primary.once('exit', (code) => r(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
  });

  /** Worker indexes seen on fresh connections (`/health` names the worker under GATEWAY_WORKERS). */
  async function workersAnswering(): Promise<Set<number>> {
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const body = await getFresh(`http://127.0.0.1:${port}/health`).catch(() => null);
      if (body && typeof body.worker === 'number') seen.add(body.worker);
    }
    return seen;
  }

  function workerPids(): number[] {
    const out = fs.readFileSync(`/proc/${primary.pid}/task/${primary.pid}/children`, 'utf8').trim();
    return out ? out.split(/\s+/).map(Number).filter(alive) : [];
  }
});

function alive(pid: number): boolean {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
}

/** A GET on its own connection (no keep-alive agent), so the cluster hands it to the next worker. */
function getFresh(url: string): Promise<{ worker?: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}
