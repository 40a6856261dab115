import { generateKeyPairSync, KeyObject } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

import type { RefundRequestDto } from '../../../src/antom/requests/lifecycle.dto';
import type { PayRequestDto } from '../../../src/antom/requests/pay.dto';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../../../src/antom/signature';
import { AntomClient } from './antom-client';
import type { PayRequest, RefundRequest } from './wire-types';

/*
 * The client against a real HTTP server that plays the gateway (or Antom): it checks each request's
 * signature with the gateway's own code and answers as told, signed, unsigned, mis-signed, late or not at all.
 */
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  signatureValid: boolean;
}
type Behaviour = (req: Seen, res: http.ServerResponse) => void;

let behaviours: Behaviour[] = [];
const seen: Seen[] = [];
let httpServer: http.Server;
let baseUrl = '';

function answer(
  body: object,
  opts: { key?: KeyObject; clientId?: string; unsigned?: boolean; status?: number; noClientIdHeader?: boolean; time?: string } = {},
): Behaviour {
  return (req, res) => {
    const raw = JSON.stringify(body);
    const clientId = opts.clientId ?? String(req.headers['client-id']);
    const time = opts.time ?? new Date().toISOString();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'response-time': time };
    if (!opts.noClientIdHeader) headers['client-id'] = clientId;
    if (!opts.unsigned) headers.signature = formatSignatureHeader(sign({ path: req.path, clientId, time, body: raw }, opts.key ?? server.privateKey));
    res.writeHead(opts.status ?? 200, headers).end(raw);
  };
}
const drop: Behaviour = (_req, res) => res.socket?.destroy();
const hang: Behaviour = () => undefined;
const ok = (extra: object = {}) =>
  answer({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' }, paymentId: 'gwp_1', ...extra });

beforeAll(async () => {
  httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sig = parseSignatureHeader(req.headers.signature as string | undefined);
      const s: Seen = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        signatureValid:
          !!sig &&
          verify(
            { path: req.url ?? '', clientId: String(req.headers['client-id']), time: String(req.headers['request-time']), body: raw },
            sig.signature,
            merchant.publicKey,
          ),
      };
      seen.push(s);
      (behaviours.shift() ?? ok())(s, res);
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  httpServer.closeAllConnections();
  await new Promise((r) => httpServer.close(r));
});
beforeEach(() => {
  behaviours = [];
  seen.length = 0;
});

const clients: AntomClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));
function client(opts: Partial<ConstructorParameters<typeof AntomClient>[0]> = {}): AntomClient {
  const c = new AntomClient({
    baseUrl,
    clientId: 'MERCHANT_1',
    privateKey: merchant.privateKey,
    serverPublicKey: server.publicKey,
    retryBackoffMs: 10,
    timeoutMs: 2000,
    ...opts,
  });
  clients.push(c);
  return c;
}

const eur = (value: string) => ({ currency: 'EUR', value });
const payRequest: PayRequest = {
  paymentRequestId: 'pr-1',
  paymentAmount: eur('1999'),
  order: { referenceOrderId: 'o-1', orderDescription: 'Order', orderAmount: eur('1999') },
  paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { cardToken: 'tok' } },
  paymentRedirectUrl: 'https://shop.example/return',
};

