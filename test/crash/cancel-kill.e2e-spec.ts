import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { generateRsaKeyPair, loadPublicKey } from '../../src/antom/keys';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox-server';
import { s2sPay } from '../support/fixtures';
import { ARTIFACTS, MerchantClient } from '../support/merchant-client';
import { NotifyReceiver } from '../support/notify-receiver';
import { freePort } from '../support/free-port';

/**
 * REVIEW (defect, fixed): CaptureService.cancel writes cancel_requested_at but no next_reconcile_at before its
 * upstream call. A gateway killed during that call leaves an AUTHORIZED payment that nothing ever looks at
 * again: reconciliation only claims rows with next_reconcile_at set, so the cancel is never resent and the
 * gateway's record never learns whether the acquirer voided the hold. The same write is the AVS pay-path
 * void's (AvsPolicyService.voidNow), so an AVS void is lost the same way.
 */
jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');

describe('cancel: killed while the cancel is upstream', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-cancel-kill-'));
  const gatewayKeys = generateRsaKeyPair();
  const sandboxKeys = generateRsaKeyPair();
  const gatewaySigning = generateRsaKeyPair();
  const merchantKeys = generateRsaKeyPair();
  const sandboxClientId = `SANDBOX_CNLK${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const merchantClientId = `SANDBOX_A${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  let sandbox: RunningSandbox;
  let pool: Pool;
  let port: number;
  let merchant: MerchantClient;
  let receiver: NotifyReceiver;
  let child: ChildProcess | undefined;

  async function startGateway(crashAt?: string): Promise<ChildProcess> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL, PORT: String(port), HOST: '127.0.0.1', GATEWAY_DATA_DIR: dataDir,
      GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}`, PRINT_BANNER: 'false', LOG_LEVEL: 'info',
      LOG_FILE: path.join(ARTIFACTS, 'logs', 'cancel-kill-gateway.log'),
      ANTOM_BASE_URL: sandbox.url, ANTOM_CLIENT_ID: sandboxClientId, ANTOM_PRIVATE_KEY: gatewayKeys.privateKeyPem,
      ANTOM_PUBLIC_KEY: sandboxKeys.publicKeyPem, GATEWAY_PRIVATE_KEY: gatewaySigning.privateKeyPem,
      WORKER_POLL_MS: '100', RECONCILE_INTERVAL_SECONDS: '1', RECONCILE_FIRST_DELAY_SECONDS: '60', NOTIFY_LEASE_SECONDS: '2',
      NOTIFY_TIME_SCALE: '0.001', SHUTDOWN_GRACE_MS: '500', UPSTREAM_TIMEOUT_MS: '3000', UPSTREAM_RETRIES: '0',
      ...(crashAt ? { GATEWAY_CRASH_AT: crashAt } : {}),
    };
    const proc = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`gateway exited at start: ${stderr}`);
      if (await healthy()) return proc;
      await sleep(200);
    }
    proc.kill('SIGKILL');
    throw new Error(`gateway did not become healthy: ${stderr}`);
  }
  async function healthy(): Promise<boolean> {
    try { const res = await fetch(`http://127.0.0.1:${port}/health`); await res.text(); return res.status === 200; } catch { return false; }
  }
  const exitOf = (p: ChildProcess) => new Promise<string | number | null>((r) => {
    if (p.exitCode !== null || p.signalCode !== null) r(p.signalCode ?? p.exitCode);
    else p.once('exit', (code, signal) => r(signal ?? code));
  });
  const q = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows;

  beforeAll(async () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 4 });
    port = await freePort();
    sandbox = await startSandbox({
      port: 0, databaseUrl: process.env.TEST_DATABASE_URL!, privateKeyPem: sandboxKeys.privateKeyPem,
      clients: { [sandboxClientId]: gatewayKeys.publicKeyPem }, notifyTimeScale: 0.05, slowAnswerMs: 20_000,
    });
    receiver = await new NotifyReceiver(loadPublicKey(gatewaySigning.publicKeyPem)).start();
    child = await startGateway();
    const [m] = await q(`INSERT INTO merchant (client_id, name, status, notify_url, avs_policy) VALUES ($1, 'AVS crash merchant', 'ACTIVE', $2, 'VOID') RETURNING id`, [merchantClientId, `${receiver.url}/notify`]);
    await q(`INSERT INTO merchant_key (merchant_id, key_version, public_key_pem) VALUES ($1, 1, $2)`, [m.id, merchantKeys.publicKeyPem]);
    merchant = new MerchantClient(`http://127.0.0.1:${port}`, merchantClientId, merchantKeys.privateKeyPem, gatewaySigning.publicKeyPem);
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) { const e = exitOf(child); child.kill('SIGTERM'); await e; }
    await sandbox?.close();
    await receiver?.close();
    await pool?.end();
  });

  it('a restarted gateway resends the cancel and settles the payment', async () => {
    const req = s2sPay({ captureMode: 'MANUAL' });
    const paid = await merchant.post('payments/pay', req);
    expect(paid.body.result.resultStatus).toBe('S');
    await fetch(`${sandbox.url}/sandbox/control/faults`, { method: 'POST', body: JSON.stringify({ fault: 'slow', api: 'payments/cancel', times: 1 }) });
    void merchant.post('payments/cancel', { paymentId: paid.body.paymentId }).catch(() => 'no-answer');
    const row = async () => (await q(`SELECT id, status, cancel_requested_at, next_reconcile_at FROM payment WHERE payment_id = $1`, [paid.body.paymentId]))[0];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await row())?.cancel_requested_at) await sleep(25);
    const e = exitOf(child!); child!.kill('SIGKILL'); await e;
    child = await startGateway();
    const until = Date.now() + 40_000;
    while (Date.now() < until && (await row()).status !== 'CANCELLED') await sleep(500);
    const final = await row();
    expect({ status: final.status, nextReconcileAt: final.next_reconcile_at }).toEqual({ status: 'CANCELLED', nextReconcileAt: null });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
