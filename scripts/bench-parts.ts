/**
 * `node dist/scripts/bench-parts.js`: what the in-process parts of one pay cost on this machine, in µs,
 * CPU time without I/O, so a lever's gain can be stated without the noise of a shared machine (the load of
 * other processes moves `npm run bench`'s figures by ±30 %; these move by a few %). Each part runs on the
 * bench's own pay body (the seed's S2S pay with a success card), warmed up, median of 7 batches.
 */
import 'reflect-metadata';

import * as fs from 'node:fs';
import * as path from 'node:path';

import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer';
import { RouterResponseController } from '@nestjs/core/router/router-response-controller';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import helmet from 'helmet';
import { map } from 'rxjs';

import { mapPayOutcome } from '../src/acquirer-answers/pay-outcome';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey } from '../src/antom/keys';
import { refuseCardNumbersInFreeText } from '../src/antom/requests/card-number-fields';
import { validateBody, validateBodyByLibraries } from '../src/antom/requests/common.dto';
import { compiledBody } from '../src/antom/requests/compiled-body';
import { jsonShapeProblem } from '../src/antom/requests/json-shape';
import { PayRequestDto } from '../src/antom/requests/pay.dto';
import { sign, verify } from '../src/antom/signature';
import { detectBrands, detectBrandsUncached } from '../src/pci/card-collection/validation/card-brand';
import { sql, withCtes } from '../src/platform/database/sql';
import { API_HEADERS, PAGE_HEADERS_OPTIONS } from '../src/platform/http/security-headers';
import { createLogger } from '../src/platform/logging/logger';

const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/pay-server-to-server.json'), 'utf8'));
seed.paymentMethod.paymentMethodMetaData.cardNo = '4111111111111111';
seed.paymentMethod.paymentMethodMetaData.cvv = '123';
seed.paymentFactor = { isAuthorization: true, captureMode: 'AUTOMATIC' };
seed.paymentNotifyUrl = 'http://127.0.0.1:9/notify';
const body = JSON.stringify(seed);

async function time(name: string, fn: () => unknown, n = 2000): Promise<number> {
  for (let i = 0; i < Math.min(n, 300); i++) await fn();
  const runs: number[] = [];
  for (let b = 0; b < 7; b++) {
    // CPU time, not wall time: time the process spent preempted by other processes is not the part's cost.
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn();
    const c = process.cpuUsage(c0);
    runs.push((c.user + c.system) / n);
  }
  const med = runs.sort((a, c) => a - c)[3];
  console.log(`${name.padEnd(58)} ${med.toFixed(1).padStart(8)} µs`);
  return med;
}

