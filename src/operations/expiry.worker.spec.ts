import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { result } from '../antom/wire/answers.fakes';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity, MerchantsService } from '../merchants/merchants.service';
import { DueAuthorization, PaymentsRepository } from '../payments/payments.repository';
import { CaptureService } from './capture.service';
import { AuthorizationExpiryWorker } from './expiry.worker';

const merchant: MerchantIdentity = {
  id: 'm-1',
  clientId: 'C_1',
  status: 'ACTIVE',
  notifyUrl: null,
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};
const due = (over: Partial<DueAuthorization>): DueAuthorization => ({
  merchant_id: 'm-1',
  payment_id: 'gwp_1',
  status: 'AUTHORIZED',
  currency: 'EUR',
  remaining: '1000',
  policy: 'CAPTURE',
  ...over,
});

describe('AuthorizationExpiryWorker', () => {
  const setup = (rows: DueAuthorization[], config: Partial<GatewayConfig> = {}) => {
    const payments = mock<PaymentsRepository>();
    const lifecycle = mock<CaptureService>();
    const merchants = mock<MerchantsService>();
    const logger = mock<Logger>();
    const cfg = Object.assign(new GatewayConfig(), { AUTH_EXPIRY_LEAD_SECONDS: 1800, WORKERS_ENABLED: false, ...config });
    payments.dueForExpiryPolicy.mockResolvedValue(rows);
    merchants.findById.mockResolvedValue(merchant);
    lifecycle.capture.mockResolvedValue({ result: result('S') });
    lifecycle.cancel.mockResolvedValue({ result: result('S') });
    return { payments, lifecycle, merchants, logger, worker: new AuthorizationExpiryWorker(payments, lifecycle, merchants, cfg, logger) };
  };

  it('CAPTURE: captures the remainder as the last capture, with a deterministic request id', async () => {
    const { payments, lifecycle, logger, worker } = setup([due({ remaining: '123456789012345678901' })]);
    await worker.tick();
    expect(payments.dueForExpiryPolicy).toHaveBeenCalledWith(1800);
    expect(lifecycle.capture).toHaveBeenCalledWith(merchant, {
      captureRequestId: 'expiry_gwp_1',
      paymentId: 'gwp_1',
      captureAmount: { currency: 'EUR', value: '123456789012345678901' },
      isLastCapture: true,
    });
    expect(lifecycle.cancel).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith({ paymentId: 'gwp_1', policy: 'CAPTURE', ok: true }, 'authorization expiry policy applied');
  });

  it('CAPTURE with nothing left to capture: cancels instead', async () => {
    const { lifecycle, worker } = setup([due({ remaining: '0' })]);
    await worker.tick();
    expect(lifecycle.cancel).toHaveBeenCalledWith(merchant, { paymentId: 'gwp_1' });
    expect(lifecycle.capture).not.toHaveBeenCalled();
  });

  it('VOID on an authorization: cancels the hold', async () => {
    const { lifecycle, worker } = setup([due({ policy: 'VOID' })]);
    await worker.tick();
    expect(lifecycle.cancel).toHaveBeenCalledWith(merchant, { paymentId: 'gwp_1' });
  });

  it('VOID after a partial capture: leaves it to the acquirer (nothing upstream can void the rest)', async () => {
    const { lifecycle, merchants, worker } = setup([due({ policy: 'VOID', status: 'PARTIALLY_CAPTURED' })]);
    await worker.tick();
    expect(merchants.findById).not.toHaveBeenCalled();
    expect(lifecycle.cancel).not.toHaveBeenCalled();
    expect(lifecycle.capture).not.toHaveBeenCalled();
  });

  it('a payment of a merchant no longer known is skipped', async () => {
    const { lifecycle, merchants, worker } = setup([due({})]);
    merchants.findById.mockResolvedValue(null);
    await worker.tick();
    expect(lifecycle.capture).not.toHaveBeenCalled();
  });

  it('a refused operation is logged as not ok and does not stop the others nor the expiry sweeps', async () => {
    const { payments, lifecycle, logger, worker } = setup([due({ payment_id: 'gwp_a' }), due({ payment_id: 'gwp_b', policy: 'VOID' })]);
    lifecycle.capture.mockRejectedValue(new Error('ORDER_STATUS_INVALID'));
    await worker.tick();
    expect(lifecycle.cancel).toHaveBeenCalledWith(merchant, { paymentId: 'gwp_b' });
    expect(logger.info).toHaveBeenCalledWith({ paymentId: 'gwp_a', policy: 'CAPTURE', ok: false }, expect.any(String));
    expect(logger.info).toHaveBeenCalledWith({ paymentId: 'gwp_b', policy: 'VOID', ok: true }, expect.any(String));
    expect(payments.expirePastDue).toHaveBeenCalledTimes(1);
    expect(payments.releaseExpiredRemainders).toHaveBeenCalledTimes(1);
  });

  it('the capture request id is cut to 64 characters', async () => {
    const long = `gwp_${'a'.repeat(70)}`;
    const { lifecycle, worker } = setup([due({ payment_id: long })]);
    await worker.tick();
    expect(lifecycle.capture.mock.calls[0][1].captureRequestId).toBe(`expiry_${long}`.slice(0, 64));
  });

  it('with nothing due still records holds past expiry and released remainders', async () => {
    const { payments, lifecycle, worker } = setup([]);
    await worker.tick();
    expect(lifecycle.capture).not.toHaveBeenCalled();
    expect(payments.expirePastDue).toHaveBeenCalledTimes(1);
    expect(payments.releaseExpiredRemainders).toHaveBeenCalledTimes(1);
  });

  it('starts its interval only when workers are enabled, polling at least every second', async () => {
    jest.useFakeTimers();
    try {
      const off = setup([]);
      off.worker.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(5000);
      expect(off.payments.dueForExpiryPolicy).not.toHaveBeenCalled();
      const on = setup([], { WORKERS_ENABLED: true, WORKER_POLL_MS: 10 });
      on.worker.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(999);
      expect(on.payments.dueForExpiryPolicy).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(on.payments.dueForExpiryPolicy).toHaveBeenCalledTimes(1);
      await on.worker.onModuleDestroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
