import { KeyObject } from 'node:crypto';

import { ExecutionContext } from '@nestjs/common';
import { mock } from 'jest-mock-extended';

import { AntomError } from '../antom/antom-error';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey } from '../antom/keys';
import { formatSignatureHeader, sign } from '../antom/signature';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity, MerchantsService } from '../merchants/merchants.service';
import { AuthenticatedRequest, isAuthenticated, MerchantAuthGuard } from './merchant-auth.guard';
import { MerchantRateLimiter } from './merchant-rate-limiter';

const NOW = Date.UTC(2026, 2, 1, 10, 0, 0);
const PATH = '/ams/api/v1/payments/pay';
const BODY = '{"paymentRequestId":"req_1","paymentAmount":{"currency":"EUR","value":"1000"},"order":null}';
const BAD_SIGNATURE = 'The signature does not match the request (check Client-Id, keyVersion and the key pair).';
let key1: KeyObject;
let key2: KeyObject;
let merchant: MerchantIdentity;

beforeAll(() => {
  const [a, b] = [generateRsaKeyPair(), generateRsaKeyPair()];
  key1 = loadPrivateKey(a.privateKeyPem);
  key2 = loadPrivateKey(b.privateKeyPem);
  merchant = {
    id: 'm-1',
    clientId: 'SHOP_1',
    status: 'ACTIVE',
    notifyUrl: null,
    latestKeyVersion: 2,
    avsPolicy: 'ACCEPT',
    keys: new Map([
      [1, loadPublicKey(a.publicKeyPem)],
      [2, loadPublicKey(b.publicKeyPem)],
    ]),
  };
});

interface Case {
  clientId?: string | string[] | null;
  time?: string | null;
  body?: string;
  url?: string;
  /** The key that signs, the keyVersion written in the header (null: none written), or the whole header. */
  signWith?: KeyObject;
  keyVersion?: string | null;
  signature?: string | null;
  signedPath?: string;
  found?: MerchantIdentity | null;
  allowed?: boolean;
}

async function check(c: Case = {}) {
  const merchants = mock<MerchantsService>();
  const limiter = mock<MerchantRateLimiter>();
  merchants.findByClientId.mockResolvedValue(c.found === undefined ? merchant : c.found);
  limiter.take.mockReturnValue(c.allowed ?? true);
  const time = c.time === undefined ? String(NOW) : c.time;
  const body = c.body ?? BODY;
  const clientId = c.clientId === undefined ? 'SHOP_1' : c.clientId;
  const sig = sign(
    { method: 'POST', path: c.signedPath ?? PATH, clientId: Array.isArray(clientId) ? clientId[0] : (clientId ?? ''), time: time ?? '', body },
    c.signWith ?? key2,
  );
  const signature =
    c.signature !== undefined
      ? c.signature
      : c.keyVersion === null
        ? `algorithm=RSA256,signature=${sig}`
        : formatSignatureHeader(sig, c.keyVersion ?? '2');
  const headers: Record<string, unknown> = {};
  if (clientId !== null) headers['client-id'] = clientId;
  if (time !== null) headers['request-time'] = time;
  if (signature !== null) headers.signature = signature;
  const req = { method: 'POST', url: c.url ?? PATH, headers, body: Buffer.from(body, 'utf8') } as unknown as AuthenticatedRequest;
  const ctx = mock<ExecutionContext>();
  ctx.switchToHttp.mockReturnValue({ getRequest: () => req } as never);
  const guard = new MerchantAuthGuard(merchants, { REQUEST_TIME_WINDOW_SECONDS: 300 } as GatewayConfig, limiter);
  const result = await guard.canActivate(ctx).then(
    () => 'passed',
    (e: unknown) => {
      if (!(e instanceof AntomError)) throw e;
      return `${e.result.resultCode} (${e.result.resultStatus}): ${e.message}`;
    },
  );
  return { result, req, limiter, merchants };
}

