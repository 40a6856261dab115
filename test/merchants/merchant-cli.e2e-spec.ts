import { ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { formatSignatureHeader, sign } from '../../src/antom/signature';
import { runMerchantCli } from '../../src/merchants/cli/merchant-cli';
import { MERCHANT_CACHE_TTL_MS } from '../../src/merchants/merchants.service';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { ensureBuilt } from '../support/built';
import { s2sPay } from '../support/fixtures';
import { freePort } from '../support/free-port';
import { AntomAnswer, ARTIFACTS, MerchantClient } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';

/**
 * `npm run merchant` as an operator runs it, against the suite's PostgreSQL, then signed pays through the
 * real gateway (in this process) and the bundled sandbox. The built CLI runs in a child process for one
 * success, one refusal and a database that is down (the script's exit codes and output); every other call
 * runs its main, runMerchantCli, in this process (a child process each cost seconds on a loaded machine).
 * And `npm start` against a remote acquirer makes no demo merchant (the built main.js, as operators run it).
 */
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const PAY_PATH = '/ams/api/v1/payments/pay';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Both describes run what an operator runs: the built CLI and main.js, so build them first.
beforeAll(() => {
  ensureBuilt();
});

describe('merchant onboarding CLI', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-onb-'));
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-onb-keys-'));
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();
  const idA = `ONB_A${suffix}`;
  const idB = `ONB-B${suffix}`;
  const keyA1 = generateRsaKeyPair();
  const keyA2 = generateRsaKeyPair();
  const keyB = generateRsaKeyPair();
  let stack: TestStack;
  let gatewayKeyFromCli: string;

  const cliEnv = (extraEnv: Record<string, string>) => ({
    PATH: process.env.PATH!,
    DATABASE_URL: process.env.TEST_DATABASE_URL!,
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ACTOR: 'ops.tester',
    ...extraEnv,
  });

  /** The CLI's main in this process, with the environment a child process would get. */
  async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const code = await runMerchantCli(
      args,
      cliEnv(extraEnv),
      (line) => {
        stdout += `${line}\n`;
      },
      (line) => {
        stderr += `${line}\n`;
      },
    );
    return { code, stdout, stderr };
  }

  /** The built CLI (dist/scripts/merchant.js) in a child process, as `npm run merchant` runs it. */
  function spawnedCli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const env = cliEnv(extraEnv);
    return new Promise((resolve) => {
      execFile(process.execPath, ['dist/scripts/merchant.js', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
      });
    });
  }

  function keyFile(name: string, content: string): string {
    const file = path.join(keyDir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  /** A pay signed with `privateKeyPem`, naming `keyVersion` in the Signature header or (null) none. */
  function payAs(clientId: string, privateKeyPem: string, keyVersion: string | null): Promise<AntomAnswer> {
    const client = new MerchantClient(stack.gatewayUrl, clientId, privateKeyPem, gatewayKeyFromCli);
    const body = JSON.stringify(s2sPay());
    const time = String(Date.now());
    const signature = sign({ path: PAY_PATH, clientId, time, body }, loadPrivateKey(privateKeyPem));
    const header = keyVersion === null ? `algorithm=RSA256,signature=${signature}` : formatSignatureHeader(signature, keyVersion);
    return client.send(PAY_PATH, body, { time, signatureHeader: header });
  }

  /**
   * Runs `check` with the gateway's clock (this process's Date.now) moved on by the merchant cache's lifetime:
   * what a running gateway shows once the cache window has passed, without waiting 30 s for it.
   */
  async function afterCacheWindow<T>(check: () => Promise<T>): Promise<T> {
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + MERCHANT_CACHE_TTL_MS);
    try {
      return await check();
    } finally {
      clock.mockRestore();
    }
  }

  async function auditActions(clientId: string): Promise<string[]> {
    const rows = await stack.db.query('SELECT action FROM audit_log WHERE target = $1 ORDER BY id', [clientId]);
    return rows.map((r: { action: string }) => r.action);
  }

  beforeAll(async () => {
    stack = await startTestStack({ GATEWAY_DATA_DIR: dataDir });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('onboards a merchant (PEM and bare base64 keys) that then pays S, and prints the key to verify the gateway with', async () => {
    const added = await spawnedCli([
      'add',
      '--client-id',
      idA,
      '--public-key',
      keyFile('a1.pem', keyA1.publicKeyPem),
      '--notify-url',
      'http://127.0.0.1:9/notify',
      '--avs-policy',
      'review',
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain(`added ${idA} (ACTIVE, keyVersion 1, RSA 2048)`);
    // `show`/`add` print the gateway's response-signing public key: the one this gateway really signs with.
    const pem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(added.stdout)?.[0];
    expect(pem?.trim()).toBe(stack.app.get(GatewaySigningKey).publicKeyPem.trim());
    gatewayKeyFromCli = pem!;
    expect((await cli(['gateway-key'])).stdout.trim()).toBe(pem!.trim());

    const bareBase64 = keyB.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, '');
    expect((await cli(['add', '--client-id', idB, '--public-key', keyFile('b.b64', bareBase64)])).code).toBe(0);

    const a = await payAs(idA, keyA1.privateKeyPem, '1');
    expect(a.status).toBe(200);
    expect(a.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(a.signatureValid).toBe(true); // verified with the key the CLI printed
    expect((await payAs(idB, keyB.privateKeyPem, null)).body.result.resultStatus).toBe('S');

    const listed = await cli(['list', '--json']);
    expect(listed.code).toBe(0);
    const mine = (JSON.parse(listed.stdout) as Array<Record<string, unknown>>).find((m) => m.clientId === idA);
    expect(mine).toMatchObject({
      status: 'ACTIVE',
      notifyUrl: 'http://127.0.0.1:9/notify',
      avsPolicy: 'REVIEW',
      authExpiryPolicy: 'EXPIRE',
      latestKeyVersion: 1,
    });
    expect(listed.stdout).not.toContain('BEGIN'); // fingerprints, never key material
    expect(await auditActions(idA)).toEqual(['MERCHANT_ADD']);
  });

  it('rotates a key (new latest, old version refused once removed) and suspends a merchant (INVALID_CLIENT), within the cache window', async () => {
    expect((await cli(['add-key', '--client-id', idA, '--public-key', keyFile('a2.pem', keyA2.publicKeyPem)])).stdout).toContain(
      `added keyVersion 2 to ${idA}`,
    );
    expect((await cli(['remove-key', '--client-id', idA, '--key-version', '1'])).code).toBe(0);
    expect((await cli(['set', '--client-id', idB, '--status', 'SUSPENDED'])).code).toBe(0);

    // Both merchants are in the gateway's 30 s cache from the previous test: the changes must arrive within it.
    await afterCacheWindow(async () => {
      expect((await payAs(idA, keyA2.privateKeyPem, '2')).body.result).toMatchObject({ resultStatus: 'S' }); // the rotated key
      expect((await payAs(idB, keyB.privateKeyPem, null)).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CLIENT' }); // the suspension
    });

    expect((await payAs(idA, keyA2.privateKeyPem, null)).body.result).toMatchObject({ resultStatus: 'S' }); // latest by default
    expect((await payAs(idA, keyA1.privateKeyPem, '1')).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' }); // a removed key is an unknown one
    expect((await payAs(idA, keyA1.privateKeyPem, null)).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect((await payAs(idB, keyB.privateKeyPem, null)).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CLIENT' });

    const shown = await cli(['show', '--client-id', idA, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ latestKeyVersion: 2, keys: [{ keyVersion: 2 }] });
    expect(await auditActions(idA)).toEqual(['MERCHANT_ADD', 'MERCHANT_ADD_KEY', 'MERCHANT_REMOVE_KEY']);
    const [update] = await stack.db.query(`SELECT actor, detail FROM audit_log WHERE target = $1 AND action = 'MERCHANT_UPDATE'`, [idB]);
    expect(update.detail).toEqual({ before: { status: 'ACTIVE' }, after: { status: 'SUSPENDED' } });
    expect(update.actor).toMatch(/^cli:ops\.tester \(/);
    // PCI DSS 8.2.2: a change without a named operator is refused before anything is written.
    const anonymous = await cli(['set', '--client-id', idB, '--name', 'nobody'], { GATEWAY_ACTOR: '' });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toMatch(/--actor NAME or GATEWAY_ACTOR/);
  });

  it('refuses bad input with exit 2 and one plain line, changing nothing', async () => {
    const weak = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const goodKey = keyFile('good.pem', generateRsaKeyPair().publicKeyPem);
    const fresh = `ONB_C${suffix}`;
    const unechoed = 'pw-never-echoed';
    const remote = {
      ANTOM_BASE_URL: 'https://antom-acquirer.invalid',
      ANTOM_CLIENT_ID: 'REMOTE_CLIENT',
      GATEWAY_PUBLIC_URL: 'https://gateway.shop.example',
      ANTOM_PRIVATE_KEY: keyA1.privateKeyPem,
      ANTOM_PUBLIC_KEY: keyB.publicKeyPem,
    };
    // The built script for two of them (what it prints and its exit code), the CLI's main for the rest.
    const SPAWNED = new Set(['garbage key', 'database down']);
    const cases: Array<[string, string[], Record<string, string>?, RegExp?]> = [
      ['garbage key', ['add', '--client-id', fresh, '--public-key', keyFile('junk.pem', 'not a key at all')], undefined, /public key rejected/],
      ['1024-bit key', ['add', '--client-id', fresh, '--public-key', keyFile('weak.pem', weak.publicKey)], undefined, /1024 bits/],
      ['private key', ['add', '--client-id', fresh, '--public-key', keyFile('priv.pem', weak.privateKey)], undefined, /PRIVATE key/],
      ['missing key file', ['add', '--client-id', fresh, '--public-key', path.join(keyDir, 'nope.pem')]],
      ['bad client id', ['add', '--client-id', 'a b;DROP', '--public-key', goodKey], undefined, /client-id/],
      ['not a URL', ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'not a url'], undefined, /notify-url/],
      ['ftp URL', ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'ftp://merchant.example/n']],
      [
        'http with a remote acquirer',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'http://merchant.example/n'],
        remote,
        /https/,
      ],
      [
        'private address with a remote acquirer',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'https://10.1.2.3/n'],
        remote,
        /private/,
      ],
      // Issue 23: link-local and cloud metadata addresses never, in development or with NOTIFY_PRIVATE_HOSTS=allow;
      // development (the bundled sandbox) allows loopback only.
      [
        'the metadata address in development',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'http://169.254.169.254/latest/meta-data'],
        undefined,
        /link-local, cloud metadata or reserved address, which is never allowed/,
      ],
      [
        'a mapped metadata address with NOTIFY_PRIVATE_HOSTS=allow',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'http://[::ffff:a9fe:a9fe]/n'],
        { NOTIFY_PRIVATE_HOSTS: 'allow' },
        /never allowed/,
      ],
      [
        "Alibaba Cloud's metadata address on set",
        ['set', '--client-id', idA, '--notify-url', 'http://100.100.100.200/latest'],
        undefined,
        /never allowed/,
      ],
      [
        'a private network in development',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--notify-url', 'http://10.1.2.3/n'],
        undefined,
        /private/,
      ],
      ['bad policy', ['add', '--client-id', fresh, '--public-key', goodKey, '--avs-policy', 'MAYBE']],
      ['blank name', ['add', '--client-id', fresh, '--public-key', goodKey, '--name', '  '], undefined, /--name/],
      [
        'a bidirectional override in the name',
        ['add', '--client-id', fresh, '--public-key', goodKey, '--name', 'Shop\u202Eevil'],
        undefined,
        /--name must be 1–128 printable/,
      ],
      ['duplicate client id', ['add', '--client-id', idA, '--public-key', goodKey], undefined, /already exists/],
      ['unknown merchant', ['set', '--client-id', fresh, '--status', 'SUSPENDED'], undefined, /no merchant/],
      ['bad status', ['set', '--client-id', idA, '--status', 'DELETED']],
      ['nothing to set', ['set', '--client-id', idA]],
      ['removing the only key', ['remove-key', '--client-id', idA, '--key-version', '2'], undefined, /only key/],
      ['unknown option', ['list', '--everything']],
      ['unknown command', ['delete', '--client-id', idA]],
      ['no command', []],
      ['database down', ['list'], { DATABASE_URL: `postgres://nobody:${unechoed}@127.0.0.1:1/none` }],
    ];
    for (const [what, args, env, message] of cases) {
      const r = await (SPAWNED.has(what) ? spawnedCli : cli)(args, env);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect({ what, code: r.code, lines: lines.length, stdout: r.stdout }).toEqual({ what, code: 2, lines: 1, stdout: '' });
      expect(lines[0]).toMatch(/^merchant: /);
      expect(lines[0]).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
      expect(lines[0]).not.toContain(unechoed);
      if (message) expect(lines[0]).toMatch(message);
    }
    expect(await stack.db.query('SELECT 1 FROM merchant WHERE client_id = $1', [fresh])).toHaveLength(0);
    expect((await cli(['show', '--client-id', idA, '--json'])).stdout).toContain('"keyVersion": 2'); // still there, unchanged
  });
});

describe('demo merchant', () => {
  let child: ChildProcess | undefined;
  let devDemoClientId = '';

  /** `node dist/src/main.js` as an operator starts it; resolves once the banner is out, with its stdout so far. */
  async function startMain(dataDir: string, extraEnv: Record<string, string>): Promise<() => string> {
    const env = {
      PATH: process.env.PATH!,
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      GATEWAY_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SANDBOX_PORT: '0',
      PRINT_BANNER: 'true',
      WORKERS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FILE: path.join(ARTIFACTS, 'logs', 'merchant-cli-main.log'),
      ...extraEnv,
    };
    child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const deadline = Date.now() + 90_000;
    while (!/ {2}Admin /.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return () => out;
  }

  async function stopMain(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  async function demoMerchantCount(): Promise<number> {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    try {
      return Number((await c.query(`SELECT count(*) AS n FROM merchant WHERE client_id LIKE 'SANDBOX\\_DEMO%'`)).rows[0].n);
    } finally {
      await c.end();
    }
  }

  afterEach(stopMain);

  it('is created with the bundled sandbox (the same start as below, the acquirer the only difference)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-onb-sandbox-'));
    const before = await demoMerchantCount();
    const out = (await startMain(dataDir, {}))();
    expect(out).toMatch(/Merchant {2}\S*merchant\.json/);
    expect(fs.existsSync(path.join(dataDir, 'dev', 'merchant.json'))).toBe(true);
    expect(await demoMerchantCount()).toBe(before + 1);
    devDemoClientId = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev', 'merchant.json'), 'utf8')).clientId;
  });

  it('is not created, nor its key path printed, when the acquirer is remote (real Antom); a leftover ACTIVE one is named', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-onb-remote-'));
    const upstream = generateRsaKeyPair();
    const before = await demoMerchantCount();
    // Never called: start-up does not contact the acquirer, and the workers that would are off.
    // Production key sources, as a remote acquirer requires (requireProductionKeySources).
    const stdout = await startMain(dataDir, {
      ANTOM_BASE_URL: 'https://antom-acquirer.invalid',
      ANTOM_CLIENT_ID: 'REMOTE_CLIENT',
      GATEWAY_PUBLIC_URL: 'https://gateway.shop.example',
      ANTOM_PRIVATE_KEY: upstream.privateKeyPem,
      ANTOM_PUBLIC_KEY: upstream.publicKeyPem,
      GATEWAY_PRIVATE_KEY: upstream.privateKeyPem,
      VAULT_KEKS: `1:${randomBytes(32).toString('base64')}`,
      VAULT_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
      VAULT_KEKS_CREATED: '1:2026-01-05',
    });
    const out = stdout();
    expect(out).toContain('Merchant  none created (remote acquirer)');
    expect(out).not.toContain('merchant.json');
    expect(fs.existsSync(path.join(dataDir, 'dev', 'merchant.json'))).toBe(false);
    expect(await demoMerchantCount()).toBe(before);
    // The one the development start above left ACTIVE in this database is pointed out, with the fix (the
    // log line is written asynchronously, so it may trail the banner a little).
    const hint = `--client-id ${devDemoClientId} --status SUSPENDED`;
    for (let i = 0; i < 25 && !stdout().includes(hint); i++) await new Promise((r) => setTimeout(r, 200));
    expect(stdout()).toContain(hint);
  });
});
