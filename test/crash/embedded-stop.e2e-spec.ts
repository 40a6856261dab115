import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureBuilt } from '../support/built';
import { s2sPay } from '../support/fixtures';
import { freePort } from '../support/free-port';
import { MerchantClient } from '../support/merchant-client';

/**
 * `npm start` on the embedded default, as a person runs it in a terminal: Ctrl-C reaches the whole
 * foreground process group. The gateway must drain the requests in flight before its database stops,
 * and a gateway killed outright must not leave a database behind that blocks the next start.
 */
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');

describe('npm start on the embedded database: stopping and starting again', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-embedded-stop-'));
  let port: number;
  let pgPort: number;
  let gateway: ChildProcess | undefined;
  let stderr = '';

  beforeAll(async () => {
    fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
    ensureBuilt();
    port = await freePort();
    pgPort = await freePort();
  });

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = exitOf(gateway);
      process.kill(-gateway.pid!, 'SIGINT');
      await exited;
    }
    const left = postgresOf(dataDir);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Its own process group, as a shell gives a foreground job, so the test can Ctrl-C the group. */
  function start(env: Record<string, string> = {}, dir = dataDir, pg = pgPort): ChildProcess {
    stderr = '';
    const proc = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        GATEWAY_DATA_DIR: dir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pg),
        SANDBOX_PORT: '0',
        PRINT_BANNER: 'false',
        LOG_LEVEL: 'warn',
        SANDBOX_SLOW_ANSWER_MS: '3000',
        UPSTREAM_TIMEOUT_MS: '10000',
        UPSTREAM_RETRIES: '0',
        ...env,
      },
    });
    proc.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    return proc;
  }

  async function healthy(proc: ChildProcess): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`gateway exited at start: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      // The demo merchant's file is written just after the port opens: wait for it too.
      if (ok && fs.existsSync(path.join(dataDir, 'dev', 'merchant.json'))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`gateway did not become healthy: ${stderr}`);
  }

  const merchant = () => {
    const m = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev', 'merchant.json'), 'utf8'));
    return new MerchantClient(`http://127.0.0.1:${port}`, m.clientId, m.privateKey, m.gatewayPublicKey);
  };

  it('Ctrl-C while a pay is in flight: the pay is answered S, then the gateway and its PostgreSQL exit cleanly', async () => {
    gateway = start();
    await healthy(gateway);
    expect(postgresOf(dataDir)).toHaveLength(1);
    // An amount ending in 90001 makes the sandbox take SANDBOX_SLOW_ANSWER_MS (3 s) to answer.
    const answer = merchant().post('payments/pay', s2sPay({ value: '190001' }));
    await new Promise((r) => setTimeout(r, 700));
    const exited = exitOf(gateway);
    process.kill(-gateway.pid!, 'SIGINT');
    const res = await answer;
    expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(res.signatureValid).toBe(true);
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Error|at .*\.js:\d+/);
    expect(postgresOf(dataDir)).toEqual([]);
  });

  it('after a SIGKILL the next start stops the database the dead gateway left behind, and serves', async () => {
    gateway = start();
    await healthy(gateway);
    const [orphan] = postgresOf(dataDir);
    const killed = exitOf(gateway);
    gateway.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');
    expect(postgresOf(dataDir)).toEqual([orphan]); // still running, holding the data directory

    gateway = start();
    await healthy(gateway);
    const res = await merchant().post('payments/pay', s2sPay());
    expect(res.body.result).toMatchObject({ resultStatus: 'S' });
    expect(postgresOf(dataDir)).not.toContain(orphan);
  });

  it('a second gateway on the same data directory is refused with one line that names the live database', async () => {
    const second = start({ PORT: '0' });
    const code = await exitOf(second);
    expect(code).toBe(1);
    const [live] = postgresOf(dataDir);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`PostgreSQL PID ${live} still holds ${path.join(dataDir, 'pg')}`)]);
  });

  it('a taken database port is named, with the variable that moves it', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-embedded-port-'));
    fs.chmodSync(otherDir, 0o755);
    try {
      const second = start({ PORT: '0' }, otherDir, pgPort); // pgPort is the running gateway's database
      expect(await exitOf(second)).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`Port ${pgPort} is taken: set EMBEDDED_PG_PORT`)]);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

function exitOf(p: ChildProcess): Promise<string | number | null> {
  return new Promise((r) => {
    if (p.exitCode !== null || p.signalCode !== null) r(p.signalCode ?? p.exitCode);
    else p.once('exit', (code, signal) => r(signal ?? code));
  });
}

/** Live postmasters (not zombies) serving this data directory. */
function postgresOf(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state !== 'Z' && /postgres$/.test(cmd[0]) && cmd.includes(path.join(dataDir, 'pg'))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
