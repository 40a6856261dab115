/**
 * `npm run bench:scale`: the admin console at a year's data (issue 26), measured in one run on this machine.
 *
 * Starts an embedded PostgreSQL in its own data dir (BENCH_SCALE_DIR, default .bench-data-scale/), migrates,
 * seeds BENCH_SCALE_PAYMENTS payments (default 1,000,000) with their timeline, captures, refunds, disputes
 * and notifications (bench-scale-seed.ts: server-side generate_series, about a minute per million; kept for
 * the next run), then:
 * 1. each console list query through AdminPaymentsRepository: EXPLAIN's scan nodes (Index Scan vs Seq Scan),
 *    the rows and buffers one page reads (EXPLAIN ANALYZE), and the page and count/totals times;
 * 2. the same pages over HTTP from the gateway (`npm start`'s entry) with the sandbox as acquirer, signed in
 *    as the console's admin (MFA is off on loopback): the honest figure, the page as a person waits for it;
 *    following Next 20 times; a month of one merchant exported as CSV;
 * 3. pay and inquiry at that scale, as the demo merchant.
 * Times are the median of BENCH_SCALE_RUNS (5) runs after one warm-up. Tests bound the same queries by plan and
 * rows read (test/db/console-scale.db-spec.ts), never by time.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DataSource } from 'typeorm';

import { AdminPaymentsRepository } from '../src/admin/payments/admin-payments.repository';
import { parseFilters, PaymentFilters } from '../src/admin/payments/payment-filters';
import { loadPrivateKey } from '../src/antom/keys';
import { formatResponseTime } from '../src/antom/request-time';
import { formatSignatureHeader, sign } from '../src/antom/signature';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { runMigrationsLocked } from '../src/platform/database/run-migrations';
import { buffersOf, rowsRead, scans } from './bench-scale-plan';
import { seedScale } from './bench-scale-seed';
import { healthy, parseEnvFile, waitFor as waitUntil } from './bench-stack';

const ROOT = path.resolve(__dirname, '../..');
const DATA = path.resolve(ROOT, process.env.BENCH_SCALE_DIR ?? '.bench-data-scale');
const PAYMENTS = Math.max(1000, Number(process.env.BENCH_SCALE_PAYMENTS) || 1_000_000);
const RUNS = Math.max(1, Number(process.env.BENCH_SCALE_RUNS) || 5);
/** BENCH_SCALE_PORT_BASE=N: gateway N, sandbox N+1, PostgreSQL N+2. */
const BASE = Number(process.env.BENCH_SCALE_PORT_BASE) || 18090;
const PORTS = { gateway: BASE, sandbox: BASE + 1, postgres: BASE + 2 };
/** BENCH_SCALE_HTTP=0: the repository figures only (no gateway, no sandbox). */
const HTTP = process.env.BENCH_SCALE_HTTP !== '0';
const PAGE = 50;

const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;

interface Case {
  name: string;
  query: string;
}

