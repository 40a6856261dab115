/**
 * The floor `npm run bench` measures the gateway against: the least any Antom gateway must do in front of
 * the same acquirer, with no database, no vault and no validation. Per pay: verify the merchant's signature,
 * point the acquirer's notifications at itself (so the body is parsed and re-serialised once, as any gateway
 * must), sign and forward, verify the acquirer's answer, sign it back to the merchant. Per notification from
 * the acquirer: verify it, sign and forward it to the merchant's URL (carried, stateless, in the notify URL's
 * query), check the merchant's ack, ack the acquirer. Its own process (node:http, undici as the gateway's
 * upstream client), keys parsed once. Input: BENCH_PROXY_SPEC (JSON ProxySpec); prints "ready" when listening.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import * as http from 'node:http';

import { Pool } from 'undici';

import { loadPrivateKey, loadPublicKey } from '../src/antom/keys';
import { NOTIFY_ACK_BODY } from '../src/antom/notify-ack';
import { formatResponseTime } from '../src/antom/request-time';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../src/antom/signature';

export interface ProxySpec {
  port: number;
  /** The acquirer (the bundled sandbox) and the gateway's credentials at it. */
  upstreamUrl: string;
  upstreamClientId: string;
  upstreamPrivateKeyPem: string;
  acquirerPublicKeyPem: string;
  /** The one merchant: its client id and (the bench knows it) its private key, whose public half verifies it. */
  merchantClientId: string;
  merchantPrivateKeyPem: string;
}

const MERCHANT_PAY = '/ams/api/v1/payments/pay';
const UPSTREAM_PAY = '/ams/sandbox/api/v1/payments/pay';
const NOTIFY = '/notify';

const spec = JSON.parse(process.env.BENCH_PROXY_SPEC ?? '{}') as ProxySpec;
const keys = {
  upstream: loadPrivateKey(spec.upstreamPrivateKeyPem),
  acquirer: loadPublicKey(spec.acquirerPublicKeyPem),
  merchant: createPublicKey(loadPrivateKey(spec.merchantPrivateKeyPem)),
  // The gateway signs its answers and notifications with a key of its own; so does the proxy.
  own: loadPrivateKey(spec.upstreamPrivateKeyPem),
};
const upstream = new Pool(spec.upstreamUrl, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
const merchantPools = new Map<string, Pool>();
const self = `http://127.0.0.1:${spec.port}`;

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function verified(req: http.IncomingMessage, body: Buffer, clientId: string, key: KeyObject): boolean {
  const sig = parseSignatureHeader(header(req, 'signature'));
  const time = header(req, 'request-time');
  return !!sig && !!time && header(req, 'client-id') === clientId && verify({ path: req.url ?? '/', clientId, time, body }, sig.signature, key);
}

function signedHeaders(path: string, clientId: string, body: string | Buffer, key: KeyObject, timeHeader: 'request-time' | 'response-time') {
  const time = formatResponseTime();
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    [timeHeader]: time,
    signature: formatSignatureHeader(sign({ path, clientId, time, body }, key)),
  };
}

async function pay(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
  if (!verified(req, raw, spec.merchantClientId, keys.merchant)) return void res.writeHead(401).end();
  const body = JSON.parse(raw.toString('utf8'));
  body.paymentNotifyUrl = `${self}${NOTIFY}?to=${encodeURIComponent(String(body.paymentNotifyUrl ?? ''))}`;
  const out = JSON.stringify(body);
  const answer = await upstream.request({
    method: 'POST',
    path: UPSTREAM_PAY,
    body: out,
    headers: signedHeaders(UPSTREAM_PAY, spec.upstreamClientId, out, keys.upstream, 'request-time'),
  });
  const answerRaw = Buffer.from(await answer.body.arrayBuffer());
  const sig = parseSignatureHeader(String(answer.headers.signature ?? ''));
  const time = String(answer.headers['response-time'] ?? '');
  if (
    answer.statusCode !== 200 ||
    !sig ||
    !verify({ path: UPSTREAM_PAY, clientId: spec.upstreamClientId, time, body: answerRaw }, sig.signature, keys.acquirer)
  ) {
    return void res.writeHead(502).end();
  }
  res.writeHead(200, signedHeaders(MERCHANT_PAY, spec.merchantClientId, answerRaw, keys.own, 'response-time')).end(answerRaw);
}

async function notify(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
  if (!verified(req, raw, spec.upstreamClientId, keys.acquirer)) return void res.writeHead(401).end();
  const to = new URL(new URL(req.url ?? '/', self).searchParams.get('to') ?? '');
  let pool = merchantPools.get(to.origin);
  if (!pool) merchantPools.set(to.origin, (pool = new Pool(to.origin, { connections: 64, keepAliveTimeout: 30_000 })));
  const path = to.pathname + to.search;
  const ack = await pool.request({
    method: 'POST',
    path,
    body: raw,
    headers: signedHeaders(path, spec.merchantClientId, raw, keys.own, 'request-time'),
  });
  const ackBody = await ack.body.text();
  // Not acknowledged by the merchant: not acknowledged to the acquirer either, so it sends again.
  if (ack.statusCode !== 200 || !ackBody.includes('"resultStatus":"S"')) return void res.writeHead(502).end();
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(NOTIFY_ACK_BODY);
}

const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  readBody(req)
    .then((raw) => {
      if (req.url === MERCHANT_PAY) return pay(req, res, raw);
      if (req.url?.startsWith(`${NOTIFY}?`)) return notify(req, res, raw);
      res.writeHead(req.url === '/health' ? 200 : 404).end();
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
});
server.listen(spec.port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  void upstream.close();
  for (const p of merchantPools.values()) void p.close();
  setTimeout(() => process.exit(0), 500).unref();
});
