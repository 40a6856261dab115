/**
 * `npm run bench`: the pay hot path under load, measured in one run on this machine, against the right floor.
 *
 * Starts an embedded PostgreSQL (.bench-data/), the sandbox (`npm run sandbox`'s entry), one gateway
 * (`npm start`'s entry) and the minimal signed proxy (bench-proxy.ts: no database, no vault, no
 * validation) as separate processes, so each has its own event loop, CPU and memory figure. Then
 * autocannon in a child process sends freshly signed pays with unique ids and a mix of the success cards:
 * after a warm-up of each, at BENCH_CONNECTIONS (64) for BENCH_SECONDS (15) straight at the sandbox, then
 * gateway, proxy, gateway, proxy (alternated, notification backlog drained between phases); then at one
 * connection (sandbox, gateway, proxy, twice over). Prints throughput, percentiles, failures, the
 * gateway/proxy ratio, the latency each adds over the sandbox alone, CPU per pay per process and per path,
 * statements per pay (pg_stat_statements, on by default), memory, and issue 27's targets met or missed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client } from 'pg';

import { NOTIFY_ACK_BODY } from '../src/antom/notify-ack';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres';
import type { LoadResult, LoadSpec } from './bench-load';
import type { MemorySample } from './bench-memory';
import { cpuMs, describeMachine, machineTicks, memoryKb, percentile, postgresPids, withChildren } from './bench-proc';
import type { ProxySpec } from './bench-proxy';
import { healthy, parseEnvFile, waitFor as waitUntil } from './bench-stack';

const ROOT = path.resolve(__dirname, '../..');
const DATA = path.join(ROOT, '.bench-data');
const bounded = (v: string | undefined, def: number, min: number, max: number) => Math.min(max, Math.max(min, Number(v) || def));
/** BENCH_PORT_BASE=N: gateway N, sandbox N+1, proxy N+2, PostgreSQL N+3, baseline N+4 (to run beside another bench). */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE) || 0;
const PORTS = PORT_BASE
  ? { gateway: PORT_BASE, sandbox: PORT_BASE + 1, proxy: PORT_BASE + 2, postgres: PORT_BASE + 3, baseline: PORT_BASE + 4 }
  : { gateway: 18080, sandbox: 18081, proxy: 18082, postgres: 54442, baseline: 18083 };
/**
 * BENCH_BASELINE_DIST=<a copy of an earlier build's dist/ inside the repository, e.g. .bench-baseline/dist>:
 * a second gateway from that build, on the same database, measured in the same alternation (gateway,
 * baseline, proxy, …): a lever's before/after in one run, under the same outside load.
 */
const BASELINE_DIST = process.env.BENCH_BASELINE_DIST ? path.resolve(ROOT, process.env.BENCH_BASELINE_DIST) : null;
const SECONDS = bounded(process.env.BENCH_SECONDS, 15, 1, 60);
const CONNECTIONS = bounded(process.env.BENCH_CONNECTIONS, 64, 1, 256);
/** Each of the one-connection phases (sandbox, gateway, proxy, twice over). */
const ONE_SECONDS = bounded(process.env.BENCH_ONE_SECONDS, 8, 1, 60);
/**
 * Statements per pay, always (BENCH_STATEMENTS=0 turns it off): pg_stat_statements with track=all, so the
 * statements PostgreSQL runs inside others (foreign-key checks, functions) count too. The sandbox shares the
 * cluster: its statements are the ones on its own schema (`sandbox.`), left out of the gateway's count.
 * Cost: the extension's hash-table update per statement (not measured apart; under the noise of CPU per pay).
 */
const STATEMENTS = process.env.BENCH_STATEMENTS !== '0';
/** GATEWAY_WORKERS for the gateway under test; its CPU and memory are then summed over primary + workers. */
const WORKERS = bounded(process.env.BENCH_GATEWAY_WORKERS, 1, 1, 16);
const WARMUP_SECONDS = bounded(process.env.BENCH_WARMUP_SECONDS, 5, 1, 30);
/** BENCH_CAPTURE=0 skips the MANUAL pay + capture phase. */
const CAPTURE = process.env.BENCH_CAPTURE !== '0';
/** BENCH_ONLY=load (the 64-connection phases) or BENCH_ONLY=one (the one-connection ones): quicker runs while developing. */
const ONLY = process.env.BENCH_ONLY;
/** BENCH_MEMORY=1: the gateway samples its own memory (bench-memory.ts); the peak's breakdown is printed per gateway phase. */
const MEMORY_LOG = process.env.BENCH_MEMORY === '1' ? path.join(DATA, 'logs', 'gateway-memory.jsonl') : null;

