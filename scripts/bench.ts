/**
 * `npm run bench`: the pay hot path under load, measured in one run on this machine.
 *
 * Starts an embedded PostgreSQL (.bench-data/, port 54442), the sandbox (`npm run sandbox`'s entry, port
 * 18081) and one gateway (`npm start`'s entry, which uses startEverything, port 18080) as separate
 * processes, so each has its own event loop and its own memory figure. Then, each phase bounded to
 * BENCH_SECONDS (15) at BENCH_CONNECTIONS (64) on loopback, autocannon in a child process sends freshly
 * signed pays with unique ids and a mix of the success cards: first straight at the sandbox (signed with
 * the gateway's own upstream credentials), then through the gateway. Prints throughput, latency
 * percentiles, failures, the gateway/direct ratio, CPU per pay per process, and resident memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as http from 'node:http';
import * as os from 'node:os';
import { AddressInfo } from 'node:net';
import { ChildProcess, spawn } from 'node:child_process';
import { NOTIFY_ACK_BODY } from '../src/antom/notify-ack';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import { cpuMs, describeMachine, machineTicks, memoryKb, postgresPids, withChildren } from './bench-proc';
import type { LoadResult, LoadSpec } from './bench-load';

const ROOT = path.resolve(__dirname, '../..');
const DATA = path.join(ROOT, '.bench-data');
const PORTS = { gateway: 18080, sandbox: 18081, postgres: 54442 };
const bounded = (v: string | undefined, def: number, min: number, max: number) => Math.min(max, Math.max(min, Number(v) || def));
const SECONDS = bounded(process.env.BENCH_SECONDS, 15, 1, 60);
const CONNECTIONS = bounded(process.env.BENCH_CONNECTIONS, 64, 1, 256);
const STATEMENTS = process.env.BENCH_STATEMENTS === '1';
/** GATEWAY_WORKERS for the gateway under test; its CPU and memory are then summed over primary + workers. */
const WORKERS = bounded(process.env.BENCH_GATEWAY_WORKERS, 1, 1, 16);
const WARMUP_SECONDS = bounded(process.env.BENCH_WARMUP_SECONDS, 5, 1, 30);

interface Target { name: string; url: string; path: string; clientId: string; privateKeyPem: string }

interface PhaseResult extends LoadResult {
  name: string;
  cpuPerRequestMs: Record<string, number>;
  machineBusy: number;
  /** Share of the machine's CPU time used by processes outside this benchmark (other users' jobs). */
  othersShare: number;
  loadAverage: number;
  peakKb: { gateway: number; sandbox: number; postgresRss: number; postgresPss: number; totalRss: number; totalPss: number };
}