async function main(): Promise<void> {
  fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
  console.log(`bench:scale — ${PAYMENTS.toLocaleString('en-US')} payments, data in ${path.relative(ROOT, DATA)}/, median of ${RUNS} runs`);
  const embedded = await startEmbeddedPostgres(DATA, PORTS.postgres, 'gateway');
  stopDatabase = embedded.stop;
  await runMigrationsLocked(embedded.url);
  const t0 = Date.now();
  await seedScale(embedded.url, PAYMENTS, (s) => console.log(s));
  console.log(`seed: ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);

  const ds = await new DataSource({ ...dataSourceOptions(embedded.url, 4), migrationsRun: false }).initialize();
  const repo = new AdminPaymentsRepository(ds);
  const sample = (
    await ds.query(
      `SELECT payment_id, payment_request_id, reference_order_id FROM payment WHERE payment_request_id = 'scale_${Math.floor(PAYMENTS / 3)}'`,
    )
  )[0];
  const month = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
  const cases: Case[] = [
    { name: 'list, newest first', query: '' },
    { name: 'status FAILED', query: 'status=FAILED' },
    { name: 'status AUTHORIZED (rare)', query: 'status=AUTHORIZED' },
    { name: 'status SUCCEEDED + CAPTURED', query: 'status=SUCCEEDED&status=CAPTURED' },
    { name: 'status UNKNOWN + PENDING_ACTION', query: 'status=UNKNOWN&status=PENDING_ACTION' },
    { name: 'merchant (client id)', query: 'merchant=SCALE_M05' },
    { name: 'merchant (part of the name)', query: 'merchant=Shop%2011' },
    { name: 'date range (a month)', query: `from=${month(120)}&to=${month(90)}` },
    { name: 'currency JPY', query: 'currency=JPY' },
    { name: 'currency EUR, amount 400–450', query: 'currency=EUR&amountMin=400&amountMax=450' },
    { name: 'card last 4', query: 'card=4321' },
    { name: 'card BIN', query: 'card=378282' },
    { name: 'card BIN + last 4', query: 'card=411111******4321' },
    { name: 'payment id', query: `id=${sample.payment_id}` },
    { name: 'payment request id', query: `id=${sample.payment_request_id}` },
    { name: 'reference order id', query: `referenceOrderId=${sample.reference_order_id}` },
    { name: 'brand AMEX', query: 'brand=AMEX' },
    { name: 'brand DINERS (none)', query: 'brand=DINERS' },
    { name: 'merchant + status + month', query: `merchant=SCALE_M03&status=REFUNDED&from=${month(200)}&to=${month(170)}` },
    { name: 'sort oldest first', query: 'sort=oldest' },
    { name: 'sort expiring first', query: 'sort=expiry' },
    { name: 'sort largest amount', query: 'sort=amount' },
    { name: 'sort largest amount, EUR', query: 'sort=amount&currency=EUR' },
  ];

  console.log('\n1. the console queries (AdminPaymentsRepository, in process)');
  const table: string[][] = [['case', 'page ms', 'count ms', 'count', 'rows read', 'buffers', 'scans (EXPLAIN)']];
  for (const c of cases) {
    const f = filtersOf(c.query);
    const page = await median(() => repo.page(f, PAGE));
    const totals = await median(() => repo.totals(f));
    const analyzed = await repo.explainFirstPage(f, PAGE + 1, true);
    table.push([
      c.name,
      page.ms.toFixed(1),
      totals.ms.toFixed(1),
      totals.value.capped ? `${totals.value.count}+` : String(totals.value.count),
      String(rowsRead(analyzed)),
      String(buffersOf(analyzed)),
      scans(analyzed),
    ]);
  }
  print(table);

  if (HTTP) await overHttp(embedded.url, cases);
  await ds.destroy();
}

async function overHttp(url: string, cases: Case[]): Promise<void> {
  const sandboxEnv = path.join(DATA, 'dev', 'sandbox.env');
  fs.rmSync(sandboxEnv, { force: true });
  startNode('sandbox', 'dist/scripts/sandbox.js', { GATEWAY_DATA_DIR: DATA, DATABASE_URL: url, SANDBOX_PORT: String(PORTS.sandbox) });
  await waitFor('sandbox', async () => fs.existsSync(sandboxEnv) && (await healthy(`http://127.0.0.1:${PORTS.sandbox}/health`)));
  const gatewayUrl = `http://127.0.0.1:${PORTS.gateway}`;
  startNode('gateway', 'dist/src/main.js', {
    ...parseEnvFile(sandboxEnv),
    GATEWAY_DATA_DIR: DATA,
    DATABASE_URL: url,
    PORT: String(PORTS.gateway),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FILE: '',
    PRINT_BANNER: 'false',
  });
  const merchantFile = path.join(DATA, 'dev', 'merchant.json');
  await waitFor('gateway', async () => (await healthy(`${gatewayUrl}/health`)) && fs.existsSync(merchantFile));
  const admin = await signIn(gatewayUrl);

  console.log('\n2. the console over HTTP (the gateway, signed in as its admin)');
  const table: string[][] = [['page', 'median ms', 'min ms', 'max ms', 'bytes']];
  for (const c of cases) {
    const r = await median(() => admin.get(`/admin/payments${c.query ? '?' + c.query : ''}`));
    if (r.value.status !== 200) throw new Error(`${c.name}: HTTP ${r.value.status}`);
    table.push([c.name, r.ms.toFixed(0), r.min.toFixed(0), r.max.toFixed(0), String(r.value.body.length)]);
  }
  // Twenty Next links from the first page (fewer when the list ends first): each costs what the first did (no OFFSET).
  let next = '/admin/payments';
  const hops: number[] = [];
  for (let i = 0; i <= 20; i++) {
    const t = performance.now();
    const res = await admin.get(next);
    hops.push(performance.now() - t);
    const link = /href="([^"]+)" id="page-next"/.exec(res.body);
    if (!link || i === 20) break;
    next = link[1].replace(/&amp;/g, '&');
  }
  table.push([
    `Next ×${hops.length - 1} (pages 2–${hops.length}), median`,
    med(hops.slice(1)).toFixed(0),
    Math.min(...hops.slice(1)).toFixed(0),
    Math.max(...hops.slice(1)).toFixed(0),
    '',
  ]);
  const prev = await median(() => admin.get(next.replace('after=', 'before=')));
  table.push([`Previous from page ${hops.length}`, prev.ms.toFixed(0), prev.min.toFixed(0), prev.max.toFixed(0), '']);
  const month = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
  const t = performance.now();
  const csv = await admin.get(`/admin/payments/export.csv?merchant=SCALE_M12&from=${month(60)}&to=${month(30)}`);
  const lines = csv.body.split('\r\n').filter(Boolean).length - 1;
  table.push([
    `CSV export, one merchant's month (${lines.toLocaleString('en-US')} rows)`,
    (performance.now() - t).toFixed(0),
    '',
    '',
    String(csv.body.length),
  ]);
  print(table);

  console.log('\n3. pay and inquiry at this scale (the demo merchant, through the gateway and the sandbox)');
  const m = JSON.parse(fs.readFileSync(merchantFile, 'utf8'));
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/pay-server-to-server.json'), 'utf8'));
  delete seed.paymentNotifyUrl;
  const pays: number[] = [];
  const inquiries: number[] = [];
  for (let i = 0; i < 3 + RUNS * 2; i++) {
    const body = { ...seed, paymentRequestId: `SCALE_PAY_${randomUUID()}`, order: { ...seed.order, referenceOrderId: `SCALE_ORDER_${i}` } };
    let t1 = performance.now();
    const pay = await signedCall(m, 'payments/pay', body);
    if (i >= 3) pays.push(performance.now() - t1);
    if (!pay.paymentId) throw new Error(`pay: ${JSON.stringify(pay.result)}`);
    t1 = performance.now();
    await signedCall(m, 'payments/inquiryPayment', { paymentId: pay.paymentId });
    if (i >= 3) inquiries.push(performance.now() - t1);
  }
  print([
    ['call', 'median ms', 'min ms', 'max ms'],
    ['pay', med(pays).toFixed(0), Math.min(...pays).toFixed(0), Math.max(...pays).toFixed(0)],
    ['inquiryPayment', med(inquiries).toFixed(0), Math.min(...inquiries).toFixed(0), Math.max(...inquiries).toFixed(0)],
  ]);
}