interface Target {
  name: string;
  url: string;
  path: string;
  clientId: string;
  privateKeyPem: string;
}
interface Pids {
  gateway: number;
  sandbox: number;
  proxy: number;
  baseline: number;
  postmasterFile: string;
}

interface PhaseResult extends LoadResult {
  name: string;
  connections: number;
  cpuPerRequestMs: Record<string, number>;
  machineBusy: number;
  /** Share of the machine's CPU time used by processes outside this benchmark (other users' jobs). */
  othersShare: number;
  loadAverage: number;
  peakKb: {
    gateway: number;
    baseline: number;
    sandbox: number;
    proxy: number;
    postgresRss: number;
    postgresPss: number;
    totalRss: number;
    totalPss: number;
  };
  /** BENCH_MEMORY=1: the gateway's own sample of highest RSS during the phase. */
  memory?: MemorySample;
  /** PostgreSQL statements per request in the phase, the gateway's (every one not on the sandbox's schema). */
  statementsPerPay?: number;
}

const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  // A fresh database each run: leftovers (an outbox backlog, payments to reconcile) would be measured too.
  fs.rmSync(DATA, { recursive: true, force: true });
  fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
  console.log(
    `bench: ${describeMachine()}; ${SECONDS} s per phase, ${CONNECTIONS} connections, loopback; gateway workers: ${WORKERS}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (STATEMENTS)
    process.env.EMBEDDED_PG_FLAGS = `${process.env.EMBEDDED_PG_FLAGS ?? ''} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all`;
  const embedded = await startEmbeddedPostgres(DATA, PORTS.postgres, 'gateway');
  stopDatabase = embedded.stop;
  const db = { url: databaseUrl(embedded.url) };
  console.log(`database: embedded PostgreSQL over ${db.url.includes('host=') ? 'its Unix socket' : 'TCP loopback'}`);

  const sandboxEnvFile = path.join(DATA, 'dev', 'sandbox.env');
  fs.rmSync(sandboxEnvFile, { force: true });
  const sandbox = startNode('sandbox', 'dist/scripts/sandbox.js', {
    GATEWAY_DATA_DIR: DATA,
    DATABASE_URL: db.url,
    SANDBOX_PORT: String(PORTS.sandbox),
  });
  await waitFor('sandbox', async () => fs.existsSync(sandboxEnvFile) && (await healthy(`http://127.0.0.1:${PORTS.sandbox}/health`)));

  const gatewayEnv = (port: number) => ({
    ...parseEnvFile(sandboxEnvFile),
    GATEWAY_DATA_DIR: DATA,
    DATABASE_URL: db.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FILE: '',
    PRINT_BANNER: 'false',
    GATEWAY_WORKERS: String(WORKERS),
  });
  const gateway = MEMORY_LOG
    ? startNode('gateway', 'dist/src/main.js', { ...gatewayEnv(PORTS.gateway), BENCH_MEMORY_LOG: MEMORY_LOG }, [
        '--require',
        path.join(ROOT, 'dist/scripts/bench-memory.js'),
      ])
    : startNode('gateway', 'dist/src/main.js', gatewayEnv(PORTS.gateway));
  const merchantFile = path.join(DATA, 'dev', 'merchant.json');
  await waitFor('gateway', async () => (await healthy(`http://127.0.0.1:${PORTS.gateway}/health`)) && fs.existsSync(merchantFile));
  // Started second: it finds the database migrated and the demo merchant and keys made (same data dir).
  const baseline = BASELINE_DIST
    ? startNode('baseline', path.relative(ROOT, path.join(BASELINE_DIST, 'src/main.js')), gatewayEnv(PORTS.baseline))
    : null;
  if (baseline) await waitFor('baseline', () => healthy(`http://127.0.0.1:${PORTS.baseline}/health`));

  const creds = JSON.parse(fs.readFileSync(path.join(DATA, 'keys', 'sandbox-credentials.json'), 'utf8'));
  const merchant = JSON.parse(fs.readFileSync(merchantFile, 'utf8'));
  const proxySpec: ProxySpec = {
    port: PORTS.proxy,
    upstreamUrl: `http://127.0.0.1:${PORTS.sandbox}`,
    upstreamClientId: creds.clientId,
    upstreamPrivateKeyPem: creds.gatewayPrivateKeyPem,
    acquirerPublicKeyPem: creds.sandboxPublicKeyPem,
    merchantClientId: merchant.clientId,
    merchantPrivateKeyPem: merchant.privateKey,
  };
  const proxy = startNode('proxy', 'dist/scripts/bench-proxy.js', { BENCH_PROXY_SPEC: JSON.stringify(proxySpec) });
  await waitFor('proxy', () => healthy(`http://127.0.0.1:${PORTS.proxy}/health`));

  const direct: Target = {
    name: 'sandbox direct',
    url: `http://127.0.0.1:${PORTS.sandbox}`,
    path: '/ams/sandbox/api/v1/payments/pay',
    clientId: creds.clientId,
    privateKeyPem: creds.gatewayPrivateKeyPem,
  };
  const viaGateway: Target = {
    name: 'gateway',
    url: `http://127.0.0.1:${PORTS.gateway}`,
    path: '/ams/api/v1/payments/pay',
    clientId: merchant.clientId,
    privateKeyPem: merchant.privateKey,
  };
  const viaProxy: Target = { ...viaGateway, name: 'proxy', url: `http://127.0.0.1:${PORTS.proxy}` };
  const viaBaseline: Target | null = baseline ? { ...viaGateway, name: 'baseline', url: `http://127.0.0.1:${PORTS.baseline}` } : null;
  const gateways = viaBaseline ? [viaGateway, viaBaseline] : [viaGateway];

  const commits = await commitCost(db.url);
  console.log(
    `one-row commit on this disk, one connection: durable (waits for the WAL flush) ${commits.durable}; recoverable (synchronous_commit off for that transaction) ${commits.recoverable}`,
  );
  const sink = await notificationSink();
  const pids: Pids = {
    gateway: pidOf(gateway),
    sandbox: pidOf(sandbox),
    proxy: pidOf(proxy),
    baseline: baseline?.pid ?? 0,
    postmasterFile: path.join(DATA, 'pg', 'postmaster.pid'),
  };
  const drains: string[] = [];
  const drain = async (after: string) => drains.push(`after ${after}: ${await drainNotifications(db.url)}`);
  console.log(`warming up (${WARMUP_SECONDS} s each)…`);
  for (const t of [direct, ...gateways, viaProxy]) await runLoad(t, WARMUP_SECONDS, CONNECTIONS, 'pay', sink.url);
  await drain('warm-up');

  // Alternated (gateway, proxy, gateway, proxy) with the backlog drained in between: a single
  // gateway-then-proxy order measured 0.59× where alternation measures 0.72–0.78× (warm-up and backlog bias).
  const results: PhaseResult[] = [];
  const run = async (t: Target, label: string, connections = CONNECTIONS, seconds = SECONDS, mix: LoadSpec['mix'] = 'pay', profile = false) => {
    if (profile && STATEMENTS) await statementProfile(db.url, 0, label);
    const r = await phase({ ...t, name: label }, pids, connections, seconds, mix, sink.url);
    results.push(r);
    // Read before the drain: the phase's pays and the notifications they caused so far.
    if (profile && STATEMENTS) r.statementsPerPay = await statementProfile(db.url, r.requests, label);
    await drain(label);
  };
  let captureNote = 'manual-capture mix: skipped (BENCH_CAPTURE=0 or no payments/capture API on this build)';
  if (ONLY !== 'one') {
    await run(direct, 'sandbox direct');
    await run(viaGateway, 'gateway #1', CONNECTIONS, SECONDS, 'pay', true);
    if (viaBaseline) await run(viaBaseline, 'baseline #1', CONNECTIONS, SECONDS, 'pay', true);
    await run(viaProxy, 'proxy #1');
    await run(viaGateway, 'gateway #2');
    if (viaBaseline) await run(viaBaseline, 'baseline #2');
    await run(viaProxy, 'proxy #2');
    if (CAPTURE && (await hasCaptureApi(viaGateway.url))) {
      await run(viaGateway, 'MANUAL+capture', CONNECTIONS, SECONDS, 'pay+capture');
      captureNote = 'MANUAL+capture (through the gateway): each pair is a MANUAL pay then a full capture of it; req/s counts both requests';
    }
  }
  if (ONLY !== 'load') {
    for (let i = 1; i <= 2; i++)
      for (const t of [direct, ...gateways, viaProxy]) await run(t, `${t.name === 'sandbox direct' ? 'sandbox' : t.name} 1c #${i}`, 1, ONE_SECONDS);
  }
  captureNote +=
    `\nmerchant notifications delivered during the run (warm-up included): by the gateway and the proxy ${sink.count(merchant.clientId)}` +
    `; by the sandbox in its direct phases ${sink.count(creds.clientId)}`;
  captureNote += `\ngateway outbox at the end: ${await outboxState(db.url)}`;
  captureNote += `\nnotification backlog waited out between phases (so one phase's deliveries are not billed to the next): ${drains.join('; ')}`;
  const summary = { ...report(results, captureNote), commits };
  sink.close();
  fs.writeFileSync(
    path.join(DATA, 'bench-results.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: describeMachine(),
        seconds: SECONDS,
        connections: CONNECTIONS,
        summary,
        results: results.map(({ samplesMs: _s, ...r }) => r),
      },
      null,
      2,
    ),
  );
}

