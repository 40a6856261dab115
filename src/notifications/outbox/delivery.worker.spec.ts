import { createPublicKey } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';
import { Agent, MockAgent } from 'undici';

import { generateRsaKeyPair, loadPrivateKey } from '../../antom/keys';
import { parseSignatureHeader, verify } from '../../antom/signature';
import { GatewayConfig } from '../../config/gateway-config';
import { GatewaySigningKey } from '../../platform/gateway-signing-key';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { NotificationDeliveryWorker } from './delivery.worker';
import { notifyTargetAgent } from './notify-target-guard';
import { ClaimedNotification, DeliveryRecord, OutboxRepository } from './outbox.repository';

// The HTTP layer is faked: every delivery goes through the guarded agent, which here is an undici MockAgent.
jest.mock('./notify-target-guard', () => ({ ...jest.requireActual('./notify-target-guard'), notifyTargetAgent: jest.fn() }));

const keys = generateRsaKeyPair();
const signingKey = new GatewaySigningKey(loadPrivateKey(keys.privateKeyPem), keys.publicKeyPem);
const ACK = JSON.stringify({ result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } });

const claimed = (over: Partial<ClaimedNotification> = {}): ClaimedNotification => ({
  id: 'n-1',
  payment_id: 'p-1',
  notify_type: 'PAYMENT_RESULT',
  url: 'https://shop.example/notify?key=merchant-secret',
  body: JSON.stringify({ notifyType: 'PAYMENT_RESULT', paymentId: 'gwp_abc', result: { resultStatus: 'S' } }),
  attempts: 1,
  client_id: 'C_SHOP',
  ...over,
});