async function main(): Promise<void> {
  const pair = generateRsaKeyPair();
  const priv = loadPrivateKey(pair.privateKeyPem);
  const pub = loadPublicKey(pair.publicKeyPem);
  const msg = { path: '/ams/api/v1/payments/pay', clientId: 'SANDBOX_X', time: String(Date.now()), body };
  const signature = sign(msg, priv);
  console.log(`pay body: ${body.length} bytes`);
  await time('RSA-2048 sign (one signature)', () => sign(msg, priv), 300);
  await time('RSA-2048 verify', () => verify(msg, signature, pub), 2000);
  await time('key parse: loadPrivateKey (PEM) — per use if not cached', () => loadPrivateKey(pair.privateKeyPem), 300);
  await time('JSON.parse of the pay body', () => JSON.parse(body));
  await time('JSON.stringify of the parsed pay body', () => JSON.stringify(seed));
  await time('jsonShapeProblem (structural limits)', () => jsonShapeProblem(seed));
  const logger = createLogger({ level: 'info', stdout: false });
  const line = {
    api: 'payments/pay',
    clientId: 'SANDBOX_DEMO0123456789',
    paymentId: 'gwp_0123456789abcdef0123456789abcdef',
    resultStatus: 'S',
    resultCode: 'SUCCESS',
    durationMs: 12.3,
  };
  await time('pino: the per-request info line (redaction, scrubbing; to /dev/null)', () => logger.info(line, 'merchant request'), 5000);
  const quiet = createLogger({ level: 'warn', stdout: false });
  await time('pino: the same line below the level (LOG_LEVEL=warn)', () => quiet.info(line, 'merchant request'), 5000);
  await time('validateBody(PayRequestDto): compiled rules + card-number scan', () => validateBody(PayRequestDto, JSON.parse(body)), 1000);
  await time('  of which compiledBody(PayRequestDto) (transform + validate)', () => compiledBody(PayRequestDto, JSON.parse(body)), 1000);
  await time(
    'validateBodyByLibraries(PayRequestDto): class-transformer + class-validator',
    () => validateBodyByLibraries(PayRequestDto, JSON.parse(body)),
    1000,
  );
  await time('  of which plainToInstance(PayRequestDto) (class-transformer)', () => plainToInstance(PayRequestDto, JSON.parse(body)), 1000);
  await time('  of which refuseCardNumbersInFreeText (card numbers in free text)', () => refuseCardNumbersInFreeText(seed), 1000);
  // Security headers on one answer, on a stand-in response (setHeader/removeHeader into a Map, as node's do).
  const res = () => {
    const h = new Map<string, unknown>();
    return { setHeader: (k: string, v: unknown) => h.set(k.toLowerCase(), v), removeHeader: (k: string) => h.delete(k.toLowerCase()) };
  };
  const req = {} as never;
  const noop = () => undefined;
  await time(
    'security headers: helmet built per request (as @fastify/helmet did)',
    () => helmet(PAGE_HEADERS_OPTIONS)(req, res() as never, noop),
    5000,
  );
  const pages = helmet(PAGE_HEADERS_OPTIONS);
  await time('security headers: helmet built once (pages)', () => pages(req, res() as never, noop), 5000);
  const api = Object.entries(API_HEADERS);
  await time(
    'security headers: four constants (signed JSON APIs)',
    () => {
      const r = res();
      for (const [k, v] of api) r.setHeader(k, v);
    },
    5000,
  );
  const dto = plainToInstance(PayRequestDto, JSON.parse(body));
  await time('  of which validate(dto) (class-validator)', () => validate(dto, { forbidUnknownValues: false }), 1000);
  await time('card brand: credit-card-type on the whole number (once a pay)', () => detectBrandsUncached('4111111111111111'), 5000);
  await time('card brand: kept by BIN and length', () => detectBrands('4111111111111111'), 5000);
  // The acquirer's S answer to an automatic-capture pay, as the sandbox sends it, mapped onto the payment.
  const paid = { captureMode: 'AUTOMATIC', amount: 100n, cardBin: '411111', paymentResultInfo: { cardNo: '411111******1111', cardBrand: 'VISA' } };
  const upstream = {
    result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
    paymentId: 'up_1',
    paymentTime: '2026-12-08T01:00:00+00:00',
    paymentResultInfo: { avsResultRaw: 'Y', cvvResultRaw: 'M', networkTransactionId: 'n1', cardCategory: 'CONSUMER', funding: 'CREDIT' },
  };
  await time('mapPayOutcome: an S answer onto the payment', () => mapPayOutcome(paid as never, { kind: 'answer', body: upstream } as never), 5000);
  // The pay's INSERT shape (vault card and CVV rows, the payment's ~60 columns, its event), parts built afresh per call.
  const cols = (n: number, table: string) =>
    `INSERT INTO ${table} (${Array.from({ length: n }, (_, i) => `c${i}`).join(', ')}) VALUES (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`;
  const [card, cvv, row, ev] = [cols(8, 'vault_card'), cols(6, 'vault_cvv'), cols(60, 'payment'), cols(6, 'payment_event')];
  const vals = (n: number) => Array.from({ length: n }, (_, i) => i);
  await time(
    'withCtes: the pay INSERT (80 placeholders renumbered, text kept per shape)',
    () =>
      withCtes(
        [
          ['card', sql(`${card} RETURNING id`, vals(8))],
          ['cvv', sql(`${cvv} RETURNING id`, vals(6))],
          ['main', sql(`${row} RETURNING id`, vals(60))],
        ],
        sql(ev, vals(6)),
      ),
    5000,
  );
  // Nest's way from a handler's answer to what it sends, as its router runs it: with one interceptor that maps the
  // answer (the response signer as an interceptor, before issue 27), and with none (the signer as a plain call).
  // The signing itself is the same in both and left out (a constant string).
  const consumer = new InterceptorsConsumer();
  const responses = new RouterResponseController({} as never);
  const answer = { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' }, paymentId: 'gwp_0' };
  const signing = { intercept: (_: unknown, next: { handle: () => import('rxjs').Observable<unknown> }) => next.handle().pipe(map(() => '{}')) };
  const handler = () => Promise.resolve(answer);
  const args = [{}, {}, noop];
  const instance = {};
  await time(
    'Nest: answer through one rxjs interceptor (the signer before)',
    async () => responses.transformToResult(await consumer.intercept([signing as never], args, instance, handler, handler, 'http')),
    5000,
  );
  await time(
    'Nest: answer with no interceptor (the signer as a plain call)',
    async () => responses.transformToResult(await consumer.intercept([], args, instance, handler, () => handler().then(() => '{}'), 'http')),
    5000,
  );
}

void main();
