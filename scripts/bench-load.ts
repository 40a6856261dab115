/**
 * The load generator of `npm run bench`, run as its own process so its CPU (it signs every request)
 * is measured apart from the gateway's. Input: a JSON LoadSpec in BENCH_LOAD_SPEC. Output: one JSON
 * line on stdout (LoadResult). Every request is built and RSA-signed just before it is sent, with a
 * unique paymentRequestId and the next card of the mix: nothing is pre-signed or replayed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadPrivateKey } from '../src/antom/keys';
import { formatSignatureHeader, sign } from '../src/antom/signature';

// autocannon ships no type declarations.
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
}

/** The contract's success cards (docs/ANTOM-CONTRACT.md): every one must come back S. */
const CARDS: Array<[string, string]> = [
  ['4111111111111111', '123'], ['5555555555554444', '123'], ['378282246310005', '1234'],
  ['3530111333300000', '123'], ['4117347806156383', '850'],
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
    return { body, headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': spec.clientId, 'request-time': time, signature: formatSignatureHeader(signature) } };
  };
  let n = 0;
  const signed = () => {
    const i = n++;
    return signedAt(spec.path, build(`BENCH_${run}_${i}`, CARDS[i % CARDS.length]));
  };
  const pay = { method: 'POST', path: spec.path, setupRequest: (req: object) => ({ ...req, ...signed() }) };
  const requests = spec.mix === 'pay' ? [pay] : [
    // The capture follows its own pay on the same connection; autocannon's context carries the paymentId.
    { ...pay, onResponse: (_s: number, body: string, ctx: Record<string, unknown>) => { ctx.paymentId = /"paymentId":"([^"]+)"/.exec(body)?.[1]; } },
    {
      method: 'POST', path: capturePath,
      setupRequest: (req: object, ctx: Record<string, unknown>) => ({
        ...req,
        ...signedAt(capturePath, JSON.stringify({ captureRequestId: `CAP_${run}_${n++}`, paymentId: ctx.paymentId ?? 'none', captureAmount: { currency: 'EUR', value: '30000' }, isLastCapture: true })),
      }),
    },
  ];
  const signMicros = measureSigning(signed);
  n = 0;
  const cpu0 = process.cpuUsage();
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