async function phase(
  target: Target,
  pids: Pids,
  connections: number,
  seconds: number,
  mix: LoadSpec['mix'],
  notifyUrl: string,
): Promise<PhaseResult> {
  // Per process of a tree (PostgreSQL's backends, the gateway's workers): one that appears during the phase
  // counts from zero; one that exits during it takes its last seconds with it (pools keep their
  // connections, workers stay up, so that is rare).
  const treeCpu = (list: () => number[]) => {
    const before = new Map(list().map((p) => [p, cpuMs(p)]));
    return () => list().reduce((a, p) => a + Math.max(0, cpuMs(p) - (before.get(p) ?? 0)), 0);
  };
  const pgDelta = treeCpu(() => postgresPids(pids.postmasterFile));
  const gatewayDelta = treeCpu(() => withChildren(pids.gateway));
  const sandbox0 = cpuMs(pids.sandbox);
  const proxy0 = cpuMs(pids.proxy);
  const baseline0 = cpuMs(pids.baseline);
  const ticks = machineTicks();
  const peak = { gateway: 0, baseline: 0, sandbox: 0, proxy: 0, postgresRss: 0, postgresPss: 0, totalRss: 0, totalPss: 0 };
  const sample = setInterval(() => {
    // The budget is per gateway process (the largest); totals sum every process but the proxy.
    const g = withChildren(pids.gateway)
      .map(memoryKb)
      .reduce<{ rss: number; rssSum: number; pss: number }>(
        (a, m) => ({ rss: Math.max(a.rss, m.rss), rssSum: a.rssSum + m.rss, pss: a.pss + m.pss }),
        { rss: 0, rssSum: 0, pss: 0 },
      );
    const s = memoryKb(pids.sandbox);
    const p = postgresPids(pids.postmasterFile)
      .map(memoryKb)
      .reduce((a, m) => ({ rss: a.rss + m.rss, pss: a.pss + m.pss }), { rss: 0, pss: 0 });
    peak.gateway = Math.max(peak.gateway, g.rss);
    peak.sandbox = Math.max(peak.sandbox, s.rss);
    peak.proxy = Math.max(peak.proxy, memoryKb(pids.proxy).rss);
    if (pids.baseline) peak.baseline = Math.max(peak.baseline, memoryKb(pids.baseline).rss);
    peak.postgresRss = Math.max(peak.postgresRss, p.rss);
    peak.postgresPss = Math.max(peak.postgresPss, p.pss);
    peak.totalRss = Math.max(peak.totalRss, g.rssSum + s.rss + p.rss);
    peak.totalPss = Math.max(peak.totalPss, g.pss + s.pss + p.pss);
  }, 500);
  console.log(`${target.name}: ${seconds} s at ${connections} connection${connections === 1 ? '' : 's'}…`);
  const startedAt = Date.now();
  const load = await runLoad(target, seconds, connections, mix, notifyUrl).finally(() => clearInterval(sample));
  const memory = target.name.startsWith('gateway') ? peakMemorySample(startedAt, Date.now()) : undefined;
  const used = {
    loadgen: load.cpuMs,
    gateway: gatewayDelta(),
    sandbox: cpuMs(pids.sandbox) - sandbox0,
    proxy: cpuMs(pids.proxy) - proxy0,
    ...(pids.baseline ? { baseline: cpuMs(pids.baseline) - baseline0 } : {}),
    postgres: pgDelta(),
  };
  const t = machineTicks();
  const oursMs = Object.values(used).reduce((a, b) => a + b, 0);
  const machineMs = (t.total - ticks.total) * 10; // /proc/stat counts USER_HZ (100/s) ticks summed over CPUs
  const perRequest = (v: number) => (load.requests ? v / load.requests : 0);
  return {
    name: target.name,
    connections,
    ...load,
    cpuPerRequestMs: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, perRequest(v)])),
    machineBusy: (t.busy - ticks.busy) / Math.max(1, t.total - ticks.total),
    othersShare: Math.max(0, ((t.busy - ticks.busy) * 10 - oursMs) / Math.max(1, machineMs)),
    loadAverage: os.loadavg()[0],
    peakKb: peak,
    memory,
  };
}

