import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { F, fakeDb, payment, S } from '../operations/money.fakes';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { AcquirerNotificationsService } from './acquirer-notifications.service';
import { AmountUpdateSettlement } from './amount-update-settlement';
import * as automatic from './automatic-capture';
import { DisputeNotificationsService } from './dispute-notifications.service';
import { NotificationDedupeRepository } from './notification-dedupe.repository';
import { ReconciliationService } from './reconciliation.service';

jest.mock('./automatic-capture', () => ({
  ...jest.requireActual('./automatic-capture'),
  findAutoCaptureTarget: jest.fn(),
  applyAutomaticCapture: jest.fn(),
}));
const findTarget = automatic.findAutoCaptureTarget as jest.Mock;
const book = automatic.applyAutomaticCapture as jest.Mock;

const P = '0f0e7b8a-1111-4222-8333-944445555666';
const C = '1f0e7b8a-1111-4222-8333-944445555666';

function setup() {
  const { db } = fakeDb();
  const deps = {
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    dedupe: mock<NotificationDedupeRepository>(),
    answers: mock<AcquirerAnswersService>(),
    reconciliation: mock<ReconciliationService>(),
    disputes: mock<DisputeNotificationsService>(),
    amountUpdates: mock<AmountUpdatesRepository>(),
    amountUpdateSettlement: mock<AmountUpdateSettlement>(),
    logger: mock<Logger>(),
  };
  deps.answers.settlePay.mockResolvedValue({ payment: payment(), policyVoid: false });
  deps.dedupe.seen.mockResolvedValue(false);
  findTarget.mockReset();
  book.mockReset();
  const service = new AcquirerNotificationsService(
    db,
    deps.payments,
    deps.operations,
    deps.dedupe,
    deps.answers,
    deps.reconciliation,
    deps.disputes,
    deps.amountUpdates,
    deps.amountUpdateSettlement,
    deps.logger,
  );
  return { service, db, ...deps };
}