describe('AntomClient: signed requests, verified answers', () => {
  it("signs each request as Antom does, on Antom's path, with productCode filled in", async () => {
    const r = await client().pay(payRequest);
    expect(r.status).toBe('S');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ path: '/ams/api/v1/payments/pay', signatureValid: true });
    expect(seen[0].headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(seen[0].raw)).toMatchObject({ productCode: 'CASHIER_PAYMENT', paymentRequestId: 'pr-1' });
  });

  it("uses the SDKs' sandbox path for a SANDBOX_ client id, and any prefix it is given", async () => {
    await client({ clientId: 'SANDBOX_ABC' }).inquiryPayment({ paymentId: 'gwp_1' });
    await client({ pathPrefix: '/v1' }).capture({ captureRequestId: 'c-1', paymentId: 'gwp_1', captureAmount: eur('1') });
    expect(seen.map((s) => [s.path, s.signatureValid])).toEqual([
      ['/ams/sandbox/api/v1/payments/inquiryPayment', true],
      ['/v1/payments/capture', true],
    ]);
  });

  it("verifies over the client id it sent, as Antom's SDKs do, when the answer does not echo it", async () => {
    behaviours = [answer({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' } }, { noClientIdHeader: true })];
    expect((await client().inquiryPayment({ paymentId: 'gwp_1' })).status).toBe('S');
  });

  it('S, F and U come apart on status, with the code and message of the answer', async () => {
    behaviours = [
      ok(),
      answer({ result: { resultCode: 'DO_NOT_HONOR', resultStatus: 'F', resultMessage: 'Declined.' }, paymentId: 'gwp_2' }),
      answer({ result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'In process.' }, normalUrl: 'https://3ds.example/x' }),
    ];
    const c = client();
    const s = await c.pay(payRequest);
    const f = await c.pay({ ...payRequest, paymentRequestId: 'pr-2' });
    const u = await c.pay({ ...payRequest, paymentRequestId: 'pr-3' });
    expect(s).toMatchObject({ status: 'S', code: 'SUCCESS', answer: { paymentId: 'gwp_1' } });
    expect(f).toMatchObject({ status: 'F', code: 'DO_NOT_HONOR', message: 'Declined.', answer: { paymentId: 'gwp_2' } });
    expect(u).toMatchObject({
      status: 'U',
      code: 'PAYMENT_IN_PROCESS',
      cause: 'ANSWERED',
      requestId: 'pr-3',
      answer: { normalUrl: 'https://3ds.example/x' },
    });
    expect(seen).toHaveLength(3); // a U answer is an answer: not resent
  });

  it.each([
    [
      'unsigned',
      answer({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' } }, { unsigned: true }),
      'without a valid signature',
    ],
    [
      'signed with another key',
      answer({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' } }, { key: stranger.privateKey }),
      'without a valid signature',
    ],
    [
      'for another client-id',
      answer({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' } }, { clientId: 'OTHER' }),
      'another client-id',
    ],
    ['HTTP 502 from a proxy', answer({ error: 'bad gateway' }, { unsigned: true, status: 502 }), 'HTTP 502'],
    ['signed but without a result', answer({ paymentId: 'gwp_1' }), 'without a result'],
  ])('refuses an answer %s: resends the same request, then U NO_ANSWER', async (_name, bad, why) => {
    behaviours = [bad, bad, bad];
    const r = await client({ retries: 2 }).refund({ refundRequestId: 'rf-1', paymentId: 'gwp_1', refundAmount: eur('100') });
    expect(r.status).toBe('U');
    if (r.status !== 'U') return;
    expect(r).toMatchObject({ code: 'NO_ANSWER', cause: 'NO_ANSWER', requestId: 'rf-1' });
    expect(r.answer).toBeUndefined();
    expect(r.attempts).toHaveLength(3);
    expect(r.attempts!.every((a) => a.includes(why))).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it('a lost answer is resent with the same body bytes and request id, newly signed; the answer then counts', async () => {
    behaviours = [drop, ok()];
    const r = await client().pay(payRequest);
    expect(r.status).toBe('S');
    expect(seen).toHaveLength(2);
    expect(seen[1].raw).toBe(seen[0].raw);
    expect(JSON.parse(seen[1].raw).paymentRequestId).toBe('pr-1');
    expect(seen.every((s) => s.signatureValid)).toBe(true);
  });

  it('an answer that does not come within timeoutMs is no answer: resent', async () => {
    behaviours = [hang, ok()];
    const r = await client({ timeoutMs: 300 }).pay(payRequest);
    expect(r.status).toBe('S');
    expect(seen).toHaveLength(2);
  });

  it('an answer cut off half-way, or stalled after its headers, is no answer: resent', async () => {
    const cut: Behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"result":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const stall: Behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":');
    };
    behaviours = [cut, stall, ok()];
    const r = await client({ timeoutMs: 300 }).pay({ ...payRequest, productCode: undefined });
    expect(r.status).toBe('S');
    expect(seen).toHaveLength(3);
    expect(JSON.parse(seen[2].raw).productCode).toBe('CASHIER_PAYMENT');
  });

  it('the resends are bounded: retries + 1 attempts, then U with the request id to retry with', async () => {
    behaviours = [drop, drop, drop, drop, drop];
    const r = await client({ retries: 3 }).capture({ captureRequestId: 'c-9', paymentId: 'gwp_1', captureAmount: eur('5') });
    expect(r).toMatchObject({ status: 'U', cause: 'NO_ANSWER', requestId: 'c-9' });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.raw)).size).toBe(1);
  });

  it('nobody listening is no answer too (bounded, no throw)', async () => {
    const r = await client({ baseUrl: 'http://127.0.0.1:1', retries: 1 }).inquiryRefund({ refundRequestId: 'rf-1' });
    expect(r).toMatchObject({ status: 'U', cause: 'NO_ANSWER' });
    if (r.status === 'U') expect(r.attempts![0]).toMatch(/ECONNREFUSED/);
  });
});

/*
 * A man in the middle holds no key: it can only pass on, drop, or serve in place of the gateway's answer one
 * the gateway signed, an earlier answer it recorded, or a refusal the gateway signs for anyone who sends
 * junk with the merchant's Client-Id. None of these may reach the caller as S or F.
 */
describe('AntomClient: answers bound to their request (issue 23)', () => {
  /** The gateway's signed answer to an earlier request, recorded (headers and bytes) to be served again later. */
  function recorded(path: string, body: object, time = new Date().toISOString()): Behaviour {
    const raw = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      'client-id': 'MERCHANT_1',
      'response-time': time,
      signature: formatSignatureHeader(sign({ path, clientId: 'MERCHANT_1', time, body: raw }, server.privateKey)),
    };
    return (_req, res) => res.writeHead(200, headers).end(raw);
  }
  const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' };
  const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

  it.each([
    [
      'pay: an earlier S for another paymentRequestId',
      'payments/pay',
      { paymentRequestId: 'pr-0', paymentId: 'gwp_0' },
      (c: AntomClient) => c.pay(payRequest),
      { paymentRequestId: 'pr-1', paymentId: 'gwp_1' },
    ],
    [
      'capture: another captureRequestId',
      'payments/capture',
      { captureRequestId: 'c-0', paymentId: 'gwp_1', captureId: 'gwc_0' },
      (c: AntomClient) => c.capture({ captureRequestId: 'c-1', paymentId: 'gwp_1', captureAmount: eur('5') }),
      { captureRequestId: 'c-1', paymentId: 'gwp_1' },
    ],
    [
      "capture: another payment's paymentId",
      'payments/capture',
      { captureRequestId: 'c-1', paymentId: 'gwp_0' },
      (c: AntomClient) => c.capture({ captureRequestId: 'c-1', paymentId: 'gwp_1', captureAmount: eur('5') }),
      { captureRequestId: 'c-1', paymentId: 'gwp_1' },
    ],
    [
      'refund: another refundRequestId',
      'payments/refund',
      { refundRequestId: 'rf-0', paymentId: 'gwp_1', refundId: 'gwr_0' },
      (c: AntomClient) => c.refund({ refundRequestId: 'rf-1', paymentId: 'gwp_1', refundAmount: eur('100') }),
      { refundRequestId: 'rf-1', paymentId: 'gwp_1' },
    ],
    [
      'inquiryPayment: another paymentId',
      'payments/inquiryPayment',
      { paymentRequestId: 'pr-0', paymentId: 'gwp_0', paymentStatus: 'FAIL' },
      (c: AntomClient) => c.inquiryPayment({ paymentId: 'gwp_1' }),
      { paymentId: 'gwp_1', paymentStatus: 'SUCCESS' },
    ],
    [
      'inquiryPayment: another paymentRequestId',
      'payments/inquiryPayment',
      { paymentRequestId: 'pr-0', paymentStatus: 'FAIL' },
      (c: AntomClient) => c.inquiryPayment({ paymentRequestId: 'pr-1' }),
      { paymentRequestId: 'pr-1', paymentStatus: 'SUCCESS' },
    ],
    [
      'cancel: another paymentRequestId',
      'payments/cancel',
      { paymentRequestId: 'pr-0', paymentId: 'gwp_0' },
      (c: AntomClient) => c.cancel({ paymentRequestId: 'pr-1' }),
      { paymentRequestId: 'pr-1', paymentId: 'gwp_1' },
    ],
    [
      'inquiryRefund: another refundRequestId',
      'payments/inquiryRefund',
      { refundRequestId: 'rf-0', refundStatus: 'FAIL' },
      (c: AntomClient) => c.inquiryRefund({ refundRequestId: 'rf-1' }),
      { refundRequestId: 'rf-1', refundStatus: 'SUCCESS' },
    ],
  ])(
    '%s, replayed by a man in the middle, is no answer: resent with the same id, the genuine answer counts',
    async (_name, api, earlier, call, genuine) => {
      behaviours = [recorded(`/ams/api/v1/${api}`, { result: S, ...earlier }), answer({ result: S, ...genuine })];
      const r = await call(client());
      expect(r).toMatchObject({ status: 'S', answer: genuine });
      expect(seen).toHaveLength(2);
      expect(seen[1].raw).toBe(seen[0].raw);
    },
  );

  it('an earlier answer for another id, served on every attempt, ends as U NO_ANSWER naming the mismatch, never S or F', async () => {
    const replay = recorded('/ams/api/v1/payments/pay', {
      result: { resultCode: 'DO_NOT_HONOR', resultStatus: 'F', resultMessage: 'Declined.' },
      paymentRequestId: 'pr-0',
      paymentId: 'gwp_0',
    });
    behaviours = [replay, replay, replay];
    const r = await client({ retries: 2 }).pay(payRequest);
    expect(r).toMatchObject({ status: 'U', cause: 'NO_ANSWER', code: 'NO_ANSWER', requestId: 'pr-1' });
    if (r.status !== 'U') return;
    expect(r.answer).toBeUndefined();
    expect(r.attempts).toEqual(Array(3).fill("answer for another paymentRequestId (not this request's)"));
  });

  it('an answer that echoes none of the ids binds by its Response-Time alone: fresh, it counts', async () => {
    behaviours = [answer({ result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'Illegal parameters.' } })];
    expect(await client().pay(payRequest)).toMatchObject({ status: 'F', code: 'PARAM_ILLEGAL' });
  });

  it.each([
    ['INVALID_SIGNATURE', 'F'],
    ['KEY_NOT_FOUND', 'F'],
    ['INVALID_CLIENT', 'F'],
    ['ACCESS_DENIED', 'F'],
    ['REQUEST_TRAFFIC_EXCEED_LIMIT', 'U'],
    ['REQUEST_TIME_EXPIRED', 'F'],
    ['MEDIA_TYPE_NOT_ACCEPTABLE', 'F'],
    ['NO_INTERFACE_DEF', 'F'],
  ])(
    'a signed transport refusal %s (%s), as anyone with the Client-Id can get one, is resent and ends U NOT_DELIVERED, never F',
    async (code, status) => {
      // The payment went through upstream; the man in the middle answers with the gateway's signed refusal of its own junk request.
      const refusal = answer({ result: { resultCode: code, resultStatus: status, resultMessage: 'Refused.' } });
      behaviours = [refusal, refusal, refusal];
      const r = await client({ retries: 2 }).pay(payRequest);
      expect(r.status).toBe('U');
      if (r.status !== 'U') return;
      expect(r).toMatchObject({ cause: 'NOT_DELIVERED', code, requestId: 'pr-1' });
      expect(r.message).toMatch(/^Refused\. \(a transport refusal/);
      expect(r.answer).toBeUndefined();
      expect(r.attempts).toHaveLength(3);
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((s) => s.raw)).size).toBe(1);
    },
  );

  it('a transport refusal, then the genuine answer: the answer counts', async () => {
    behaviours = [
      answer({ result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'The signature is invalid.' } }),
      ok({ paymentRequestId: 'pr-1' }),
    ];
    expect(await client().pay(payRequest)).toMatchObject({ status: 'S', answer: { paymentId: 'gwp_1' } });
    expect(seen).toHaveLength(2);
  });

  it('NOT_DELIVERED only when the last attempt was refused; a refusal then silence is NO_ANSWER', async () => {
    behaviours = [answer({ result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'x' } }), drop];
    const r = await client({ retries: 1 }).refund({ refundRequestId: 'rf-1', paymentId: 'gwp_1', refundAmount: eur('100') });
    expect(r).toMatchObject({ status: 'U', cause: 'NO_ANSWER', code: 'NO_ANSWER', requestId: 'rf-1' });
  });

  it.each([
    ['six minutes old', minutes(-6)],
    ['six minutes ahead', minutes(6)],
    ['a day old, as epoch milliseconds', String(Date.now() - 86_400_000)],
    ['unreadable', 'yesterday'],
    ['a local time without offset', minutes(-1).replace(/Z$/, '')],
  ])('a signed answer whose Response-Time is %s is a replay: resent, then U NO_ANSWER', async (_name, time) => {
    const stale = answer({ result: S, paymentRequestId: 'pr-1', paymentId: 'gwp_1' }, { time });
    behaviours = [stale, stale];
    const r = await client({ retries: 1 }).pay(payRequest);
    expect(r).toMatchObject({ status: 'U', cause: 'NO_ANSWER' });
    if (r.status === 'U') expect(r.attempts!.every((a) => a.startsWith('answer with a stale Response-Time'))).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it.each([
    ['four minutes old, ISO with +00:00', minutes(-4).replace(/Z$/, '+00:00')],
    ['four minutes ahead, ISO with +08:00', new Date(Date.now() + 4 * 60_000 + 8 * 3_600_000).toISOString().replace(/Z$/, '+08:00')],
    ['now, as epoch milliseconds', String(Date.now())],
  ])('a Response-Time %s is within the default five-minute window', async (_name, time) => {
    behaviours = [answer({ result: S, paymentRequestId: 'pr-1' }, { time })];
    expect((await client().pay(payRequest)).status).toBe('S');
  });

  it('the window is a setting: a narrower one refuses what the default takes; Infinity turns it off', async () => {
    behaviours = [answer({ result: S }, { time: minutes(-2) })];
    expect(await client({ responseTimeWindowMs: 60_000, retries: 0 }).inquiryPayment({ paymentId: 'gwp_1' })).toMatchObject({
      status: 'U',
      cause: 'NO_ANSWER',
    });
    behaviours = [answer({ result: S }, { time: minutes(-600) })];
    expect((await client({ responseTimeWindowMs: Infinity }).inquiryPayment({ paymentId: 'gwp_1' })).status).toBe('S');
    expect(() => client({ responseTimeWindowMs: 0 })).toThrow(/responseTimeWindowMs/);
  });
});

describe('AntomClient: types', () => {
  it("the request types are the gateway's validation classes, and a result must be narrowed before use", async () => {
    // Compile-time checks (npm run typecheck): each line below would fail to compile if the types drifted.
    const asDto: PayRequestDto = { ...payRequest, productCode: 'CASHIER_PAYMENT' };
    const refundDto: RefundRequestDto = { refundRequestId: 'r', paymentId: 'p', refundAmount: eur('1') } satisfies RefundRequest;
    // @ts-expect-error amounts are strings of minor units, as the gateway validates them
    const badAmount: PayRequest = { ...payRequest, paymentAmount: { currency: 'EUR', value: 1999 } };
    // @ts-expect-error refunds are not split by detail here (the gateway refuses refundDetails)
    const badRefund: RefundRequest = { ...refundDto, refundDetails: [] };
    const r = await client().pay(payRequest);
    if (r.status === 'U') {
      // @ts-expect-error the causes are a closed set
      const cause: 'ANSWERED' | 'NO_ANSWER' = r.cause;
      void cause;
    }
    // @ts-expect-error a U may carry no answer: narrow on status first
    void r.answer.paymentId;
    if (r.status === 'S') expect(r.answer.paymentId).toBe('gwp_1');
    expect([asDto, refundDto, badAmount, badRefund]).toHaveLength(4);
  });
});