/** The gateway's sample (BENCH_MEMORY=1) with the highest RSS between two instants. */
function peakMemorySample(from: number, to: number): MemorySample | undefined {
  if (!MEMORY_LOG || !fs.existsSync(MEMORY_LOG)) return undefined;
  return fs
    .readFileSync(MEMORY_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MemorySample)
    .filter((m) => m.at >= from && m.at <= to)
    .reduce<MemorySample | undefined>((a, m) => (!a || m.rss > a.rss ? m : a), undefined);
}

/** One line: RSS = V8 heap committed (new space, old, code, large objects…) + external + native (the rest). */
function describeMemory(m: MemorySample): string {
  const space = (name: string) => m.spaces[name] ?? { size: 0, used: 0 };
  const named = ['new_space', 'old_space', 'code_space', 'large_object_space'];
  const other = Object.entries(m.spaces)
    .filter(([k]) => !named.includes(k))
    .reduce((a, [, v]) => a + v.size, 0);
  const native = m.rss - m.heapTotal - m.external;
  return (
    `RSS ${m.rss} MB = heap ${m.heapTotal} committed (${m.heapUsed} used: new ${space('new_space').size}/${space('new_space').used}, old ${space('old_space').size}/${space('old_space').used}, ` +
    `code ${space('code_space').size}, large objects ${space('large_object_space').size}, other spaces ${other.toFixed(1)}) + external ${m.external} (array buffers ${m.arrayBuffers}) + native ${native.toFixed(1)}`
  );
}

