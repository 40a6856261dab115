import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { startTestGateway, TEST_CARDS, TestGateway } from '../../packages/antom-test-kit/src';
import { connectTestGateway, TEST_GATEWAY_ENV } from '../../packages/antom-test-kit/src/test-gateway';
import { ARTIFACTS } from '../support/merchant-client';

/*
 * The merchant test kit. In a test file (here on the suites' PostgreSQL, to save an initdb; kit-merchant/
 * boots the embedded one from a beforeAll and from a globalSetup in Jests of their own) it boots the gateway
 * and sandbox, its controls reach the sandbox and the notify URL; in a process of its own it boots the
 * embedded PostgreSQL too, and stop() leaves no process, port or directory behind.
 */
let gw: TestGateway;
const ports: number[] = [];
/** Embedded PostgreSQL servers of other kits (another suite's) running when this one started. */
let processesBefore: number[] = [];

beforeAll(async () => {
  processesBefore = processesUsing('antom-test-gateway-');
  // Its log among the suites' logs, for the end-of-run card-data leak scan.
  gw = await startTestGateway({ databaseUrl: process.env.TEST_DATABASE_URL, logFile: path.join(ARTIFACTS, 'logs', 'test-kit.e2e-spec.ts.log') });
});
afterAll(async () => {
  await gw?.stop();
});

const eur = (value: string) => ({ currency: 'EUR', value });
const pay = (paymentRequestId: string, cardNo: string, value = '1234') =>
  gw.client.pay({
    paymentRequestId,
    paymentAmount: eur(value),
    order: { referenceOrderId: paymentRequestId, orderDescription: 'Kit test', orderAmount: eur(value) },
    paymentMethod: {
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { cardNo, cvv: '123', expiryMonth: '12', expiryYear: '34', cardholderName: { fullName: 'Jane Doe' } },
    },
    paymentFactor: { isAuthorization: true, captureMode: 'MANUAL' },
    paymentRedirectUrl: 'https://shop.example/return',
  });

describe('test kit', () => {
  it('a 3DS card is U PAYMENT_IN_PROCESS with the challenge page to send the buyer to', async () => {
    const r = await pay('kit-3ds', TEST_CARDS.THREE_DS_CHALLENGE);
    expect(r).toMatchObject({ status: 'U', code: 'PAYMENT_IN_PROCESS', cause: 'ANSWERED' });
    if (r.status === 'U') expect(r.answer?.normalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('a refused delivery comes again later; a second process sees the same inbox through the environment', async () => {
    await gw.notifications.failNext({ paymentRequestId: 'kit-late' }, 2);
    const r = await pay('kit-late', TEST_CARDS.VISA_SUCCESS);
    expect(r.status).toBe('S');
    gw.exportToEnv();
    const remote = connectTestGateway();
    try {
      const n = await remote.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: 'kit-late' }, 20_000);
      expect(n.result.resultStatus).toBe('S');
      expect((await remote.inbox.all()).filter((x) => x.notifyType === 'PAYMENT_RESULT' && x.paymentRequestId === 'kit-late')).toHaveLength(1);
    } finally {
      remote.client.close();
    }
    expect(JSON.parse(process.env[TEST_GATEWAY_ENV]!).merchant.clientId).toBe(gw.merchant.clientId);
  });

  it('the upstream faults reach the sandbox: an acquirer down for every attempt is U for the merchant, never F', async () => {
    await gw.sandbox.upstreamFault('http503', 'payments/pay', 10);
    const r = await pay('kit-down', TEST_CARDS.VISA_SUCCESS);
    await gw.sandbox.clearUpstreamFaults();
    expect(r.status).toBe('U');
    expect(r.status === 'U' && r.cause).toBe('ANSWERED');
  });

  it("the README's ten-line client pays, as printed on its first screen", async () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const code = /```js\n(\/\/ first-client\.js\n[\s\S]*?)```/.exec(readme)![1];
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(10);
    const lines: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the README's CommonJS snippet is given the client as its require() would
    const modules: Record<string, unknown> = { 'antom-client': require('../../packages/antom-client/src'), './.data/dev/merchant.json': gw.merchant };
    const printed = new Promise<void>((resolve) => {
      const console = {
        log: (...args: unknown[]) => {
          lines.push(args.join(' '));
          resolve();
        },
      };
      new Function('require', 'console', code)((name: string) => modules[name], console);
    });
    await printed;
    expect(lines[0]).toMatch(/^S SUCCESS gwp_[0-9a-f]{32}$/);
  });

  it('in a process of its own, on the embedded PostgreSQL: up, answering, then nothing left after stop()', async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'kit-child.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    for (let i = 0; i < 600 && !out.includes('\n') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(err).toBe('');
    const started = JSON.parse(out.split('\n')[0]) as {
      dataDir: string;
      descriptor: { merchant: { baseUrl: string; notifyUrl: string }; controlUrl: string };
      inquiry: string;
    };
    expect(started.inquiry).toBe('ORDER_NOT_EXIST');
    const pg = processesUsing(started.dataDir);
    expect(pg.length).toBeGreaterThan(0); // the embedded PostgreSQL, in the temp dir
    const childPorts = [started.descriptor.merchant.baseUrl, started.descriptor.controlUrl].map((u) => Number(new URL(u).port));
    child.stdin.write('stop\n');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped');
    expect(fs.existsSync(started.dataDir)).toBe(false);
    expect(processesUsing(started.dataDir)).toEqual([]);
    for (const port of childPorts) expect(await accepts(port)).toBe(false);
  }, 90_000);

  // A merchant's project, default Jest (no --experimental-vm-modules) with @swc/jest, on the built package:
  // the ESM-only embedded PostgreSQL must load from a test file's beforeAll and from a globalSetup alike.
  it.each(['jest.config.js', 'global-setup.config.js'])(
    'a Jest of its own (kit-merchant/%s) boots the kit, pays, and leaves nothing',
    async (config) => {
      const run = await runJest(path.join(__dirname, 'kit-merchant', config));
      expect(run.out).toMatch(/Tests:\s+1 passed, 1 total/);
      expect(run.code).toBe(0);
      expect(processesUsing('antom-test-gateway-')).toEqual(processesBefore);
    },
    120_000,
  );

  it('stop() leaves no port or directory behind', async () => {
    for (const u of [gw.merchant.baseUrl, gw.merchant.notifyUrl, gw.descriptor.controlUrl]) ports.push(Number(new URL(u).port));
    const dataDir = gw.dataDir;
    expect(fs.existsSync(dataDir)).toBe(true);
    await gw.stop();
    gw = undefined as unknown as TestGateway;
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(process.env[TEST_GATEWAY_ENV]).toBeUndefined();
    expect(processesUsing(dataDir)).toEqual([]);
    for (const port of ports) expect(await accepts(port)).toBe(false);
  });
});

/** Jest run in a child process on the given config; its output (Jest reports on stderr) and exit code. */
function runJest(config: string): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env };
  delete env[TEST_GATEWAY_ENV];
  delete env.JEST_WORKER_ID;
  const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--config', config, '--ci'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** PIDs whose command line names the directory (the embedded PostgreSQL runs with -D <dir>/pg). */
function processesUsing(dir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}
