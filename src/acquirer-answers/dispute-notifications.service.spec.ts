import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { OutboxService } from '../notifications/outbox/outbox.service';
import { fakeDb, payment } from '../operations/money.fakes';
import { Capture } from '../payments/capture.entity';
import { Dispute, DisputesRepository } from '../payments/disputes.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { DisputeNotificationsService } from './dispute-notifications.service';
import { NotificationDedupeRepository } from './notification-dedupe.repository';

const ROW_ID = '0f0e7b8a-1111-4222-8333-944445555666';
const created = {
  paymentRequestId: ROW_ID,
  disputeId: 'sbxd_1',
  paymentId: 'up-1',
  disputeNotificationType: 'DISPUTE_CREATED',
  disputeAmount: { currency: 'USD', value: '1000' },
  defenseDueTime: '2026-12-09T10:00:00+08:00',
  disputeTime: '2026-12-02T10:00:00Z',
};

function setup() {
  const { db, tx } = fakeDb();
  const deps = {
    disputes: mock<DisputesRepository>(),
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    dedupe: mock<NotificationDedupeRepository>(),
    outbox: mock<OutboxService>(),
  };
  deps.dedupe.claim.mockResolvedValue(true);
  const dispute = { id: 'd-row', disputeId: 'gwd_1', status: 'OPEN' } as Dispute;
  deps.disputes.lockOrCreate.mockResolvedValue({ dispute, created: true });
  deps.disputes.applyFacts.mockImplementation(async (_tx, d, f) => ({ ...d, status: f.status }) as Dispute);
  const service = new DisputeNotificationsService(db, deps.disputes, deps.payments, deps.operations, deps.dedupe, deps.outbox, mock<Logger>());
  return { service, tx, ...deps };
}

describe('DisputeNotificationsService: notifyDispute applied once', () => {
  it('a bad body is an error naming the field; nothing claimed', async () => {
    const { service, dedupe } = setup();
    await expect(service.apply({ ...created, disputeAmount: { currency: 'USD', value: 1.5 } })).resolves.toMatchObject({
      error: expect.stringContaining('disputeAmount'),
    });
    expect(dedupe.claim).not.toHaveBeenCalled();
  });

  it('the payment found by our row id (Antom paymentRequestId): the dispute created, its amount in the timeline, the merchant notice queued, all in one transaction', async () => {
    const { service, tx, payments, disputes, outbox } = setup();
    payments.findById.mockResolvedValue(payment({ id: ROW_ID }));
    await expect(service.apply(created)).resolves.toEqual({ applied: true });
    expect(payments.findById).toHaveBeenCalledWith(ROW_ID, tx);
    expect(disputes.lockOrCreate).toHaveBeenCalledWith(tx, 'sbxd_1', 'm-1', ROW_ID, expect.stringMatching(/^gwd_[0-9a-f]{32}$/), 'DISPUTE_CREATED');
    expect(disputes.applyFacts).toHaveBeenCalledWith(
      tx,
      expect.anything(),
      expect.objectContaining({ status: 'OPEN', amount: 1000n }),
      expect.any(String),
      1000n,
      expect.anything(),
    );
    expect(outbox.enqueue).toHaveBeenCalledWith(tx, expect.objectContaining({ notifyType: 'NOTIFY_DISPUTE' }));
  });

  it("else by the acquirer's paymentId; an amount in another currency goes in the detail, not the amount column", async () => {
    const { service, tx, payments, disputes } = setup();
    payments.findById.mockResolvedValue(null);
    payments.findByUpstreamId.mockResolvedValue(payment());
    await service.apply({ ...created, disputeAmount: { currency: 'EUR', value: '900' } });
    expect(payments.findByUpstreamId).toHaveBeenCalledWith('up-1', tx);
    expect(disputes.applyFacts).toHaveBeenCalledWith(
      tx,
      expect.anything(),
      expect.anything(),
      expect.any(String),
      null,
      expect.objectContaining({ disputeAmount: '900 EUR in minor units' }),
    );
  });

  it('a capture the acquirer names is relayed by the gateway capture id', async () => {
    const { service, operations, payments, outbox } = setup();
    payments.findById.mockResolvedValue(payment({ id: ROW_ID }));
    operations.findCapture.mockResolvedValue(Object.assign(new Capture(), { captureId: 'gwc_7' }));
    await service.apply({ ...created, captureId: 'up-cap-7' });
    expect(operations.findCapture).toHaveBeenCalledWith({ paymentId: ROW_ID, upstreamCaptureId: 'up-cap-7' }, expect.anything());
    expect(outbox.enqueue).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ payload: expect.objectContaining({ captureId: 'gwc_7' }) }),
    );
  });

  it('a copy (the key already claimed) or an unknown payment: acknowledged, nothing applied', async () => {
    const { service, dedupe, disputes, payments } = setup();
    dedupe.claim.mockResolvedValueOnce(false);
    await expect(service.apply(created)).resolves.toEqual({ applied: false });
    payments.findById.mockResolvedValue(null);
    payments.findByUpstreamId.mockResolvedValue(null);
    await expect(service.apply(created)).resolves.toEqual({ applied: false });
    expect(disputes.lockOrCreate).not.toHaveBeenCalled();
  });
});
