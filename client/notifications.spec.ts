import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import Fastify from 'fastify';
import { formatSignatureHeader, sign } from '../src/antom/signature';
import { NOTIFY_ACK_BODY as GATEWAY_ACK } from '../src/antom/notify-ack';
import { NOTIFY_ACK_BODY, NotificationHandler } from './notifications';
import type { Notification } from './wire-types';

/*
 * The notification handler on real HTTP servers (node:http, an Express-shaped stack, Fastify), fed
 * notifications signed by the gateway's own signature code, as its delivery worker signs them.
 */
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const notice = JSON.stringify({ notifyType: 'PAYMENT_RESULT', result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' }, paymentId: 'gwp_1', paymentRequestId: 'pr-1' });

function signedHeaders(path: string, body: string, key = gateway.privateKey, clientId = 'MERCHANT_1'): Record<string, string> {
  const time = new Date().toISOString();
  return { 'content-type': 'application/json; charset=UTF-8', 'client-id': clientId, 'request-time': time, signature: formatSignatureHeader(sign({ path, clientId, time, body }, key)) };
}

async function deliver(url: string, path: string, body: string, headers = signedHeaders(path, body)): Promise<{ status: number; body: string }> {
  const res = await fetch(url + path, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

function handler(received: Notification[], onNotification?: (n: Notification) => void): NotificationHandler {
  return new NotificationHandler({ serverPublicKey: gateway.publicKey, clientId: 'MERCHANT_1', onNotification: (n) => { onNotification?.(n); received.push(n); } });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

describe('NotificationHandler on node:http', () => {
  const received: Notification[] = [];
  let fail = false;
  const server = http.createServer(handler(received, () => { if (fail) throw new Error('database down'); }).nodeListener());
  let url = '';
  beforeAll(async () => { url = await listen(server); });
  afterAll(() => close(server));
  beforeEach(() => { received.length = 0; fail = false; });

  it('acks a verified notification with exactly the body Antom expects, after handing it on parsed', async () => {
    expect(NOTIFY_ACK_BODY).toBe(GATEWAY_ACK);
    expect(await deliver(url, '/notify?shop=1', notice)).toEqual({ status: 200, body: GATEWAY_ACK });
    expect(received).toEqual([JSON.parse(notice)]);
  });

  it('verifies before it parses: a mis-signed body is refused unread, even when it is not JSON', async () => {
    const bad = await deliver(url, '/notify', '{not json', signedHeaders('/notify', '{not json', stranger.privateKey));
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body).result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    // Signed, the same bytes get as far as the parser.
    expect((await deliver(url, '/notify', '{not json')).status).toBe(400);
    expect(received).toEqual([]);
  });

  it('refuses a signature over another path, another body or another client, and an unsigned delivery', async () => {
    expect((await deliver(url, '/notify', notice, signedHeaders('/elsewhere', notice))).status).toBe(401);
    expect((await deliver(url, '/notify', notice.replace('gwp_1', 'gwp_2'), signedHeaders('/notify', notice))).status).toBe(401);
    expect((await deliver(url, '/notify', notice, signedHeaders('/notify', notice, gateway.privateKey, 'MERCHANT_2'))).status).toBe(401);
    expect((await deliver(url, '/notify', notice, { 'content-type': 'application/json' })).status).toBe(401);
    expect(received).toEqual([]);
  });

  it('does not ack what it failed to process, so the sender resends it', async () => {
    fail = true;
    const r = await deliver(url, '/notify', notice);
    expect(r.status).toBe(500);
    expect(r.body).not.toBe(NOTIFY_ACK_BODY);
  });
});

describe('NotificationHandler under Express-style middleware', () => {
  // Express's req is node's IncomingMessage plus originalUrl (a mounted router rewrites req.url) and the body
  // parsers' req.body. Express itself is not a dependency here: these servers do what its middleware does.
  const received: Notification[] = [];
  const listener = handler(received).nodeListener();
  type ExpressReq = http.IncomingMessage & { originalUrl?: string; body?: unknown };
  const server = http.createServer((req: ExpressReq, res) => {
    const chunks: Buffer[] = [];
    if (req.url!.startsWith('/hooks/')) {
      // app.use('/hooks', router): the router sees /antom, originalUrl keeps /hooks/antom.
      req.originalUrl = req.url;
      req.url = req.url!.slice('/hooks'.length);
      return listener(req, res);
    }
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      req.body = req.url === '/raw' ? raw : JSON.parse(raw.toString('utf8')); // express.raw() / express.json()
      listener(req, res);
    });
  });
  let url = '';
  beforeAll(async () => { url = await listen(server); });
  afterAll(() => close(server));
  beforeEach(() => { received.length = 0; });

  it('verifies the whole path of a mounted router (originalUrl)', async () => {
    expect(await deliver(url, '/hooks/antom', notice)).toEqual({ status: 200, body: NOTIFY_ACK_BODY });
    expect(received).toHaveLength(1);
  });

  it('takes the raw Buffer of express.raw()', async () => {
    expect((await deliver(url, '/raw', notice)).status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('refuses a body express.json() already parsed (its bytes are gone), without acking', async () => {
    const r = await deliver(url, '/json', notice);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body).result.resultMessage).toMatch(/before the JSON parser/);
    expect(received).toEqual([]);
  });
});

describe('NotificationHandler on Fastify', () => {
  it('as a plugin: its own raw-body parser for its route, the app\'s JSON parser elsewhere untouched', async () => {
    const received: Notification[] = [];
    const app = Fastify();
    app.post('/orders', async (req) => ({ got: req.body }));
    await app.register(handler(received).fastifyPlugin('/antom/notify'));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await deliver(url, '/antom/notify', notice)).toEqual({ status: 200, body: NOTIFY_ACK_BODY });
      expect((await deliver(url, '/antom/notify', notice, signedHeaders('/antom/notify', notice, stranger.privateKey))).status).toBe(401);
      expect(received).toEqual([JSON.parse(notice)]);
      const other = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(await other.json()).toEqual({ got: { a: 1 } });
    } finally {
      await app.close();
    }
  });

  it('as a route handler on a route whose parser keeps the Buffer', async () => {
    const received: Notification[] = [];
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post('/notify', handler(received).fastifyRoute());
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await deliver(url, '/notify', notice)).status).toBe(200);
      expect(received).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
