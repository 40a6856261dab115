import { createPublicKey, KeyObject } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { errors, MockAgent, Pool } from 'undici';

import { generateRsaKeyPair, loadPrivateKey } from '../antom/keys';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../antom/signature';
import { upstreamPayRequest } from '../antom/upstream-requests.fakes';
import { GatewayConfig } from '../config/gateway-config';
import { MetricsService } from '../platform/metrics/metrics.service';
import { AntomClient } from './antom-client';

// The HTTP layer is faked: the client's keep-alive Pool is an undici MockPool of a MockAgent (no socket).
jest.mock('undici', () => ({ ...jest.requireActual('undici'), Pool: jest.fn() }));

const ORIGIN = 'https://acquirer.example';
const gatewayKeys = generateRsaKeyPair();
const acquirerKeys = generateRsaKeyPair();
const acquirerPrivate = loadPrivateKey(acquirerKeys.privateKeyPem);
const gatewayPublic = createPublicKey(gatewayKeys.publicKeyPem);
const stranger = loadPrivateKey(generateRsaKeyPair().privateKeyPem);
const PAY = '/ams/api/v1/payments/pay';
const TIME = '2026-12-07T21:00:00+00:00';
const PAYLOAD = upstreamPayRequest({ paymentRequestId: 'r-1' });