const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  // A fresh database each run: leftovers (an outbox backlog, payments to reconcile) would be measured too.
  fs.rmSync(DATA, { recursive: true, force: true });
  fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
  console.log(`bench: ${describeMachine()}; ${SECONDS} s per phase, ${CONNECTIONS} connections, loopback; gateway workers: ${WORKERS}`);
  if (STATEMENTS) process.env.EMBEDDED_PG_FLAGS = `${process.env.EMBEDDED_PG_FLAGS ?? ''} -c shared_preload_libraries=pg_stat_statements`;
  const embedded = await startEmbeddedPostgres(DATA, PORTS.postgres, 'gateway');
  stopDatabase = embedded.stop;
  const db = { url: databaseUrl(embedded.url) };
  console.log(`database: embedded PostgreSQL over ${db.url.includes('host=') ? 'its Unix socket' : 'TCP loopback'}`);

  const sandboxEnvFile = path.join(DATA, 'dev', 'sandbox.env');
  fs.rmSync(sandboxEnvFile, { force: true });
  const sandbox = startNode('sandbox', 'dist/scripts/sandbox.js', { GATEWAY_DATA_DIR: DATA, DATABASE_URL: db.url, SANDBOX_PORT: String(PORTS.sandbox) });
  await waitFor('sandbox', async () => fs.existsSync(sandboxEnvFile) && (await healthy(`http://127.0.0.1:${PORTS.sandbox}/health`)));

  const gateway = startNode('gateway', 'dist/src/main.js', {
    ...parseEnvFile(sandboxEnvFile), GATEWAY_DATA_DIR: DATA, DATABASE_URL: db.url, PORT: String(PORTS.gateway), HOST: '127.0.0.1',
    LOG_LEVEL: 'warn', LOG_FILE: '', PRINT_BANNER: 'false', GATEWAY_WORKERS: String(WORKERS),
  });
  const merchantFile = path.join(DATA, 'dev', 'merchant.json');
  await waitFor('gateway', async () => (await healthy(`http://127.0.0.1:${PORTS.gateway}/health`)) && fs.existsSync(merchantFile));

  const creds = JSON.parse(fs.readFileSync(path.join(DATA, 'keys', 'sandbox-credentials.json'), 'utf8'));
  const merchant = JSON.parse(fs.readFileSync(merchantFile, 'utf8'));
  const direct: Target = { name: 'sandbox direct', url: `http://127.0.0.1:${PORTS.sandbox}`, path: '/ams/sandbox/api/v1/payments/pay', clientId: creds.clientId, privateKeyPem: creds.gatewayPrivateKeyPem };
  const viaGateway: Target = { name: 'through gateway', url: `http://127.0.0.1:${PORTS.gateway}`, path: '/ams/api/v1/payments/pay', clientId: merchant.clientId, privateKeyPem: merchant.privateKey };

  const sink = await notificationSink();
  const pids = { gateway: gateway.pid!, sandbox: sandbox.pid!, postmasterFile: path.join(DATA, 'pg', 'postmaster.pid') };
  console.log(`warming up (${WARMUP_SECONDS} s each)…`);
  await runLoad(direct, WARMUP_SECONDS, 'pay', sink.url);
  await runLoad(viaGateway, WARMUP_SECONDS, 'pay', sink.url);
  const drains: string[] = [];
  const drain = async (after: string) => drains.push(`after ${after}: ${await drainNotifications(db.url)}`);
  await drain('warm-up');

  const results = [await phase(direct, pids, 'pay', sink.url)];
  await drain('sandbox direct');
  if (STATEMENTS) await statementProfile(db.url, 0);
  results.push(await phase(viaGateway, pids, 'pay', sink.url));
  if (STATEMENTS) await statementProfile(db.url, results[1].requests);
  let captureNote = 'manual-capture mix: skipped (no payments/capture API on this build)';
  if (await hasCaptureApi(viaGateway.url)) {
    await drain('through gateway');
    results.push(await phase({ ...viaGateway, name: 'MANUAL+capture' }, pids, 'pay+capture', sink.url));
    captureNote = 'MANUAL+capture: each pair is a MANUAL pay then a full capture of it; req/s counts both requests';
  }
  captureNote += `\nmerchant notifications delivered by the gateway during the run (warm-up included): ${sink.count(merchant.clientId)}` +
    `; by the sandbox in its direct phases: ${sink.count(creds.clientId)}`;
  captureNote += `\ngateway outbox at the end: ${await outboxState(db.url)}`;
  captureNote += `\nnotification backlog waited out between phases (so one phase's deliveries are not billed to the next): ${drains.join('; ')}`;
  report(results, captureNote);
  sink.close();
  fs.writeFileSync(path.join(DATA, 'bench-results.json'), JSON.stringify({ at: new Date().toISOString(), machine: describeMachine(), seconds: SECONDS, connections: CONNECTIONS, results }, null, 2));
}

