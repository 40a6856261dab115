import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

import Fastify from 'fastify';

import { disputeNotice } from '../../../src/acquirer-answers/merchant-notices';
import { NOTIFY_ACK_BODY as GATEWAY_ACK } from '../../../src/antom/notify-ack';
import { formatSignatureHeader, sign } from '../../../src/antom/signature';
import type { Dispute } from '../../../src/payments/disputes.repository';
import type { Payment } from '../../../src/payments/payment.entity';
import type { Vaulting } from '../../../src/vaulting/vaulting.repository';
import { vaultingNotice } from '../../../src/vaulting/vaulting-views';
import type { NotificationMeta } from './notifications';
import { NotificationHandler, notificationKind, NOTIFY_ACK_BODY } from './notifications';
import type { Notification, NotificationKind } from './wire-types';

/*
 * The notification handler on real HTTP servers (node:http, an Express-shaped stack, Fastify), fed
 * notifications signed by the gateway's own signature code, as its delivery worker signs them.
 */
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const notice = JSON.stringify({
  notifyType: 'PAYMENT_RESULT',
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
  paymentId: 'gwp_1',
  paymentRequestId: 'pr-1',
});

function signedHeaders(
  path: string,
  body: string,
  key = gateway.privateKey,
  clientId = 'MERCHANT_1',
  time = new Date().toISOString(),
): Record<string, string> {
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': time,
    signature: formatSignatureHeader(sign({ path, clientId, time, body }, key)),
  };
}