describe('NotificationDeliveryWorker', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    jest.mocked(notifyTargetAgent).mockReturnValue(agent as unknown as Agent); // same dispatcher interface
  });
  afterEach(() => agent.close().catch(() => undefined)); // already closed by the shutdown test

  const setup = (batches: ClaimedNotification[][], config: Partial<GatewayConfig> = {}) => {
    const notices = mock<OutboxRepository>();
    const metrics = mock<MetricsService>();
    const logger = mock<Logger>();
    const written: DeliveryRecord[] = [];
    for (const b of batches) notices.claimDue.mockResolvedValueOnce(b);
    notices.claimDue.mockResolvedValue([]);
    notices.recordDeliveries.mockImplementation(async (r) => {
      written.push(...r);
    });
    const cfg = Object.assign(new GatewayConfig(), {
      WORKERS_ENABLED: false,
      NOTIFY_PRIVATE_HOSTS: 'deny',
      NOTIFY_TIME_SCALE: 1,
      NOTIFY_LEASE_SECONDS: 60,
      ...config,
    });
    const worker = new NotificationDeliveryWorker(notices, signingKey, cfg, logger, metrics);
    return { notices, metrics, logger, written, worker };
  };
  const shop = () => agent.get('https://shop.example');

  it('delivers a notice signed the way Antom signs, and records it DELIVERED on the ack', async () => {
    let seen: { headers: Record<string, string>; body: string } | undefined;
    shop()
      .intercept({ path: '/notify?key=merchant-secret', method: 'POST' })
      .reply((opts) => {
        seen = { headers: opts.headers as Record<string, string>, body: String(opts.body) };
        return { statusCode: 200, data: ACK };
      });
    const n = claimed();
    const { written, metrics, logger, notices, worker } = setup([[n]]);
    await expect(worker.deliverDue()).resolves.toBe(1);
    expect(notices.claimDue).toHaveBeenCalledWith(60, 32);
    expect(seen!.body).toBe(n.body);
    expect(seen!.headers['client-id']).toBe('C_SHOP');
    const sig = parseSignatureHeader(seen!.headers.signature)!;
    expect(
      verify(
        { path: '/notify?key=merchant-secret', clientId: 'C_SHOP', time: seen!.headers['request-time'], body: n.body },
        sig.signature,
        createPublicKey(keys.publicKeyPem),
      ),
    ).toBe(true);
    expect(written).toEqual([
      expect.objectContaining({
        id: 'n-1',
        paymentId: 'p-1',
        status: 'DELIVERED',
        delayMs: 0,
        error: null,
        attempt: 1,
        httpStatus: 200,
        outcome: 'ACKED',
      }),
    ]);
    expect(JSON.parse(written[0].detail)).toEqual({ notifyType: 'PAYMENT_RESULT', attempt: 1, of: 8, httpStatus: 200, final: 'DELIVERED' });
    expect(metrics.countDelivery).toHaveBeenCalledWith('ACKED', false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each([
    ["a 200 without Antom's ack", 200, '{"ok":true}'],
    ['a 200 with an F ack', 200, JSON.stringify({ result: { resultStatus: 'F', resultCode: 'SUCCESS' } })],
    ['a 200 that is not JSON', 200, 'SUCCESS'],
    ['a 500', 500, ACK],
  ])("%s is REJECTED and retried on Antom's schedule (attempt 2 in 2 min)", async (_what, status, data) => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(status, data);
    const { written, metrics, worker } = setup([[claimed()]]);
    await worker.deliverDue();
    expect(written[0]).toMatchObject({
      status: 'PENDING',
      outcome: 'REJECTED',
      httpStatus: status,
      delayMs: 120_000,
      error: 'no Antom ack in the answer',
    });
    expect(metrics.countDelivery).toHaveBeenCalledWith('REJECTED', false);
  });

  it('the retry delay follows NOTIFY_TIME_SCALE and the attempt number', async () => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(503, '');
    const { written, worker } = setup([[claimed({ attempts: 4 })]], { NOTIFY_TIME_SCALE: 0.001 });
    await worker.deliverDue();
    expect(written[0]).toMatchObject({ status: 'PENDING', delayMs: 3600 }); // attempt 5: 1 h × 0.001
  });

  it('a network error is an ERROR outcome with its error name, retried', async () => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).replyWithError(new Error('socket hang up'));
    const { written, metrics, worker } = setup([[claimed()]]);
    await worker.deliverDue();
    expect(written[0]).toMatchObject({ status: 'PENDING', outcome: 'ERROR', httpStatus: null, error: expect.stringContaining('socket hang up') });
    expect(metrics.countDelivery).toHaveBeenCalledWith('ERROR', false);
  });

  it("an answer past 16 KiB is cut and recorded as this attempt's error", async () => {
    shop()
      .intercept({ path: '/notify?key=merchant-secret', method: 'POST' })
      .reply(200, 'x'.repeat(17 * 1024));
    const { written, worker } = setup([[claimed()]]);
    await worker.deliverDue();
    expect(written[0]).toMatchObject({ outcome: 'ERROR', status: 'PENDING', error: expect.stringMatching(/^AnswerTooLargeError/) });
  });

  it('gives up after the 8th attempt: FAILED, counted as given up, logged with gaveUp', async () => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(500, '');
    const { written, metrics, logger, worker } = setup([[claimed({ attempts: 8 })]]);
    await worker.deliverDue();
    expect(written[0]).toMatchObject({ status: 'FAILED', delayMs: 0, attempt: 8 });
    expect(JSON.parse(written[0].detail)).toMatchObject({ attempt: 8, of: 8, final: 'FAILED' });
    expect(metrics.countDelivery).toHaveBeenCalledWith('REJECTED', true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ gaveUp: true, nextAttemptInMs: null, attempt: 8 }),
      'merchant notification delivery failed',
    );
  });

  it('a failure is logged with the merchant-facing payment id, never the URL nor the body', async () => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(500, '');
    const { logger, worker } = setup([[claimed()]]);
    await worker.deliverDue();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ paymentId: 'gwp_abc', clientId: 'C_SHOP', outcome: 'REJECTED', httpStatus: 500 }),
      expect.any(String),
    );
    const logged = JSON.stringify(logger.warn.mock.calls);
    expect(logged).not.toContain('merchant-secret');
    expect(logged).not.toContain('resultStatus');
  });

  it.each([
    ['a vaulting notice: its vaultingRequestId', { payment_id: null, body: JSON.stringify({ vaultingRequestId: 'vr-9' }) }, 'vr-9'],
    ["a body that is not JSON: the row's payment", { body: 'garbage' }, 'p-1'],
    ["an id that does not look like one: the row's payment", { body: JSON.stringify({ paymentId: 'x y<script>' }) }, 'p-1'],
    ['no payment and no JSON: the row id', { payment_id: null, body: '[' }, 'n-1'],
  ])('names %s in the failure log', async (_what, over, expected) => {
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(500, '');
    const { logger, worker } = setup([[claimed(over)]]);
    await worker.deliverDue();
    expect(logger.warn.mock.calls[0][0]).toMatchObject({ paymentId: expected });
  });

  it.each([
    ['a link-local (metadata) address', 'http://169.254.169.254/latest/meta-data'],
    ['a loopback address when only public ones may be reached', 'http://127.0.0.1:9/notify'],
    ['something that is not a URL', 'not a url'],
  ])('never sends to %s: ERROR, retried', async (_what, url) => {
    const { written, worker } = setup([[claimed({ url })]]);
    await worker.deliverDue();
    expect(written[0]).toMatchObject({ outcome: 'ERROR', status: 'PENDING', httpStatus: null });
    agent.assertNoPendingInterceptors();
  });

  it('claims again at once after a full batch of 32, and stops on a short one', async () => {
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => claimed({ id: `n-${from + i}`, payment_id: `p-${from + i}` }));
    shop().intercept({ path: '/notify?key=merchant-secret', method: 'POST' }).reply(200, ACK).times(35);
    const { written, notices, worker } = setup([batch(32, 0), batch(3, 32)]);
    await expect(worker.deliverDue()).resolves.toBe(35);
    expect(notices.claimDue).toHaveBeenCalledTimes(2);
    expect(new Set(written.map((w) => w.id)).size).toBe(35);
    expect(notices.recordDeliveries.mock.calls.length).toBeLessThan(35); // coalesced writes
  });

  it('delivers nothing when nothing is due', async () => {
    const { notices, worker } = setup([]);
    await expect(worker.deliverDue()).resolves.toBe(0);
    expect(notices.recordDeliveries).not.toHaveBeenCalled();
  });

  it('exposes the backlog as scrape-time gauges', async () => {
    const { notices, metrics } = setup([]);
    notices.backlog.mockResolvedValue({ pending: 7, oldestSeconds: 42 });
    const gauges = Object.fromEntries(metrics.gaugeOnScrape.mock.calls.map(([name, , read]) => [name, read]));
    await expect(gauges.gateway_notification_backlog()).resolves.toBe(7);
    await expect(gauges.gateway_notification_oldest_pending_seconds()).resolves.toBe(42);
  });

  it('starts polling only when workers are enabled; closes its agent at shutdown', async () => {
    const off = setup([]);
    const start = jest.spyOn(off.worker.worker, 'start');
    off.worker.onApplicationBootstrap();
    expect(start).not.toHaveBeenCalled();
    const on = setup([], { WORKERS_ENABLED: true });
    const startOn = jest.spyOn(on.worker.worker, 'start').mockImplementation(() => undefined);
    on.worker.onApplicationBootstrap();
    expect(startOn).toHaveBeenCalledTimes(1);
    const close = jest.spyOn(agent, 'close');
    await on.worker.onModuleDestroy();
    expect(close).toHaveBeenCalled();
  });
});