describe('MerchantAuthGuard', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('a correctly signed request: passes, marked authenticated, the body parsed (null members dropped)', async () => {
    const { result, req, limiter, merchants } = await check();
    expect(result).toBe('passed');
    expect(merchants.findByClientId).toHaveBeenCalledWith('SHOP_1');
    expect(req.merchant).toBe(merchant);
    expect(isAuthenticated(req)).toBe(true);
    expect(req.antomBody).toEqual({ paymentRequestId: 'req_1', paymentAmount: { currency: 'EUR', value: '1000' } });
    expect(limiter.take).toHaveBeenCalledWith('m-1');
  });

  it("no keyVersion: the merchant's latest key; an older version named: that key", async () => {
    expect((await check({ keyVersion: null, signWith: key2 })).result).toBe('passed');
    expect((await check({ keyVersion: null, signWith: key1 })).result).toBe(`INVALID_SIGNATURE (F): ${BAD_SIGNATURE}`);
    expect((await check({ keyVersion: '1', signWith: key1 })).result).toBe('passed');
  });

  it('signed over the origin-form path though the request line was absolute-form (Python SDK)', async () => {
    expect((await check({ url: `https://gateway.example${PATH}` })).result).toBe('passed');
  });

  it('a repeated Client-Id header: the first counts', async () => {
    expect((await check({ clientId: ['SHOP_1', 'OTHER'] })).result).toBe('passed');
  });

  describe('refused with an Antom result (never 4xx)', () => {
    it('no Client-Id', async () => {
      const { result, merchants } = await check({ clientId: null });
      expect(result).toBe('INVALID_CLIENT (F): Client-Id header is missing.');
      expect(merchants.findByClientId).not.toHaveBeenCalled();
    });

    it.each([[null], ['algorithm=RSA256'], ['algorithm=HS256,signature=abc'], ['garbage']])('signature header %j', async (signature) => {
      expect((await check({ signature })).result).toBe('INVALID_SIGNATURE (F): Signature header is missing or malformed.');
    });

    it('no Request-Time (the signature covers it)', async () => {
      expect((await check({ time: null })).result).toBe('INVALID_SIGNATURE (F): Request-Time header is missing; the signature covers it.');
    });

    it('unknown Client-Id, unknown or malformed keyVersion, a wrong key, another path: one indistinguishable answer', async () => {
      const answers = await Promise.all([
        check({ found: null }),
        check({ keyVersion: '3' }),
        check({ keyVersion: '1.0' }),
        check({ keyVersion: '+2' }),
        check({ signWith: key1 }),
        check({ url: '/ams/api/v1/payments/capture' }),
        check({ signedPath: '/ams/sandbox/api/v1/payments/pay' }),
      ]);
      for (const a of answers) {
        expect(a.result).toBe(`INVALID_SIGNATURE (F): ${BAD_SIGNATURE}`);
        expect(isAuthenticated(a.req)).toBe(false);
        expect(a.limiter.take).not.toHaveBeenCalled();
      }
    });

    it('a body changed after signing is refused before it is parsed', async () => {
      const merchants = mock<MerchantsService>();
      merchants.findByClientId.mockResolvedValue(merchant);
      const signed = sign({ path: PATH, clientId: 'SHOP_1', time: String(NOW), body: BODY }, key2);
      const req = {
        method: 'POST',
        url: PATH,
        headers: { 'client-id': 'SHOP_1', 'request-time': String(NOW), signature: formatSignatureHeader(signed, '2') },
        body: Buffer.from('{"x":1}'),
      } as unknown as AuthenticatedRequest;
      const ctx = mock<ExecutionContext>();
      ctx.switchToHttp.mockReturnValue({ getRequest: () => req } as never);
      await expect(
        new MerchantAuthGuard(merchants, { REQUEST_TIME_WINDOW_SECONDS: 300 } as GatewayConfig, mock<MerchantRateLimiter>()).canActivate(ctx),
      ).rejects.toThrow(BAD_SIGNATURE);
      expect(req.antomBody).toBeUndefined();
    });

    it('a suspended merchant learns it only with a valid signature', async () => {
      const suspended = { ...merchant, status: 'SUSPENDED' };
      expect((await check({ found: suspended })).result).toBe('INVALID_CLIENT (F): This Client-Id is not active.');
      expect((await check({ found: suspended, signWith: key1 })).result).toBe(`INVALID_SIGNATURE (F): ${BAD_SIGNATURE}`);
    });

    it('Request-Time: exactly 300 s either way passes; one millisecond more is expired', async () => {
      expect((await check({ time: String(NOW - 300_000) })).result).toBe('passed');
      expect((await check({ time: String(NOW + 300_000) })).result).toBe('passed');
      expect((await check({ time: String(NOW - 300_001) })).result).toBe('REQUEST_TIME_EXPIRED (F): Request-Time is outside the 300 s window.');
      expect((await check({ time: String(NOW + 300_001) })).result).toMatch(/^REQUEST_TIME_EXPIRED/);
    });

    it("Request-Time in the SDKs' formats; an unreadable one is PARAM_ILLEGAL", async () => {
      expect((await check({ time: '2026-03-01T10:00:00+00:00' })).result).toBe('passed');
      expect((await check({ time: String(NOW / 1000) })).result).toBe('passed');
      expect((await check({ time: '2026-03-01T10:00:00' })).result).toBe('PARAM_ILLEGAL (F): Request-Time is not a valid time.');
    });

    it("over the merchant's rate: REQUEST_TRAFFIC_EXCEED_LIMIT, U (retry with the same request id), after the signature", async () => {
      expect((await check({ allowed: false })).result).toBe(
        'REQUEST_TRAFFIC_EXCEED_LIMIT (U): Too many requests for this merchant; retry later with the same request id.',
      );
    });

    it.each([
      ['not JSON', '{"a":', 'The request body is not valid JSON.'],
      ['empty', '', 'The request body is not valid JSON.'],
      ['an array', '[1]', 'The request body must be a JSON object.'],
      ['a string', '"x"', 'The request body must be a JSON object.'],
      ['null', 'null', 'The request body must be a JSON object.'],
    ])('a signed body that is %s: PARAM_ILLEGAL', async (_what, body, message) => {
      expect((await check({ body })).result).toBe(`PARAM_ILLEGAL (F): ${message}`);
    });

    it('a repeated member name is refused, whichever value JSON.parse kept', async () => {
      expect((await check({ body: '{"paymentRequestId":"a","paymentRequestId":"b"}' })).result).toMatch(/^PARAM_ILLEGAL \(F\): .*paymentRequestId/);
    });
  });
});
