import { createPublicKey, KeyObject } from 'node:crypto';

import { FastifyReply, FastifyRequest } from 'fastify';
import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { generateRsaKeyPair, loadPrivateKey } from '../antom/keys';
import { parseSignatureHeader, verify } from '../antom/signature';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { MetricsService } from '../platform/metrics/metrics.service';
import { ResponseSigner } from './response-signer';

const NOW = new Date('2026-03-01T10:00:00.000Z');
let privateKey: KeyObject;
let publicKey: KeyObject;

beforeAll(() => {
  privateKey = loadPrivateKey(generateRsaKeyPair().privateKeyPem);
  publicKey = createPublicKey(privateKey);
});

/** A reply that records what was set on it, chainable like Fastify's. */
function aReply(elapsedTime = 12.345) {
  const headers: Record<string, string> = {};
  const reply = {
    statusCode: 0,
    contentType: '',
    elapsedTime,
    headers,
    status(code: number) {
      reply.statusCode = code;
      return reply;
    },
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
    type(t: string) {
      reply.contentType = t;
      return reply;
    },
  };
  return reply;
}

function aRequest(over: Record<string, unknown> = {}) {
  return {
    url: '/ams/api/v1/payments/pay',
    headers: { 'client-id': 'SHOP_1' },
    routeOptions: { url: '/ams/api/v1/payments/pay' },
    ...over,
  } as unknown as FastifyRequest;
}

function setup() {
  const metrics = mock<MetricsService>();
  const logger = mock<Logger>();
  return { metrics, logger, signer: new ResponseSigner(new GatewaySigningKey(privateKey, ''), metrics, logger) };
}