async function deliver(url: string, path: string, body: string, headers = signedHeaders(path, body)): Promise<{ status: number; body: string }> {
  const res = await fetch(url + path, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

function handler(received: Notification[], onNotification?: (n: Notification) => void): NotificationHandler {
  return new NotificationHandler({
    serverPublicKey: gateway.publicKey,
    clientId: 'MERCHANT_1',
    onNotification: (n) => {
      onNotification?.(n);
      received.push(n);
    },
  });
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
  const server = http.createServer(
    handler(received, () => {
      if (fail) throw new Error('database down');
    }).nodeListener(),
  );
  let url = '';
  beforeAll(async () => {
    url = await listen(server);
  });
  afterAll(() => close(server));
  beforeEach(() => {
    received.length = 0;
    fail = false;
  });

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
  beforeAll(async () => {
    url = await listen(server);
  });
  afterAll(() => close(server));
  beforeEach(() => {
    received.length = 0;
  });

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
  it("as a plugin: its own raw-body parser for its route, the app's JSON parser elsewhere untouched", async () => {
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

/*
 * Every notification the gateway (and Antom) sends is acked, including the two without a notifyType; a
 * replayed delivery, whose signed Request-Time is old, is not (issue 23).
 */
describe('NotificationHandler: every kind of notification, no replays', () => {
  const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' };
  // The two without notifyType, built by the gateway's own code as its delivery worker sends them.
  const vaulting = JSON.stringify(
    vaultingNotice({
      vaultingRequestId: 'v-1',
      createdAt: new Date('2026-01-02T03:04:05Z'),
      completedAt: new Date('2026-01-02T03:05:05Z'),
      paymentMethodDetail: {
        paymentMethodDetailType: 'CARD',
        paymentMethodType: 'CARD',
        card: { cardToken: 'tok_1', brand: 'VISA', bin: '411111', lastFour: '1111', maskedCardNo: '411111******1111' },
      },
    } as unknown as Vaulting),
  );
  const dispute = JSON.stringify(
    disputeNotice(
      {
        id: 'p-uuid',
        merchantId: 'm-1',
        paymentId: 'gwp_1',
        paymentRequestId: 'pr-1',
        paymentNotifyUrl: 'https://shop.example/notify',
      } as unknown as Payment,
      { id: 'd-uuid', disputeId: 'gwd_1' } as unknown as Dispute,
      {
        disputeNotificationType: 'DISPUTE_CREATED',
        disputeAmount: { currency: 'EUR', value: '1999' },
        disputeTime: '2026-01-02T03:04:05+00:00',
        defendable: true,
      },
      'gwc_1',
      'dispute-1',
    ).payload,
  );
  const bodies: Array<[NotificationKind, string]> = [
    ['PAYMENT_RESULT', notice],
    ['PAYMENT_PENDING', JSON.stringify({ notifyType: 'PAYMENT_PENDING', result: S, paymentRequestId: 'pr-1', paymentId: 'gwp_1' })],
    [
      'CAPTURE_RESULT',
      JSON.stringify({
        notifyType: 'CAPTURE_RESULT',
        result: S,
        captureRequestId: 'c-1',
        captureId: 'gwc_1',
        paymentId: 'gwp_1',
        captureAmount: { currency: 'EUR', value: '1999' },
      }),
    ],
    [
      'UPDATE_AMOUNT_RESULT',
      JSON.stringify({
        notifyType: 'UPDATE_AMOUNT_RESULT',
        result: S,
        paymentRequestId: 'pr-1',
        paymentId: 'gwp_1',
        updateRequestId: 'u-1',
        paymentAmount: { currency: 'EUR', value: '2999' },
      }),
    ],
    [
      'REFUND_RESULT',
      JSON.stringify({
        notifyType: 'REFUND_RESULT',
        refundStatus: 'SUCCESS',
        result: S,
        refundRequestId: 'rf-1',
        refundId: 'gwr_1',
        paymentId: 'gwp_1',
        refundAmount: { currency: 'EUR', value: '100' },
      }),
    ],
    ['VAULTING_RESULT', vaulting],
    ['DISPUTE', dispute],
  ];

  const got: Array<{ n: Notification; meta: NotificationMeta }> = [];
  const unrecognised: Array<Record<string, unknown>> = [];
  const h = new NotificationHandler({
    serverPublicKey: gateway.publicKey,
    clientId: 'MERCHANT_1',
    onNotification: (n, meta) => void got.push({ n, meta }),
  });
  const withHook = new NotificationHandler({
    serverPublicKey: gateway.publicKey,
    onNotification: (n, meta) => void got.push({ n, meta }),
    onUnrecognised: (b) => void unrecognised.push(b),
  });
  const server = http.createServer(h.nodeListener());
  let url = '';
  beforeAll(async () => {
    url = await listen(server);
  });
  afterAll(() => close(server));
  beforeEach(() => {
    got.length = 0;
    unrecognised.length = 0;
  });
  const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

  it("the gateway's notifyVaulting and notifyDispute really have no notifyType", () => {
    expect(JSON.parse(vaulting)).not.toHaveProperty('notifyType');
    expect(JSON.parse(dispute)).not.toHaveProperty('notifyType');
    expect(JSON.parse(dispute)).not.toHaveProperty('result');
  });

  it.each(bodies)('acks %s over HTTP and hands it on, named', async (kind, body) => {
    expect(await deliver(url, '/notify', body)).toEqual({ status: 200, body: NOTIFY_ACK_BODY });
    expect(got).toHaveLength(1);
    expect(got[0].n).toEqual(JSON.parse(body));
    expect(got[0].meta.kind).toBe(kind);
    expect(notificationKind(JSON.parse(body))).toBe(kind);
  });

  it('the union narrows on notifyType, and then on vaultingRequestId / disputeId', async () => {
    for (const [, body] of bodies) await deliver(url, '/notify', body);
    const seen = got.map(({ n }) => {
      if (n.notifyType === 'PAYMENT_RESULT') return `pay ${n.paymentRequestId}`;
      if (n.notifyType === 'REFUND_RESULT') return `refund ${n.refundRequestId} ${n.refundStatus}`;
      if (n.notifyType === undefined && n.vaultingRequestId !== undefined)
        return `vaulting ${n.vaultingRequestId} ${n.paymentMethodDetail?.card?.cardToken}`;
      if (n.notifyType === undefined && n.disputeId !== undefined) return `dispute ${n.disputeId} ${n.disputeNotificationType}`;
      return n.notifyType;
    });
    expect(seen).toEqual([
      'pay pr-1',
      'PAYMENT_PENDING',
      'CAPTURE_RESULT',
      'UPDATE_AMOUNT_RESULT',
      'refund rf-1 SUCCESS',
      'vaulting v-1 tok_1',
      'dispute gwd_1 DISPUTE_CREATED',
    ]);
  });

  it.each([
    ['a replay of a delivery signed ten minutes ago', minutes(-10)],
    ['a delivery dated ten minutes ahead', minutes(10)],
    ['a delivery signed yesterday, epoch milliseconds', String(Date.now() - 86_400_000)],
    ['an unreadable Request-Time', 'now'],
  ])('refuses %s: 401 REQUEST_TIME_EXPIRED, not acked, not handed on', async (_name, time) => {
    for (const [, body] of [bodies[0], bodies[5]]) {
      const r = await deliver(url, '/notify', body, signedHeaders('/notify', body, gateway.privateKey, 'MERCHANT_1', time));
      expect(r.status).toBe(401);
      expect(r.body).not.toBe(NOTIFY_ACK_BODY);
      expect(JSON.parse(r.body).result).toMatchObject({ resultStatus: 'F', resultCode: 'REQUEST_TIME_EXPIRED' });
    }
    expect(got).toEqual([]);
  });

  it("takes Request-Times within the window in every SDK's format; the window is a setting", async () => {
    for (const time of [
      minutes(-4).replace(/Z$/, '+00:00'),
      String(Date.now() - 60_000),
      new Date(Date.now() + 8 * 3_600_000).toISOString().replace(/Z$/, '+0800'),
    ]) {
      expect((await deliver(url, '/notify', notice, signedHeaders('/notify', notice, gateway.privateKey, 'MERCHANT_1', time))).status).toBe(200);
    }
    const headers = signedHeaders('/notify', notice, gateway.privateKey, 'MERCHANT_1', minutes(-2));
    const narrow = new NotificationHandler({ serverPublicKey: gateway.publicKey, requestTimeWindowMs: 60_000, onNotification: () => undefined });
    expect((await narrow.handle('/notify', headers, Buffer.from(notice))).status).toBe(401);
    const off = new NotificationHandler({ serverPublicKey: gateway.publicKey, requestTimeWindowMs: Infinity, onNotification: () => undefined });
    const old = signedHeaders('/notify', notice, gateway.privateKey, 'MERCHANT_1', minutes(-600));
    expect((await off.handle('/notify', old, Buffer.from(notice))).status).toBe(200);
    expect(() => new NotificationHandler({ serverPublicKey: gateway.publicKey, requestTimeWindowMs: -1, onNotification: () => undefined })).toThrow(
      /requestTimeWindowMs/,
    );
  });

  it('a signed notification of an unknown kind is not acked (400), unless onUnrecognised takes it', async () => {
    for (const body of [JSON.stringify({ notifyType: 'OFFLINE_PAYMENT_CODE', result: S }), JSON.stringify({ result: S, something: 'else' })]) {
      const refused = await h.handle('/notify', signedHeaders('/notify', body), Buffer.from(body));
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).result.resultCode).toBe('PARAM_ILLEGAL');
      expect(await withHook.handle('/notify', signedHeaders('/notify', body), Buffer.from(body))).toEqual({ status: 200, body: NOTIFY_ACK_BODY });
    }
    expect(got).toEqual([]);
    expect(unrecognised.map((b) => b.notifyType ?? b.something)).toEqual(['OFFLINE_PAYMENT_CODE', 'else']);
    const array = '[1]';
    expect((await h.handle('/notify', signedHeaders('/notify', array), Buffer.from(array))).status).toBe(400);
  });
});