/** The acquirer's answer, signed as Antom signs (over its path, client id, time and body). */
function signed(body: unknown, opts: { path?: string; key?: KeyObject; status?: number } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = sign({ path: opts.path ?? PAY, clientId: 'C_GW', time: TIME, body: text }, opts.key ?? acquirerPrivate);
  return {
    statusCode: opts.status ?? 200,
    data: text,
    responseOptions: { headers: { 'response-time': TIME, 'client-id': 'C_GW', signature: formatSignatureHeader(signature) } },
  };
}
const S = { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' }, paymentId: 'acq_1' };
const U = { result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', resultMessage: 'unknown' } };
const F = { result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'refused' } };

describe('AntomClient', () => {
  let agent: MockAgent;
  let client: AntomClient | undefined;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    jest.mocked(Pool).mockImplementation((origin) => agent.get(String(origin)) as unknown as Pool);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await client?.onModuleDestroy();
    client = undefined;
    await agent.close();
  });

  const setup = (config: Partial<GatewayConfig> = {}, clientId = 'C_GW') => {
    const logger = mock<Logger>();
    const metrics = mock<MetricsService>();
    Object.assign(metrics, { registry: new Registry() }); // a real registry: the client registers its gauge and counter there
    const cfg = Object.assign(new GatewayConfig(), {
      UPSTREAM_RETRIES: 2,
      UPSTREAM_RETRY_BACKOFF_MS: 1,
      UPSTREAM_TOTAL_BUDGET_MS: 60_000,
      UPSTREAM_TIMEOUT_MS: 15_000,
      UPSTREAM_BREAKER_MIN_CALLS: 1000,
      ...config,
    });
    client = new AntomClient(
      {
        baseUrl: `${ORIGIN}/some/base`,
        clientId,
        privateKey: loadPrivateKey(gatewayKeys.privateKeyPem),
        acquirerPublicKey: createPublicKey(acquirerKeys.publicKeyPem),
      },
      cfg,
      logger,
      metrics,
    );
    return { logger, metrics, client, retries: () => metrics.registry.getSingleMetric('gateway_upstream_retries_total') };
  };
  const acquirer = (path = PAY) => agent.get(ORIGIN).intercept({ path, method: 'POST' });

  it('sends the request signed with the gateway key to /ams/api/v1/<api>, and returns a verified answer', async () => {
    let sent: { headers: Record<string, string>; body: string } | undefined;
    acquirer().reply((opts) => {
      sent = { headers: opts.headers as Record<string, string>, body: String(opts.body) };
      return signed(S);
    });
    const { client, metrics } = setup();
    const payload = upstreamPayRequest({ paymentRequestId: 'r-1', paymentAmount: { currency: 'EUR', value: '1000' } });
    await expect(client.call('payments/pay', payload)).resolves.toEqual({ kind: 'answer', body: S });
    expect(JSON.parse(sent!.body)).toEqual(payload);
    expect(sent!.headers['client-id']).toBe('C_GW');
    const sig = parseSignatureHeader(sent!.headers.signature)!;
    expect(verify({ path: PAY, clientId: 'C_GW', time: sent!.headers['request-time'], body: sent!.body }, sig.signature, gatewayPublic)).toBe(true);
    expect(metrics.observeUpstream).toHaveBeenCalledWith('payments/pay', 'S', 'SUCCESS', expect.any(BigInt));
  });

  it('a sandbox client id calls the sandbox paths', async () => {
    const path = '/ams/sandbox/api/v1/payments/inquiryPayment';
    acquirer(path).reply(() => signed(S, { path }));
    const { client } = setup({}, 'SANDBOX_C_GW');
    await expect(client.call('payments/inquiryPayment', { paymentRequestId: 'r-1' })).resolves.toEqual({ kind: 'answer', body: S });
  });

  it('an F answer is final: returned, never resent', async () => {
    acquirer().reply(() => signed(F));
    const { client, retries } = setup();
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({ kind: 'answer', body: F });
    expect((await retries()!.get()).values).toEqual([]);
  });

  it('a signed U UNKNOWN_EXCEPTION is resent with the same bytes; the S that follows is the answer', async () => {
    const bodies: string[] = [];
    acquirer().reply((o) => {
      bodies.push(String(o.body));
      return signed(U);
    });
    acquirer().reply((o) => {
      bodies.push(String(o.body));
      return signed(S);
    });
    const { client, retries } = setup();
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({ kind: 'answer', body: S });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect((await retries()!.get()).values).toEqual([expect.objectContaining({ labels: { api: 'payments/pay' }, value: 1 })]);
  });

  it('U every time: returned as the answer after 1 + UPSTREAM_RETRIES attempts', async () => {
    acquirer()
      .reply(() => signed(U))
      .times(3);
    const { client } = setup({ UPSTREAM_RETRIES: 2 });
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({ kind: 'answer', body: U });
    agent.assertNoPendingInterceptors();
  });

  it.each([
    [
      'the acquirer timing out (headers timeout)',
      (i: ReturnType<typeof acquirer>) => i.replyWithError(new errors.HeadersTimeoutError()),
      /HeadersTimeoutError/,
    ],
    ['a network error', (i: ReturnType<typeof acquirer>) => i.replyWithError(new Error('connect ECONNRESET')), /ECONNRESET/],
    ['HTTP 502', (i: ReturnType<typeof acquirer>) => i.reply(502, 'bad gateway'), /^HTTP 502$/],
    ['an unsigned 200', (i: ReturnType<typeof acquirer>) => i.reply(200, JSON.stringify(S)), /signature missing or invalid/],
    ['a 200 signed by someone else', (i: ReturnType<typeof acquirer>) => i.reply(() => signed(S, { key: stranger })), /signature missing or invalid/],
    ['a signed body that is not JSON', (i: ReturnType<typeof acquirer>) => i.reply(() => signed('{not json')), /not JSON/],
  ])('%s is no answer (U), resent until the retries are spent', async (_what, answer, reason) => {
    for (let i = 0; i < 3; i++) answer(acquirer());
    const { client, logger, metrics } = setup({ UPSTREAM_RETRIES: 2 });
    const o = await client.call('payments/pay', PAYLOAD, { paymentId: 'gwp_1' });
    expect(o).toMatchObject({ kind: 'no-answer', reason: expect.stringMatching(reason) });
    expect(o.kind === 'no-answer' && o.notSent).toBeFalsy();
    agent.assertNoPendingInterceptors(); // all three attempts made
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ api: 'payments/pay', paymentId: 'gwp_1', paymentRequestId: 'r-1' }),
      'no trustworthy answer from upstream',
    );
    expect(metrics.observeUpstream).toHaveBeenCalledWith('payments/pay', 'NO_ANSWER', 'NO_ANSWER', expect.any(BigInt));
  });

  it("a network error then an S: the resend's answer wins (Antom's idempotency, one authorization)", async () => {
    acquirer().replyWithError(new Error('socket hang up'));
    acquirer().reply(() => signed(S));
    const { client } = setup();
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({ kind: 'answer', body: S });
  });

  it('an HTTP 4xx is not resent (the request will not get better)', async () => {
    acquirer().reply(400, 'bad request');
    const { client } = setup({ UPSTREAM_RETRIES: 5 });
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({ kind: 'no-answer', reason: 'HTTP 400' });
  });

  it('an answer over 2 MiB is no answer', async () => {
    acquirer()
      .reply(() => signed({ result: S.result, pad: 'x'.repeat(2 * 1024 * 1024) }))
      .times(1);
    const { client } = setup({ UPSTREAM_RETRIES: 0 });
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toMatchObject({
      kind: 'no-answer',
      reason: expect.stringMatching(/AnswerTooLargeError/),
    });
  });

  it('logs the request ids of a call without an answer, never the rest of the payload (card data)', async () => {
    acquirer().reply(500, '');
    const { client, logger } = setup({ UPSTREAM_RETRIES: 0 });
    await client.call(
      'payments/pay',
      upstreamPayRequest({
        paymentRequestId: 'r-'.padEnd(100, 'x'),
        paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { cardNo: '4111111111111111', cvv: '123' } },
      }),
    );
    const logged = JSON.stringify(logger.warn.mock.calls);
    expect(logged).not.toContain('4111111111111111');
    expect(logged).not.toContain('cvv');
    expect(logger.warn.mock.calls[0][0]).toMatchObject({ paymentId: null, paymentRequestId: 'r-'.padEnd(64, 'x') });
  });

  it('no resend starts past the total budget (fake clock: 1 s backoff, 1.5 s budget → 2 attempts, not 6)', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let sent = 0;
    acquirer()
      .reply(() => {
        sent++;
        return { statusCode: 503, data: '' };
      })
      .times(6);
    const { client } = setup({ UPSTREAM_RETRIES: 5, UPSTREAM_RETRY_BACKOFF_MS: 1000, UPSTREAM_TOTAL_BUDGET_MS: 1500 });
    let done = false;
    const call = client.call('payments/pay', PAYLOAD).finally(() => {
      done = true;
    });
    for (let i = 0; i < 10 && !done; i++) await jest.advanceTimersByTimeAsync(500);
    await expect(call).resolves.toEqual({ kind: 'no-answer', reason: 'HTTP 503' });
    expect(sent).toBe(2);
  });

  it('the circuit opens on failures: later calls fail fast, notSent, without a request and without resends', async () => {
    let sent = 0;
    acquirer()
      .reply(() => {
        sent++;
        return { statusCode: 503, data: '' };
      })
      .times(4);
    const { client, metrics } = setup({ UPSTREAM_BREAKER_MIN_CALLS: 2, UPSTREAM_RETRIES: 0, UPSTREAM_BREAKER_RESET_MS: 60_000 });
    await client.call('payments/pay', PAYLOAD);
    await client.call('payments/pay', PAYLOAD);
    expect(client.circuitState()).toBe('open');
    await expect(client.call('payments/pay', PAYLOAD)).resolves.toEqual({
      kind: 'no-answer',
      reason: expect.stringContaining('circuit open'),
      notSent: true,
    });
    expect(sent).toBe(2);
    expect(metrics.observeUpstream).toHaveBeenLastCalledWith('payments/pay', 'CIRCUIT_OPEN', 'CIRCUIT_OPEN', expect.any(BigInt));
    expect(await metrics.registry.getSingleMetric('gateway_upstream_circuit_state')!.get()).toMatchObject({
      values: [expect.objectContaining({ value: 2 })],
    });
    await expect(client.health()).resolves.toMatchObject({
      state: 'down',
      breaker: 'open',
      recentFailures: 2,
      reason: expect.stringMatching(/circuit breaker open/),
    }); // no probe
  });

  it.each([
    [200, 'up'],
    [404, 'up'],
    [503, 'down'],
  ])('health: GET /health answering %i → %s', async (status, state) => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(status, '');
    const { client } = setup();
    await expect(client.health()).resolves.toMatchObject({ state, breaker: 'closed', recentCalls: 0, recentFailures: 0 });
  });

  it('health: a network error is down', async () => {
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).replyWithError(new Error('ECONNREFUSED'));
    const { client } = setup();
    await expect(client.health()).resolves.toMatchObject({ state: 'down', reason: expect.stringMatching(/unreachable/) });
  });

  it('health: reachable, breaker closed, a call failed in the window → degraded with the count', async () => {
    acquirer().reply(503, '');
    agent.get(ORIGIN).intercept({ path: '/health', method: 'GET' }).reply(200, '');
    const { client } = setup({ UPSTREAM_RETRIES: 0 });
    await client.call('payments/pay', PAYLOAD);
    await expect(client.health()).resolves.toEqual({
      state: 'degraded',
      breaker: 'closed',
      recentCalls: 1,
      recentFailures: 1,
      reason: '1 of 1 acquirer calls got no trustworthy answer in the last 10 s',
    });
  });
});