async function phase(target: Target, pids: { gateway: number; sandbox: number; postmasterFile: string }, mix: LoadSpec['mix'], notifyUrl: string): Promise<PhaseResult> {
  // PostgreSQL per backend: a backend that appears during the phase counts from zero; one that exits
  // during it takes its last seconds with it (pools keep their connections, so that is rare).
  // Per process of a tree: one that appears during the phase counts from zero; one that exits during it
  // takes its last seconds with it (pools keep their connections, workers stay up, so that is rare).
  const treeCpu = (list: () => number[]) => {
    const before = new Map(list().map((p) => [p, cpuMs(p)]));
    return () => list().reduce((a, p) => a + Math.max(0, cpuMs(p) - (before.get(p) ?? 0)), 0);
  };
  const pgDelta = treeCpu(() => postgresPids(pids.postmasterFile));
  const gatewayDelta = treeCpu(() => withChildren(pids.gateway));
  const cpu = () => ({ gateway: 0, sandbox: cpuMs(pids.sandbox), postgres: 0 });
  const before = cpu();
  const ticks = machineTicks();
  const peak = { gateway: 0, sandbox: 0, postgresRss: 0, postgresPss: 0, totalRss: 0, totalPss: 0 };
  const sample = setInterval(() => {
    // The budget is per gateway process (the largest); totals sum every process.
    const g = withChildren(pids.gateway).map(memoryKb)
      .reduce<{ rss: number; rssSum: number; pss: number }>((a, m) => ({ rss: Math.max(a.rss, m.rss), rssSum: a.rssSum + m.rss, pss: a.pss + m.pss }), { rss: 0, rssSum: 0, pss: 0 });
    const s = memoryKb(pids.sandbox);
    const p = postgresPids(pids.postmasterFile).map(memoryKb).reduce((a, m) => ({ rss: a.rss + m.rss, pss: a.pss + m.pss }), { rss: 0, pss: 0 });
    peak.gateway = Math.max(peak.gateway, g.rss);
    peak.sandbox = Math.max(peak.sandbox, s.rss);
    peak.postgresRss = Math.max(peak.postgresRss, p.rss);
    peak.postgresPss = Math.max(peak.postgresPss, p.pss);
    peak.totalRss = Math.max(peak.totalRss, g.rssSum + s.rss + p.rss);
    peak.totalPss = Math.max(peak.totalPss, g.pss + s.pss + p.pss);
  }, 500);
  console.log(`${target.name}: ${SECONDS} s…`);
  const load = await runLoad(target, SECONDS, mix, notifyUrl).finally(() => clearInterval(sample));
  const after = { ...cpu(), gateway: gatewayDelta(), postgres: pgDelta() };
  const t = machineTicks();
  const oursMs = load.cpuMs + (after.gateway - before.gateway) + (after.sandbox - before.sandbox) + (after.postgres - before.postgres);
  const machineMs = (t.total - ticks.total) * 10; // /proc/stat counts USER_HZ (100/s) ticks summed over CPUs
  const perRequest = (ms: number) => (load.requests ? ms / load.requests : 0);
  return {
    name: target.name,
    ...load,
    cpuPerRequestMs: {
      loadgen: perRequest(load.cpuMs),
      gateway: perRequest(after.gateway - before.gateway),
      sandbox: perRequest(after.sandbox - before.sandbox),
      postgres: perRequest(after.postgres - before.postgres),
    },
    machineBusy: (t.busy - ticks.busy) / Math.max(1, t.total - ticks.total),
    othersShare: Math.max(0, ((t.busy - ticks.busy) * 10 - oursMs) / Math.max(1, machineMs)),
    loadAverage: os.loadavg()[0],
    peakKb: peak,
  };
}

function runLoad(target: Target, seconds: number, mix: LoadSpec['mix'], notifyUrl: string): Promise<LoadResult> {
  const spec: LoadSpec = { url: target.url, path: target.path, clientId: target.clientId, privateKeyPem: target.privateKeyPem, seconds, connections: CONNECTIONS, mix, notifyUrl };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/scripts/bench-load.js')], { env: { ...process.env, BENCH_LOAD_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`load generator exited with ${code}`);
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
      } catch (e) {
        reject(e);
      }
    });
  });
}