describe('ResponseSigner', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('answers 200 with the body as JSON, signed like Antom over POST, the path, the client id and the response time', async () => {
    const { signer } = setup();
    const reply = aReply();
    const body = {
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
      paymentId: 'gwp_1',
      paymentAmount: { currency: 'EUR', value: '1000' },
    };
    const json = signer.send(aRequest(), reply as unknown as FastifyReply, body);
    expect(JSON.parse(json)).toEqual(body);
    expect(reply.statusCode).toBe(200);
    expect(reply.contentType).toBe('application/json; charset=UTF-8');
    expect(reply.headers['client-id']).toBe('SHOP_1');
    expect(reply.headers['response-time']).toBe('2026-03-01T10:00:00.000+00:00');
    const sig = parseSignatureHeader(reply.headers.signature)!;
    expect(reply.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=/);
    expect(
      verify(
        { method: 'POST', path: '/ams/api/v1/payments/pay', clientId: 'SHOP_1', time: '2026-03-01T10:00:00.000+00:00', body: json },
        sig.signature,
        publicKey,
      ),
    ).toBe(true);
    expect(
      verify(
        { method: 'POST', path: '/ams/api/v1/payments/pay', clientId: 'SHOP_2', time: '2026-03-01T10:00:00.000+00:00', body: json },
        sig.signature,
        publicKey,
      ),
    ).toBe(false);
  });

  it('signs the origin-form path even when the request line was absolute-form', async () => {
    const { signer } = setup();
    const reply = aReply();
    const json = signer.send(aRequest({ url: 'https://gw.example/ams/api/v1/payments/inquiryPayment?x=1' }), reply as unknown as FastifyReply, {
      result: { resultStatus: 'S' },
    });
    const sig = parseSignatureHeader(reply.headers.signature)!;
    expect(
      verify(
        { path: '/ams/api/v1/payments/inquiryPayment?x=1', clientId: 'SHOP_1', time: reply.headers['response-time'], body: json },
        sig.signature,
        publicKey,
      ),
    ).toBe(true);
  });

  it('no Client-Id on the request (a refusal for it): echoes an empty one, still signed', async () => {
    const { signer } = setup();
    const reply = aReply();
    const json = signer.send(aRequest({ headers: {} }), reply as unknown as FastifyReply, {
      result: { resultStatus: 'F', resultCode: 'INVALID_CLIENT' },
    });
    expect(reply.headers['client-id']).toBe('');
    expect(
      verify(
        { path: '/ams/api/v1/payments/pay', clientId: '', time: reply.headers['response-time'], body: json },
        parseSignatureHeader(reply.headers.signature)!.signature,
        publicKey,
      ),
    ).toBe(true);
  });

  describe('one sample and one log line per request', () => {
    it('the API from the matched route, the result, the duration; the merchant once authenticated; the payment id', async () => {
      const { signer, metrics, logger } = setup();
      const req = aRequest({ merchant: { clientId: 'SHOP_1' }, antomBody: { paymentId: 'gwp_req' } });
      signer.send(req, aReply(12.345) as unknown as FastifyReply, { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentId: 'gwp_1' });
      expect(metrics.countRequest).toHaveBeenCalledWith('payments/pay', 'S', 'SUCCESS', 0.012345);
      expect(logger.info).toHaveBeenCalledWith(
        { api: 'payments/pay', clientId: 'SHOP_1', paymentId: 'gwp_1', resultStatus: 'S', resultCode: 'SUCCESS', durationMs: 12.3 },
        'merchant request',
      );
    });

    it.each([
      ['/ams/sandbox/api/v1/payments/capture', 'payments/capture'],
      ['/v1/payments/refund', 'payments/refund'],
      [undefined, 'unknown'],
      ['/health', 'unknown'],
    ])('route %j counts as %j', async (route, api) => {
      const { signer, metrics } = setup();
      signer.send(aRequest({ routeOptions: { url: route } }), aReply() as unknown as FastifyReply, {
        result: { resultStatus: 'F', resultCode: 'NO_INTERFACE_DEF' },
      });
      expect(metrics.countRequest.mock.calls[0][0]).toBe(api);
    });

    it('an answer without a result is MISSING; a code is cut at 64 characters', async () => {
      const { signer, metrics } = setup();
      signer.send(aRequest(), aReply() as unknown as FastifyReply, {});
      signer.send(aRequest(), aReply() as unknown as FastifyReply, { result: { resultStatus: 7, resultCode: 'X'.repeat(100) } });
      expect(metrics.countRequest.mock.calls.map((c) => [c[1], c[2]])).toEqual([
        ['MISSING', 'MISSING'],
        ['MISSING', 'X'.repeat(64)],
      ]);
    });

    it("an unauthenticated request logs no client id; the payment id falls back to the request's, only when well-formed", async () => {
      const { signer, logger } = setup();
      signer.send(aRequest({ antomBody: { paymentId: 'gwp_from_request' } }), aReply() as unknown as FastifyReply, { result: { resultStatus: 'S' } });
      signer.send(aRequest({ antomBody: { paymentId: 'not a payment id; DROP' } }), aReply() as unknown as FastifyReply, {
        result: { resultStatus: 'S' },
        paymentId: 'x'.repeat(65),
      });
      expect(
        logger.info.mock.calls.map(([line]) => [(line as Record<string, unknown>).clientId, (line as Record<string, unknown>).paymentId]),
      ).toEqual([
        [null, 'gwp_from_request'],
        [null, null],
      ]);
    });

    it('nothing else of the request or answer reaches the log line or a label (no card data)', async () => {
      const { signer, logger, metrics } = setup();
      const card = { cardNo: '4111111111111111', cvv: '737', cardholderName: 'Ada Lovelace' };
      signer.send(aRequest({ antomBody: { paymentMethod: card } }), aReply() as unknown as FastifyReply, {
        result: { resultStatus: 'S' },
        paymentResultInfo: card,
      });
      const logged = JSON.stringify([logger.info.mock.calls, metrics.countRequest.mock.calls]);
      for (const v of Object.values(card)) expect(logged).not.toContain(v);
    });
  });
});