describe('AcquirerNotificationsService: a verified notification applied once', () => {
  describe('PAYMENT_RESULT', () => {
    it('a payment still open: settled as NOTIFICATION and remembered', async () => {
      const { service, payments, answers, dedupe } = setup();
      payments.statusOf.mockResolvedValue('UNKNOWN');
      await service.apply({ notifyType: 'PAYMENT_RESULT', paymentRequestId: P, result: S });
      expect(answers.settlePay).toHaveBeenCalledWith(P, { kind: 'answer', body: expect.objectContaining({ paymentRequestId: P }) }, 'NOTIFICATION');
      expect(dedupe.remember).toHaveBeenCalledTimes(1);
    });

    it('a result the payment already shows (S on CAPTURED, F on FAILED), or not ours: nothing written, no dedupe row', async () => {
      for (const [status, said] of [
        ['CAPTURED', S],
        ['FAILED', F('X')],
        [null, S],
      ] as const) {
        const { service, payments, answers, dedupe } = setup();
        payments.statusOf.mockResolvedValue(status);
        await service.apply({ notifyType: 'PAYMENT_RESULT', paymentRequestId: P, result: said });
        expect(answers.settlePay).not.toHaveBeenCalled();
        expect(dedupe.remember).not.toHaveBeenCalled();
      }
    });

    it('S on a CANCELLED payment takes the general path (settlement voids it again), once', async () => {
      const { service, payments, answers, dedupe } = setup();
      payments.statusOf.mockResolvedValue('CANCELLED');
      await service.apply({ notifyType: 'PAYMENT_RESULT', paymentRequestId: P, result: S });
      expect(answers.settlePay).toHaveBeenCalledTimes(1);
      expect(dedupe.remember).toHaveBeenCalledTimes(1);
      dedupe.seen.mockResolvedValue(true);
      await service.apply({ notifyType: 'PAYMENT_RESULT', paymentRequestId: P, result: S });
      expect(answers.settlePay).toHaveBeenCalledTimes(1);
    });

    it('an AVS void decided with it: the cancel sent; its failure only logged (reconciliation resends it)', async () => {
      const { service, payments, answers, reconciliation, logger } = setup();
      payments.statusOf.mockResolvedValue('UNKNOWN');
      answers.settlePay.mockResolvedValue({ payment: payment(), policyVoid: true });
      reconciliation.finishPolicyVoid.mockRejectedValue(new Error('down'));
      await expect(service.apply({ notifyType: 'PAYMENT_RESULT', paymentRequestId: P, result: S })).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });
  });

  describe('CAPTURE_RESULT', () => {
    it('our capture still open: applied through applyCaptureOutcome; settled already: nothing', async () => {
      const { service, operations, answers } = setup();
      operations.statusOf.mockResolvedValueOnce('PROCESSING').mockResolvedValueOnce('PROCESSING');
      await service.apply({ notifyType: 'CAPTURE_RESULT', captureRequestId: C, result: S });
      expect(answers.applyCaptureOutcome).toHaveBeenCalledWith(C, { kind: 'answer', body: expect.anything() });
      operations.statusOf.mockResolvedValueOnce('SUCCESS');
      await service.apply({ notifyType: 'CAPTURE_RESULT', captureRequestId: C, result: S });
      expect(answers.applyCaptureOutcome).toHaveBeenCalledTimes(1);
    });

    it('an automatic capture of a settled payment: booked from the payment state in one write', async () => {
      const { service, db } = setup();
      const target = { id: P, status: 'SUCCEEDED', captureMode: 'AUTOMATIC', capturedAmount: 0n };
      findTarget.mockResolvedValue(target);
      await service.apply({ notifyType: 'CAPTURE_RESULT', paymentId: 'up-1', result: S });
      expect(book).toHaveBeenCalledWith(db, target, expect.objectContaining({ paymentId: 'up-1' }));
    });

    it('a capture notice that overtook our pay answer: our id asked of the acquirer, the payment settled first, then booked', async () => {
      const { service, db, reconciliation } = setup();
      findTarget
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce({ id: P, status: 'UNKNOWN' })
        .mockResolvedValueOnce({ id: P, status: 'SUCCEEDED' });
      reconciliation.ourPaymentIdFor.mockResolvedValue(P);
      await service.apply({ notifyType: 'CAPTURE_RESULT', paymentId: 'up-1', result: S });
      expect(reconciliation.settle).toHaveBeenCalledWith(P);
      expect(book).toHaveBeenCalledWith(db, { id: P, status: 'SUCCEEDED' }, expect.anything());
    });
  });

  it('REFUND_RESULT: our open refund applied once; one settled already needs nothing', async () => {
    const { service, operations, answers } = setup();
    operations.statusOf.mockResolvedValueOnce('PROCESSING').mockResolvedValueOnce('PROCESSING');
    await service.apply({ notifyType: 'REFUND_RESULT', refundRequestId: C, result: S });
    expect(answers.applyRefundOutcome).toHaveBeenCalledWith(C, { kind: 'answer', body: expect.anything() });
    operations.statusOf.mockResolvedValueOnce('SUCCESS');
    await service.apply({ notifyType: 'REFUND_RESULT', refundRequestId: C, result: S });
    expect(answers.applyRefundOutcome).toHaveBeenCalledTimes(1);
  });

  it('UPDATE_AMOUNT_RESULT: an open update applied as NOTIFICATION; a final one or a U: nothing', async () => {
    const { service, amountUpdates, amountUpdateSettlement } = setup();
    amountUpdates.statusOf.mockResolvedValueOnce('PROCESSING').mockResolvedValueOnce('SUCCESS');
    await service.apply({ notifyType: 'UPDATE_AMOUNT_RESULT', updateRequestId: C, result: S });
    await service.apply({ notifyType: 'UPDATE_AMOUNT_RESULT', updateRequestId: C, result: S });
    await service.apply({ notifyType: 'UPDATE_AMOUNT_RESULT', updateRequestId: C, result: { resultStatus: 'U' } });
    expect(amountUpdateSettlement.apply).toHaveBeenCalledTimes(1);
    expect(amountUpdateSettlement.apply).toHaveBeenCalledWith(C, { kind: 'answer', body: expect.anything() }, 'NOTIFICATION');
  });

  it('a dispute notice goes to DisputeNotificationsService; its field error is returned', async () => {
    const { service, disputes } = setup();
    disputes.apply.mockResolvedValue({ error: 'Illegal parameter disputeAmount' });
    await expect(service.apply({ disputeNotificationType: 'DISPUTE_CREATED', disputeId: 'd' })).resolves.toEqual({
      error: 'Illegal parameter disputeAmount',
    });
  });

  it('inquireInstead: reconciliation due now for the ids the untrusted body names (well-formed only); an update resent', async () => {
    const { service, payments, amountUpdates } = setup();
    await service.inquireInstead({ paymentRequestId: P, captureRequestId: 'not-a-uuid', paymentId: 'up-1', updateRequestId: C });
    expect(payments.reconcileNowFor).toHaveBeenCalledWith({ paymentRequestId: P, upstreamPaymentId: 'up-1' });
    expect(amountUpdates.reconcileNow).toHaveBeenCalledWith(C);
  });
});