function report(results: PhaseResult[], captureNote: string): void {
  const [direct, gw] = results;
  const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
  const row = (r: PhaseResult) =>
    `${r.name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} ${ms(r.latency.p50)} ${ms(r.latency.p99)} ${ms(r.latency.p99_9)} ${String(r.errors + r.timeouts).padStart(7)} ${String(r.non2xx).padStart(7)} ${String(r.nonS).padStart(6)}   ${r.requests}`;
  const cpuRow = (r: PhaseResult) =>
    `${r.name.padEnd(16)} ${Object.entries(r.cpuPerRequestMs).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}; machine ${(r.machineBusy * 100).toFixed(0)}% busy, ${(r.othersShare * 100).toFixed(0)}% of it by processes outside the bench (load average ${r.loadAverage.toFixed(1)})`;
  const ratio = gw.rps / direct.rps;
  console.log('');
  console.log(`                  req/s      p50      p99    p99.9  errors non-2xx  non-S   requests`);
  results.forEach((r) => console.log(row(r)));
  console.log(`gateway / direct: ${(ratio * 100).toFixed(1)}%`);
  console.log('');
  console.log('CPU ms per request:');
  results.forEach((r) => console.log(`  ${cpuRow(r)}`));
  console.log(`load generator: ${gw.signMicros.toFixed(0)} µs to build and sign one request; through the gateway it used ${(gw.cpuMs / SECONDS / 10).toFixed(0)}% of one core`);
  console.log('');
  console.log(`memory under gateway load (peak): gateway ${mb(gw.peakKb.gateway)} RSS; sandbox ${mb(gw.peakKb.sandbox)}; PostgreSQL ${mb(gw.peakKb.postgresRss)} summed RSS (${mb(gw.peakKb.postgresPss)} PSS)`);
  console.log(`  gateway + sandbox + PostgreSQL: ${mb(gw.peakKb.totalRss)} summed RSS, ${mb(gw.peakKb.totalPss)} PSS (shared pages counted once)`);
  console.log(captureNote);
  console.log('');
  const budget: Array<[string, boolean]> = [
    [`≥ 1,000 pays/s through the gateway (${gw.rps.toFixed(0)})`, gw.rps >= 1000],
    [`p99 ≤ 100 ms (${gw.latency.p99} ms)`, gw.latency.p99 <= 100],
    [`zero errors, non-2xx, non-S (${gw.errors + gw.timeouts + gw.non2xx + gw.nonS})`, gw.errors + gw.timeouts + gw.non2xx + gw.nonS === 0],
    [`gateway ≥ 40% of direct (${(ratio * 100).toFixed(1)}%)`, ratio >= 0.4],
    [`gateway < 256 MB resident (${mb(gw.peakKb.gateway)})`, gw.peakKb.gateway < 256 * 1024],
    // PSS: summed RSS counts PostgreSQL's shared buffers once per backend, which is not memory used.
    [`whole embedded default < 1 GB (${mb(gw.peakKb.totalPss)} PSS; ${mb(gw.peakKb.totalRss)} summed RSS)`, gw.peakKb.totalPss < 1024 * 1024],
  ];
  console.log('budget (ARCHITECTURE.md):');
  budget.forEach(([label, ok]) => console.log(`  ${ok ? 'met ' : 'MISS'}  ${label}`));
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`.padStart(8);

/** BENCH_DB=tcp: over TCP loopback instead of the embedded database's Unix socket, to compare the two. */
function databaseUrl(url: string): string {
  if (process.env.BENCH_DB !== 'tcp') return url;
  const tcp = new URL(url);
  tcp.searchParams.delete('host');
  return tcp.toString();
}

function startNode(name: string, script: string, env: Record<string, string>): ChildProcess {
  const log = fs.openSync(path.join(DATA, 'logs', `${name}.log`), 'a');
  // e.g. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=.bench-data/prof" to profile one process.
  const nodeArgs = (process.env[`BENCH_${name.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.push(child);
  child.on('exit', (code, signal) => { if (!stopping) console.error(`${name} exited early (${code ?? signal}); see .bench-data/logs/${name}.log`); });
  return child;
}

function parseEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The merchant's notification endpoint: acks everything, as a merchant that keeps up would. Counts by sender
 * (Client-Id): in the direct phase the sandbox notifies it itself, through the gateway the gateway does.
 */
async function notificationSink(): Promise<{ url: string; count(clientId: string): number; close(): void }> {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const sender = String(req.headers['client-id'] ?? '');
    req.resume();
    req.on('end', () => {
      counts.set(sender, (counts.get(sender) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end(NOTIFY_ACK_BODY);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`, count: (id) => counts.get(id) ?? 0, close: () => server.close() };
}

/**
 * BENCH_STATEMENTS=1: PostgreSQL's own account of the gateway phase (pg_stat_statements), statements per pay
 * and where the database time went. Called with 0 to reset before the phase.
 */
async function statementProfile(url: string, pays: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (!pays) return void (await client.query('SELECT pg_stat_statements_reset()'));
    const { rows } = await client.query(
      `SELECT calls, total_exec_time + total_plan_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q
         FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT 40`);
    const calls = rows.reduce((a: number, r: { calls: string }) => a + Number(r.calls), 0);
    console.log(`statements in the gateway phase (top 40 by calls): ${(calls / pays).toFixed(1)} per pay`);
    for (const r of rows) console.log(`  ${(Number(r.calls) / pays).toFixed(2).padStart(6)}/pay ${(Number(r.ms) / pays).toFixed(3).padStart(7)} ms/pay  ${r.q}`);
  } finally {
    await client.end();
  }
}

const DRAIN_LIMIT_MS = 60_000;

/**
 * Waits (bounded) until the sandbox's and the gateway's notification outboxes have nothing due, so the
 * next phase is not charged for the previous one's deliveries. Returns what it saw.
 */
async function drainNotifications(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    const pending = async () => {
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM sandbox.notification WHERE status = 'PENDING' AND next_attempt_at <= now() + interval '5 seconds') AS sandbox,
                (SELECT count(*) FROM merchant_notification WHERE status = 'PENDING' AND next_attempt_at <= now() + interval '5 seconds') AS gateway`);
      return { sandbox: Number(rows[0].sandbox), gateway: Number(rows[0].gateway) };
    };
    const first = await pending();
    let now = first;
    while ((now.sandbox > 0 || now.gateway > 0) && Date.now() - started < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 500));
      now = await pending();
    }
    const waited = ((Date.now() - started) / 1000).toFixed(0);
    return `${first.sandbox} sandbox + ${first.gateway} gateway notifications due, ${waited} s${now.sandbox + now.gateway > 0 ? `, ${now.sandbox + now.gateway} still due` : ''}`;
  } finally {
    await client.end();
  }
}

/** Merchant notifications by status once the load stops: PENDING ones are the delivery worker's backlog. */
async function outboxState(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT status, count(*) AS n FROM merchant_notification GROUP BY status ORDER BY status`);
    return rows.map((r: { status: string; n: string }) => `${r.n} ${r.status}`).join(', ') || 'empty';
  } finally {
    await client.end();
  }
}

async function hasCaptureApi(baseUrl: string): Promise<boolean> {
  // Unsigned on purpose: an existing route answers INVALID_CLIENT from the guard, a missing one NO_INTERFACE_DEF.
  const res = await fetch(`${baseUrl}/ams/api/v1/payments/capture`, { method: 'POST', body: '{}' });
  return !(await res.text()).includes('NO_INTERFACE_DEF');
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s (see .bench-data/logs/)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let stopping = false;
async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Gateway first, then the sandbox: in-flight pays still get their upstream answer.
  for (const c of [...children].reverse()) {
    await new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', () => { clearTimeout(kill); resolve(); });
      c.kill('SIGTERM');
    });
  }
  await stopDatabase?.().catch(() => undefined);
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
main()
  .then(stopAll)
  .catch(async (e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    await stopAll();
    process.exit(1);
  });