function filtersOf(query: string): PaymentFilters {
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) q[k] = k in q ? ([] as string[]).concat(q[k], v) : v;
  const f = parseFilters(q);
  if (f.errors.length) throw new Error(`${query}: ${f.errors.join(' ')}`);
  return f;
}

async function median<T>(f: () => Promise<T>): Promise<{ ms: number; min: number; max: number; value: T }> {
  let value = await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    value = await f();
    times.push(performance.now() - t);
  }
  return { ms: med(times), min: Math.min(...times), max: Math.max(...times), value };
}

function med(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function print(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

/** A console session: cookies kept, CSRF token read from the form, no redirect followed. */
class Console {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async get(p: string) {
    return this.send(p, { method: 'GET' });
  }
  async submit(pagePath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(pagePath);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const formId = /name="formId" value="([0-9a-f]{32})"/.exec(page.body)?.[1];
    const body = new URLSearchParams({ _csrf: csrf, ...(formId ? { formId } : {}), ...fields }).toString();
    return this.send(action, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  private async send(p: string, init: RequestInit) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + p, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '' || /max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, i));
      else this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }
}

/**
 * The console's first admin: on the first run its one-time password (the gateway's first start writes it to
 * dev/admin-initial-password.txt) is changed to a random one the bench keeps in its data dir (0600) for later runs.
 */
async function signIn(base: string): Promise<Console> {
  const kept = path.join(DATA, 'dev', 'bench-scale-admin.txt');
  const admin = new Console(base);
  if (fs.existsSync(kept)) {
    const res = await admin.submit('/admin/login', '/admin/login', { username: 'admin', password: fs.readFileSync(kept, 'utf8').trim() });
    if (res.location !== '/admin/payments') throw new Error(`admin sign-in: ${res.status} ${res.location}`);
    return admin;
  }
  const initial = path.join(DATA, 'dev', 'admin-initial-password.txt');
  await waitFor('the initial admin password file', async () => fs.existsSync(initial));
  const oneTime = /password: (\S+)/.exec(fs.readFileSync(initial, 'utf8'))?.[1] ?? '';
  const res = await admin.submit('/admin/login', '/admin/login', { username: 'admin', password: oneTime });
  if (res.status !== 303) throw new Error(`admin first sign-in: ${res.status} ${res.location}`);
  const chosen = `${randomBytes(18).toString('base64url')}aA1!`;
  const changed = await admin.submit('/admin/account', '/admin/account/password', { current: oneTime, next: chosen, again: chosen });
  if (changed.status !== 303) throw new Error(`admin password change: ${changed.status}`);
  fs.writeFileSync(kept, chosen + '\n', { mode: 0o600 });
  return admin;
}

async function signedCall(
  m: { clientId: string; privateKey: string; baseUrl: string },
  api: string,
  payload: object,
): Promise<{ paymentId?: string; result?: unknown }> {
  const pathName = `/ams/api/v1/${api}`;
  const body = JSON.stringify(payload);
  const time = formatResponseTime();
  const signature = sign({ path: pathName, clientId: m.clientId, time, body }, loadPrivateKey(m.privateKey));
  const res = await fetch(m.baseUrl + pathName, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': m.clientId,
      'request-time': time,
      signature: formatSignatureHeader(signature),
    },
  });
  return (await res.json()) as { paymentId?: string; result?: unknown };
}

function startNode(name: string, script: string, env: Record<string, string>): ChildProcess {
  const log = fs.openSync(path.join(DATA, 'logs', `${name}.log`), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.push(child);
  return child;
}

function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  return waitUntil(what, ready, timeoutMs, `${path.relative(ROOT, DATA)}/logs/`);
}

async function stopAll(): Promise<void> {
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      c.kill('SIGTERM');
    });
  }
  await stopDatabase?.().catch(() => undefined);
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
main()
  .then(stopAll)
  .catch(async (e: unknown) => {
    console.error(`bench:scale failed: ${e instanceof Error ? e.message : String(e)}`);
    await stopAll();
    process.exit(1);
  });