function runLoad(target: Target, seconds: number, connections: number, mix: LoadSpec['mix'], notifyUrl: string): Promise<LoadResult> {
  const spec: LoadSpec = {
    url: target.url,
    path: target.path,
    clientId: target.clientId,
    privateKeyPem: target.privateKeyPem,
    seconds,
    connections,
    mix,
    notifyUrl,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/scripts/bench-load.js')], {
      env: { ...process.env, BENCH_LOAD_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- stdio 'pipe' (above) gives the child a stdout
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`load generator exited with ${code}`);
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult);
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The phases of one target pooled: throughput over their summed time, percentiles as the mean of theirs. */
function pooled(rs: PhaseResult[]) {
  const mean = (f: (r: PhaseResult) => number) => rs.reduce((a, r) => a + f(r), 0) / Math.max(1, rs.length);
  const samples = rs.flatMap((r) => r.samplesMs ?? []).sort((a, b) => a - b);
  return {
    rps: mean((r) => r.rps),
    p50: samples.length ? percentile(samples, 0.5) : mean((r) => r.latency.p50),
    p99: samples.length ? percentile(samples, 0.99) : mean((r) => r.latency.p99),
    p99_9: samples.length ? percentile(samples, 0.999) : mean((r) => r.latency.p99_9),
    // autocannon's errors include its timeouts (counted apart as well): not added twice.
    failures: rs.reduce((a, r) => a + r.errors + r.non2xx + r.nonS, 0),
    requests: rs.reduce((a, r) => a + r.requests, 0),
  };
}

function report(results: PhaseResult[], captureNote: string): object {
  const named = (re: RegExp) => results.filter((r) => re.test(r.name));
  const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
  const row = (r: PhaseResult) =>
    `${r.name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} ${ms(r.latency.p50)} ${ms(r.latency.p99)} ${ms(r.latency.p99_9)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(7)} ${String(r.nonS).padStart(6)}   ${r.requests}`;
  const cpuRow = (r: PhaseResult) =>
    `${r.name.padEnd(16)} ${Object.entries(r.cpuPerRequestMs)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(
        ', ',
      )}; machine ${(r.machineBusy * 100).toFixed(0)}% busy, ${(r.othersShare * 100).toFixed(0)}% of it by processes outside the bench (load average ${r.loadAverage.toFixed(1)})`;
  const gw = pooled(named(/^gateway #/));
  const px = pooled(named(/^proxy #/));
  const one = { sandbox: pooled(named(/^sandbox 1c/)), gateway: pooled(named(/^gateway 1c/)), proxy: pooled(named(/^proxy 1c/)) };
  const ratio = gw.rps / Math.max(1e-9, px.rps);
  const base = named(/^baseline #/).length ? { load: pooled(named(/^baseline #/)), one: pooled(named(/^baseline 1c/)) } : null;
  const adds = { gateway: one.gateway.p50 - one.sandbox.p50, proxy: one.proxy.p50 - one.sandbox.p50 };
  const gwPhases = named(/^gateway/);
  const peakGateway = Math.max(0, ...gwPhases.map((r) => r.peakKb.gateway));
  const peakTotalPss = Math.max(0, ...gwPhases.map((r) => r.peakKb.totalPss));
  const peakTotalRss = Math.max(0, ...gwPhases.map((r) => r.peakKb.totalRss));
  const errors = gw.failures + one.gateway.failures;
  console.log('');
  console.log(`                  req/s      p50      p99    p99.9  errors non-2xx  non-S   requests`);
  results.forEach((r) => console.log(row(r)));
  console.log('');
  console.log(
    `at ${CONNECTIONS} connections (mean of the two alternated phases): gateway ${gw.rps.toFixed(0)}/s, p50 ${ms(gw.p50).trim()}, p99 ${ms(gw.p99).trim()}, p99.9 ${ms(gw.p99_9).trim()}, ${gw.failures} failed`,
  );
  console.log(
    `${' '.repeat(CONNECTIONS >= 100 ? 18 : 17)}proxy ${px.rps.toFixed(0)}/s, p50 ${ms(px.p50).trim()}, p99 ${ms(px.p99).trim()}, p99.9 ${ms(px.p99_9).trim()}, ${px.failures} failed`,
  );
  console.log(`gateway / proxy: ${ratio.toFixed(2)}×`);
  if (base)
    console.log(
      `baseline build (${process.env.BENCH_BASELINE_DIST}): ${base.load.rps.toFixed(0)}/s, p50 ${ms(base.load.p50).trim()}, p99 ${ms(base.load.p99).trim()}, ${base.load.failures} failed: baseline / proxy ${(base.load.rps / Math.max(1e-9, px.rps)).toFixed(2)}×, gateway / baseline ${(gw.rps / Math.max(1e-9, base.load.rps)).toFixed(2)}×`,
    );
  const line = (name: string, p: ReturnType<typeof pooled>) =>
    `  ${name.padEnd(8)} p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, p99.9 ${p.p99_9.toFixed(2)} ms (${p.requests} pays, ${p.failures} failed)`;
  console.log(`one connection (${2 * ONE_SECONDS} s each, pooled):`);
  console.log(line('sandbox', one.sandbox));
  console.log(line('proxy', one.proxy));
  console.log(line('gateway', one.gateway));
  if (base) console.log(`${line('baseline', base.one)}: the gateway's p50 ${(one.gateway.p50 - base.one.p50).toFixed(2)} ms from the baseline's`);
  console.log(
    `  over the sandbox alone, p50: the proxy adds ${adds.proxy.toFixed(2)} ms, the gateway ${adds.gateway.toFixed(2)} ms: ${(adds.gateway - adds.proxy).toFixed(2)} ms more than the proxy`,
  );
  console.log('');
  console.log('CPU ms per request:');
  results.forEach((r) => console.log(`  ${cpuRow(r)}`));
  const meanOf = (rs: PhaseResult[], f: (r: PhaseResult) => number) => rs.reduce((a, r) => a + f(r), 0) / Math.max(1, rs.length);
  const cpu = (r: PhaseResult, k: string) => r.cpuPerRequestMs[k] ?? 0;
  const gwRuns = named(/^gateway #/);
  const pxRuns = named(/^proxy #/);
  const baseRuns = named(/^baseline #/);
  const pathOf = (rs: PhaseResult[], own: string) => ({
    loadgen: meanOf(rs, (r) => cpu(r, 'loadgen')),
    own: meanOf(rs, (r) => cpu(r, own)),
    sandbox: meanOf(rs, (r) => cpu(r, 'sandbox')),
    postgres: meanOf(rs, (r) => cpu(r, 'postgres')),
  });
  const whole = (p: ReturnType<typeof pathOf>) => p.loadgen + p.own + p.sandbox + p.postgres;
  const gwPath = pathOf(gwRuns, 'gateway');
  const pxPath = pathOf(pxRuns, 'proxy');
  const basePath = baseRuns.length ? pathOf(baseRuns, 'baseline') : null;
  // The gateway's own database work: the gateway phases' PostgreSQL CPU less the proxy phases' (the sandbox's).
  const pgOwn = (p: ReturnType<typeof pathOf>) => p.postgres - pxPath.postgres;
  const pathRow = (name: string, p: ReturnType<typeof pathOf>) =>
    `  ${name.padEnd(9)} load gen ${p.loadgen.toFixed(2)}, ${name === 'proxy' ? 'proxy  ' : 'gateway'} ${p.own.toFixed(2)}, sandbox ${p.sandbox.toFixed(2)}, PostgreSQL ${p.postgres.toFixed(2)} (${name === 'proxy' ? "the sandbox's" : `its own ${pgOwn(p).toFixed(2)}`}): ${whole(p).toFixed(2)} ms per pay`;
  console.log(
    `CPU ms per pay at ${CONNECTIONS} connections, mean of the alternated phases (the gateway's own PostgreSQL = its phases' less the proxy's):`,
  );
  console.log(pathRow('proxy', pxPath));
  console.log(pathRow('gateway', gwPath));
  if (basePath) console.log(pathRow('baseline', basePath));
  if (basePath)
    console.log(
      `  gateway process: this build ${gwPath.own.toFixed(2)} ms per pay (${gwRuns.map((r) => cpu(r, 'gateway').toFixed(2)).join(', ')}), baseline ${basePath.own.toFixed(2)} (${baseRuns.map((r) => cpu(r, 'baseline').toFixed(2)).join(', ')}): ${(gwPath.own - basePath.own).toFixed(2)} ms`,
    );
  const gwStatements = named(/^gateway #1/)[0]?.statementsPerPay;
  const baseStatements = named(/^baseline #1/)[0]?.statementsPerPay;
  if (gwStatements !== undefined)
    console.log(
      `statements per pay, the gateway's (nested ones included, the sandbox's schema left out): ${gwStatements.toFixed(1)}${baseStatements !== undefined ? `; baseline ${baseStatements.toFixed(1)}` : ''}`,
    );
  console.log('');
  console.log(
    `memory (peak over the gateway phases): gateway ${mb(peakGateway)} RSS; sandbox ${mb(Math.max(0, ...gwPhases.map((r) => r.peakKb.sandbox)))}; PostgreSQL ${mb(Math.max(0, ...gwPhases.map((r) => r.peakKb.postgresRss)))} summed RSS (${mb(Math.max(0, ...gwPhases.map((r) => r.peakKb.postgresPss)))} PSS); the proxy ${mb(Math.max(0, ...named(/^proxy/).map((r) => r.peakKb.proxy)))} in its phases`,
  );
  console.log(`  gateway + sandbox + PostgreSQL: ${mb(peakTotalRss)} summed RSS, ${mb(peakTotalPss)} PSS (shared pages counted once)`);
  if (base)
    console.log(`  baseline gateway: ${mb(Math.max(0, ...named(/^baseline/).map((r) => r.peakKb.baseline)))} RSS at its peak over its phases`);
  for (const r of gwPhases) if (r.memory) console.log(`  ${r.name} at its peak (MB, committed/used): ${describeMemory(r.memory)}`);
  const wholeRun = peakMemorySample(0, Date.now());
  // The drains between phases count here: delivering a backlog allocates as fast as the load did.
  if (wholeRun) console.log(`  gateway's peak over the whole run, drains included: ${describeMemory(wholeRun)}`);
  console.log(captureNote);
  console.log('');
  const loadMeasured = gwRuns.length > 0 && pxRuns.length > 0;
  const targets: Array<[string, boolean]> = [
    // BENCH_ONLY=one runs no load phase, BENCH_ONLY=load no one-connection phase: nothing measured is not a pass.
    loadMeasured
      ? [`throughput ≥ 0.6× the proxy's at ${CONNECTIONS} connections (${ratio.toFixed(2)}×)`, ratio >= 0.6]
      : ['throughput: not measured in this run (BENCH_ONLY=one)', false],
    loadMeasured
      ? [
          `CPU per pay of the whole gateway path ≤ 10 ms (${whole(gwPath).toFixed(2)} ms; the proxy's ${whole(pxPath).toFixed(2)})`,
          whole(gwPath) <= 10,
        ]
      : ['CPU per pay: not measured in this run', false],
    one.gateway.requests && one.proxy.requests
      ? [
          `one connection: the gateway ≤ 3 ms p50 over the proxy (${(one.gateway.p50 - one.proxy.p50).toFixed(2)} ms)`,
          one.gateway.p50 - one.proxy.p50 <= 3,
        ]
      : ['one connection: not measured in this run (BENCH_ONLY=load)', false],
    [`gateway ≤ 256 MB resident (${mb(peakGateway)})`, peakGateway <= 256 * 1024],
    [`zero errors, non-2xx, non-S through the gateway (${errors})`, errors === 0],
    gwStatements !== undefined
      ? [`statements per pay ≤ 8, the gateway's (${gwStatements.toFixed(1)})`, gwStatements <= 8]
      : ['statements per pay: not measured in this run (BENCH_STATEMENTS=0 or BENCH_ONLY=one)', false],
    loadMeasured
      ? [`PostgreSQL CPU per pay ≤ 2 ms, the gateway's own (${pgOwn(gwPath).toFixed(2)} ms)`, pgOwn(gwPath) <= 2]
      : ['PostgreSQL CPU per pay: not measured in this run', false],
    loadMeasured
      ? [`gateway process CPU per pay ≤ 4 ms (${gwPath.own.toFixed(2)} ms)`, gwPath.own <= 4]
      : ['gateway process CPU per pay: not measured in this run', false],
    // PSS: summed RSS counts PostgreSQL's shared buffers once per backend, which is not memory used.
    [`whole embedded default ≤ 1 GB (${mb(peakTotalPss)} PSS; ${mb(peakTotalRss)} summed RSS)`, peakTotalPss <= 1024 * 1024],
  ];
  console.log('targets (issue 27; the last from issue 19):');
  targets.forEach(([label, ok]) => console.log(`  ${ok ? 'met ' : 'MISS'}  ${label}`));
  return {
    gateway: gw,
    proxy: px,
    baseline: base,
    ratio,
    oneConnection: one,
    addedP50Ms: adds,
    peakGatewayKb: peakGateway,
    peakTotalPssKb: peakTotalPss,
    cpuPerPayMs: { proxy: pxPath, gateway: gwPath, baseline: basePath },
    statementsPerPay: { gateway: gwStatements, baseline: baseStatements },
    targets,
  };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`.padStart(8);

/** BENCH_DB=tcp: over TCP loopback instead of the embedded database's Unix socket, to compare the two. */
function databaseUrl(url: string): string {
  if (process.env.BENCH_DB !== 'tcp') return url;
  const tcp = new URL(url);
  tcp.searchParams.delete('host');
  return tcp.toString();
}

function startNode(name: string, script: string, env: Record<string, string>, extraNodeArgs: string[] = []): ChildProcess {
  const log = fs.openSync(path.join(DATA, 'logs', `${name}.log`), 'a');
  // e.g. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=.bench-data/prof" to profile one process.
  const nodeArgs = [...(process.env[`BENCH_${name.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter(Boolean), ...extraNodeArgs];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited early (${code ?? signal}); see .bench-data/logs/${name}.log`);
  });
  return child;
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    count: (id) => counts.get(id) ?? 0,
    close: () => server.close(),
  };
}

/**
 * PostgreSQL's own account of a phase (pg_stat_statements, track=all): statements per pay, the top ones with
 * their database time. Called with 0 pays to reset before the phase; returns the gateway's statements per pay:
 * all but those on the sandbox's schema (the sandbox sends no transaction control of its own: each of its
 * writes is one statement; a BEGIN/COMMIT line, if any, is counted as the gateway's).
 */
async function statementProfile(url: string, pays: number, label: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (!pays) {
      await client.query('SELECT pg_stat_statements_reset()');
      return 0;
    }
    const { rows } = await client.query(
      `SELECT calls, toplevel, total_exec_time + total_plan_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q
         FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC`,
    );
    type Row = { calls: string; toplevel: boolean; ms: string; q: string };
    const sum = (rs: Row[]) => rs.reduce((a, r) => a + Number(r.calls), 0) / pays;
    const all = rows as Row[];
    const sandbox = all.filter((r) => /\bsandbox\./i.test(r.q));
    const nested = all.filter((r) => !r.toplevel);
    const fk = nested.filter((r) => /FOR KEY SHARE/i.test(r.q));
    const txn = all.filter((r) => /^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)/i.test(r.q));
    const own = sum(all) - sum(sandbox);
    console.log(
      `statements in ${label}: ${sum(all).toFixed(1)} per pay in all; the gateway's ${own.toFixed(1)} (the sandbox's schema ${sum(sandbox).toFixed(1)}); ` +
        `of all: transaction control ${sum(txn).toFixed(1)}, nested ${sum(nested).toFixed(1)}, of which foreign-key checks ${sum(fk).toFixed(1)} ('n' below: nested)`,
    );
    for (const r of all.slice(0, 25))
      console.log(
        `  ${(Number(r.calls) / pays).toFixed(2).padStart(6)}/pay ${(Number(r.ms) / pays).toFixed(3).padStart(7)} ms/pay ${r.toplevel ? ' ' : 'n'} ${r.q}`,
      );
    return own;
  } finally {
    await client.end();
  }
}

/**
 * What the lever "commit without waiting for the disk" is worth here: 300 one-row INSERTs, each its own
 * transaction, waiting for the WAL flush or not (the transaction-local setting the gateway's answer write uses).
 */
async function commitCost(url: string): Promise<{ durable: string; recoverable: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS bench_commit_cost (id serial PRIMARY KEY, v text)');
    const run = async (recoverable: boolean) => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t0 = process.hrtime.bigint();
        await client.query(
          `WITH x AS (INSERT INTO bench_commit_cost (v) VALUES ($1) RETURNING id) SELECT count(*) FROM x${recoverable ? `, (SELECT set_config('synchronous_commit', 'off', true)) s` : ''}`,
          [String(i)],
        );
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      return `p50 ${percentile(times, 0.5).toFixed(2)} ms, p90 ${percentile(times, 0.9).toFixed(2)} ms`;
    };
    const durable = await run(false);
    const recoverable = await run(true);
    await client.query('DROP TABLE bench_commit_cost');
    return { durable, recoverable };
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
                (SELECT count(*) FROM merchant_notification WHERE status = 'PENDING' AND next_attempt_at <= now() + interval '5 seconds') AS gateway`,
      );
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

function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  return waitUntil(what, ready, timeoutMs, '.bench-data/logs/');
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
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    await stopAll();
    process.exit(1);
  });

/** A started child's pid (undefined only when the spawn itself failed). */
function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error(`${child.spawnfile} did not start`);
  return child.pid;
}
