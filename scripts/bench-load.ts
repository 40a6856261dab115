/**
 * The load generator of `npm run bench`, run as its own process so its CPU (it signs every request)
 * is measured apart from the gateway's. Input: a JSON LoadSpec in BENCH_LOAD_SPEC. Output: one JSON
 * line on stdout (LoadResult). Every request is built and RSA-signed just before it is sent, with a
 * unique paymentRequestId and the next card of the mix: nothing is pre-signed or replayed.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Pool } from 'undici';

import { loadPrivateKey } from '../src/antom/keys';
import { formatSignatureHeader, sign } from '../src/antom/signature';
import { percentile } from './bench-proc';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- autocannon ships no type declarations
const autocannon: any = require('autocannon');

export interface LoadSpec {
  url: string;
  path: string;
  clientId: string;
  privateKeyPem: string;
  seconds: number;
  connections: number;
  /** 'pay': automatic-capture pays. 'pay+capture': a MANUAL pay, then a full capture of it, per pair. */
  mix: 'pay' | 'pay+capture';
  /** Where the gateway delivers the merchant's notifications (a local sink that acks). */
  notifyUrl: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  latency: { p50: number; p99: number; p99_9: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  nonS: number;
  signMicros: number;
  /** CPU this process spent during the run (user + system), in ms. */
  cpuMs: number;
  /** One connection only: every request's latency in ms (µs resolution), so runs can be pooled. */
  samplesMs?: number[];
}

/** The contract's success cards (docs/ANTOM-CONTRACT.md): every one must come back S. */
const CARDS: Array<[string, string]> = [
  ['4111111111111111', '123'],
  ['5555555555554444', '123'],
  ['378282246310005', '1234'],
  ['3530111333300000', '123'],
  ['4117347806156383', '850'],
];

/** The seed's S2S pay, serialised once; per request only the id and the card change. */
function bodyTemplate(captureMode: string, notifyUrl: string): (id: string, card: [string, string]) => string {
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/pay-server-to-server.json'), 'utf8'));
  seed.paymentRequestId = '@ID@';
  seed.order.referenceOrderId = '@ID@';
  seed.paymentMethod.paymentMethodMetaData.cardNo = '@PAN@';
  seed.paymentMethod.paymentMethodMetaData.cvv = '@CVV@';
  seed.paymentFactor = { isAuthorization: true, captureMode };
  seed.paymentNotifyUrl = notifyUrl;
  const parts = JSON.stringify(seed).split(/@(ID|PAN|CVV)@/);
  return (id, [pan, cvv]) => parts.map((p, i) => (i % 2 === 0 ? p : p === 'ID' ? id : p === 'PAN' ? pan : cvv)).join('');
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BENCH_LOAD_SPEC ?? '{}') as LoadSpec;
  const key = loadPrivateKey(spec.privateKeyPem);
  const build = bodyTemplate(spec.mix === 'pay' ? 'AUTOMATIC' : 'MANUAL', spec.notifyUrl);
  const run = randomUUID().slice(0, 8);
  const capturePath = spec.path.replace(/pay$/, 'capture');
  const signedAt = (pathName: string, body: string) => {
    const time = String(Date.now());
    const signature = sign({ path: pathName, clientId: spec.clientId, time, body }, key);
    return {
      body,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'client-id': spec.clientId,
        'request-time': time,
        signature: formatSignatureHeader(signature),
      },
    };
  };
  let n = 0;
  const signed = () => {
    const i = n++;
    return signedAt(spec.path, build(`BENCH_${run}_${i}`, CARDS[i % CARDS.length]));
  };
  const pay = { method: 'POST', path: spec.path, setupRequest: (req: object) => ({ ...req, ...signed() }) };
  const requests =
    spec.mix === 'pay'
      ? [pay]
      : [
          // The capture follows its own pay on the same connection; autocannon's context carries the paymentId.
          {
            ...pay,
            onResponse: (_s: number, body: string, ctx: Record<string, unknown>) => {
              ctx.paymentId = /"paymentId":"([^"]+)"/.exec(body)?.[1];
            },
          },
          {
            method: 'POST',
            path: capturePath,
            setupRequest: (req: object, ctx: Record<string, unknown>) => ({
              ...req,
              ...signedAt(
                capturePath,
                JSON.stringify({
                  captureRequestId: `CAP_${run}_${n++}`,
                  paymentId: ctx.paymentId ?? 'none',
                  captureAmount: { currency: 'EUR', value: '30000' },
                  isLastCapture: true,
                }),
              ),
            }),
          },
        ];
  const signMicros = measureSigning(signed);
  n = 0;
  const cpu0 = process.cpuUsage();
  if (spec.connections === 1 && spec.mix === 'pay')
    return void process.stdout.write(JSON.stringify(await serial(spec, signed, signMicros, cpu0)) + '\n');
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 10,
    requests,
    // A pay or capture that is not S (F, U, an error answer) counts as a mismatch.
    verifyBody: (body: string) => body.includes('"resultStatus":"S"'),
  });
  const out: LoadResult = {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || spec.seconds),
    latency: { p50: result.latency.p50, p99: result.latency.p99, p99_9: result.latency.p99_9, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    nonS: result.mismatches,
    signMicros,
    cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/**
 * One connection: requests one after another, each timed from its first byte sent to its last byte read
 * (building and signing it is outside the clock), at µs resolution — autocannon's histogram counts whole
 * milliseconds, too coarse for a few ms of added latency.
 */
async function serial(
  spec: LoadSpec,
  signed: () => { body: string; headers: Record<string, string> },
  signMicros: number,
  cpu0: NodeJS.CpuUsage,
): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: 1, pipelining: 1 });
  const samplesMs: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let nonS = 0;
  const started = Date.now();
  while (Date.now() - started < spec.seconds * 1000) {
    const { body, headers } = signed();
    const t0 = process.hrtime.bigint();
    try {
      const res = await pool.request({ method: 'POST', path: spec.path, body, headers });
      const text = await res.body.text();
      samplesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.statusCode !== 200) non2xx++;
      else if (!text.includes('"resultStatus":"S"')) nonS++;
    } catch {
      errors++;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await pool.close();
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    requests: samplesMs.length + errors,
    rps: samplesMs.length / seconds,
    latency: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), p99_9: percentile(sorted, 0.999), max: sorted[sorted.length - 1] ?? 0 },
    errors,
    timeouts: 0,
    non2xx,
    nonS,
    signMicros,
    cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)),
    samplesMs,
  };
}

/** Cost of building + signing one request in this process, so the report can say what the generator takes. */
function measureSigning(signed: () => unknown): number {
  for (let i = 0; i < 50; i++) signed();
  const count = 400;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) signed();
  return Number(process.hrtime.bigint() - t0) / 1000 / count;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-load failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
