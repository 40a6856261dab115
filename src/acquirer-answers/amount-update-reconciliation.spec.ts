import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { loadConfig } from '../config/gateway-config';
import { answer, payment, S, U } from '../operations/money.fakes';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateReconciliation, CLOSED_PAYMENT_RESENDS } from './amount-update-reconciliation';
import { AmountUpdateSettlement } from './amount-update-settlement';

const update = (changes: Partial<AmountUpdate> = {}) =>
  Object.assign(
    new AmountUpdate(),
    { id: 'u-row', paymentId: 'p-row-1', updateRequestId: 'upd-1', amount: 1500n, currency: 'USD', status: 'PROCESSING' },
    changes,
  );

function setup() {
  const deps = {
    updates: mock<AmountUpdatesRepository>(),
    payments: mock<PaymentsRepository>(),
    settlement: mock<AmountUpdateSettlement>(),
    upstream: mock<PaymentProcessor>(),
    leases: mock<RedriveLeaseRepository>(),
    logger: mock<Logger>(),
  };
  deps.leases.claim.mockResolvedValue({ claimed: true, previous: null });
  deps.updates.find.mockResolvedValue(update());
  deps.payments.findById.mockResolvedValue(payment());
  deps.upstream.updateAmount.mockResolvedValue(answer({ result: S }));
  deps.settlement.apply.mockResolvedValue({ payment: payment(), update: update({ status: 'SUCCESS' }) });
  const rec = new AmountUpdateReconciliation(
    deps.updates,
    deps.payments,
    deps.settlement,
    deps.upstream,
    loadConfig({}, {}),
    deps.logger,
    deps.leases,
  );
  return { rec, ...deps };
}

describe('AmountUpdateReconciliation: open updates resent without a merchant call', () => {
  it('resends with the same id (the row id) and applies the answer as RECONCILIATION', async () => {
    const { rec, upstream, settlement } = setup();
    await rec.resend('u-row', 1);
    expect(upstream.updateAmount).toHaveBeenCalledWith(
      { updateRequestId: 'u-row', paymentId: 'up-1', amount: { currency: 'USD', value: '1500' } },
      { paymentId: 'gwp_1' },
    );
    expect(settlement.apply).toHaveBeenCalledWith('u-row', answer({ result: S }), 'RECONCILIATION');
  });

  it('an update final meanwhile, or its lease held by a merchant retry: nothing sent', async () => {
    const a = setup();
    a.updates.find.mockResolvedValue(update({ status: 'SUCCESS' }));
    await a.rec.resend('u-row', 1);
    const b = setup();
    b.leases.claim.mockResolvedValue({ claimed: false, previous: null });
    await b.rec.resend('u-row', 1);
    expect([a.upstream.updateAmount.mock.calls.length, b.upstream.updateAmount.mock.calls.length]).toEqual([0, 0]);
  });

  it(`a closed payment whose update stays open: after ${CLOSED_PAYMENT_RESENDS} resends, written F with the closed code`, async () => {
    const { rec, settlement, upstream } = setup();
    upstream.updateAmount.mockResolvedValue(answer({ result: U }));
    settlement.apply.mockResolvedValue({ payment: payment({ status: 'CANCELLED' }), update: update() });
    await rec.resend('u-row', CLOSED_PAYMENT_RESENDS - 1);
    expect(settlement.apply).toHaveBeenCalledTimes(1);
    await rec.resend('u-row', CLOSED_PAYMENT_RESENDS);
    expect(settlement.apply).toHaveBeenCalledTimes(3);
    expect(settlement.apply).toHaveBeenLastCalledWith(
      'u-row',
      answer({ result: expect.objectContaining({ resultStatus: 'F', resultCode: 'AUTH_CANCELLED' }) }),
      'RECONCILIATION',
    );
  });

  it('an authorized payment is never closed by count: its update is resent for as long as it stays open', async () => {
    const { rec, settlement, upstream } = setup();
    upstream.updateAmount.mockResolvedValue(answer({ result: U }));
    settlement.apply.mockResolvedValue({ payment: payment(), update: update() });
    await rec.resend('u-row', 50);
    expect(settlement.apply).toHaveBeenCalledTimes(1);
  });

  it('runDue: each claimed row resent; one failing is logged and the rest still run', async () => {
    const { rec, updates, upstream, logger } = setup();
    updates.claimDue.mockResolvedValue([
      { id: 'a', attempts: 1 },
      { id: 'b', attempts: 1 },
    ] as never);
    upstream.updateAmount.mockRejectedValueOnce(new Error('boom')).mockResolvedValue(answer({ result: S }));
    await expect(rec.runDue()).resolves.toBe(2);
    expect(upstream.updateAmount).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
