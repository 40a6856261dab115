import { mock } from 'jest-mock-extended';

import { loadConfig } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { answer, F, fakeDb, noAnswer, payment, S, U } from '../operations/money.fakes';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { VaultService } from '../pci/vault/vault.service';
import { AcquirerAnswersService, afterCapture } from './acquirer-answers.service';

function setup(locked = payment()) {
  const { db, tx } = fakeDb();
  const deps = {
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    outbox: mock<OutboxService>(),
    vault: mock<VaultService>(),
    merchants: mock<MerchantsService>(),
  };
  deps.payments.lock.mockResolvedValue(locked);
  deps.payments.applyPayOutcome.mockResolvedValue(true);
  const answers = new AcquirerAnswersService(db, deps.payments, deps.operations, deps.outbox, deps.vault, deps.merchants, loadConfig({}, {}));
  return { answers, db, tx, ...deps };
}

const capture = (changes: Partial<Capture> = {}) =>
  Object.assign(
    new Capture(),
    {
      id: 'c-row',
      paymentId: 'p-row-1',
      captureRequestId: 'cap-1',
      amount: 400n,
      currency: 'USD',
      isLast: false,
      automatic: false,
      status: 'PROCESSING',
      resultStatus: null,
    },
    changes,
  );
const refund = (changes: Partial<Refund> = {}) =>
  Object.assign(
    new Refund(),
    { id: 'r-row', paymentId: 'p-row-1', refundRequestId: 'ref-1', amount: 300n, currency: 'USD', status: 'PROCESSING', resultStatus: null },
    changes,
  );

describe('AcquirerAnswersService: the acquirer answers applied in one place', () => {
  describe('capture', () => {
    it('S: SUCCESS with the acquirer ids, the amounts moved, PARTIALLY_CAPTURED while authorization remains, the notice queued', async () => {
      const { answers, operations, payments, outbox } = setup();
      operations.lock.mockResolvedValue(capture());
      const r = await answers.applyCaptureOutcome('c-row', answer({ result: S, captureId: 'up-cap-1', captureTime: '2026-12-07T10:00:00Z' }));
      expect(r.capture).toMatchObject({ status: 'SUCCESS', resultStatus: 'S', upstreamCaptureId: 'up-cap-1' });
      expect(payments.transition).toHaveBeenCalledWith(
        expect.anything(),
        expect.anything(),
        'PARTIALLY_CAPTURED',
        'CAPTURED',
        { capturedAmount: 400n },
        expect.anything(),
      );
      expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    });

    it('S on the last capture: CAPTURED and the remainder released', async () => {
      const { answers, operations, payments } = setup();
      operations.lock.mockResolvedValue(capture({ isLast: true }));
      await answers.applyCaptureOutcome('c-row', answer({ result: S }));
      expect(payments.transition).toHaveBeenCalledWith(
        expect.anything(),
        expect.anything(),
        'CAPTURED',
        'CAPTURED',
        { capturedAmount: 400n },
        expect.anything(),
      );
      expect(payments.event).toHaveBeenCalledWith(expect.anything(), 'p-row-1', 'REMAINDER_RELEASED', 'CAPTURED', 'CAPTURED', 600n, {});
    });

    it('F: FAIL with the acquirer code, the payment unchanged, a CAPTURE_FAILED timeline row and the notice', async () => {
      const { answers, operations, payments, outbox } = setup();
      operations.lock.mockResolvedValue(capture());
      const r = await answers.applyCaptureOutcome('c-row', answer({ result: F('PROCESS_FAIL', 'no') }));
      expect(r.capture).toMatchObject({ status: 'FAIL', resultStatus: 'F', resultCode: 'PROCESS_FAIL' });
      expect(payments.transition).not.toHaveBeenCalled();
      expect(payments.event).toHaveBeenCalledWith(
        expect.anything(),
        'p-row-1',
        'CAPTURE_FAILED',
        'AUTHORIZED',
        'AUTHORIZED',
        400n,
        expect.anything(),
      );
      expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    });

    it('U or no answer: UNKNOWN with retry advice, reconciliation due; learnt by inquiry: inquire advice', async () => {
      const { answers, operations, payments, outbox } = setup();
      operations.lock.mockResolvedValue(capture());
      const r = await answers.applyCaptureOutcome('c-row', noAnswer());
      expect(r.capture).toMatchObject({ status: 'UNKNOWN', resultStatus: 'U' });
      expect(payments.setNextReconcile).toHaveBeenCalledTimes(1);
      expect(outbox.enqueue).not.toHaveBeenCalled();
      operations.lock.mockResolvedValue(capture());
      const i = await answers.applyCaptureOutcome('c-row', answer({ result: U }), 'INQUIRY');
      expect(i.capture.resultMessage).not.toEqual(r.capture.resultMessage);
    });

    it('a capture already final is never moved again (the same answer by two roads applies once)', async () => {
      const { answers, operations, payments } = setup();
      operations.lock.mockResolvedValue(capture({ status: 'SUCCESS', resultStatus: 'S' }));
      await answers.applyCaptureOutcome('c-row', answer({ result: F('PROCESS_FAIL') }));
      expect(operations.save).not.toHaveBeenCalled();
      expect(payments.transition).not.toHaveBeenCalled();
    });
  });

  describe('refund', () => {
    const captured = () => payment({ status: 'CAPTURED', capturedAmount: 1000n });

    it('S: PARTIALLY_REFUNDED (or REFUNDED when all of it), the notice queued', async () => {
      const { answers, operations, payments, outbox } = setup(captured());
      operations.lock.mockResolvedValue(refund());
      await answers.applyRefundOutcome('r-row', answer({ result: S, refundId: 'up-r-1' }));
      expect(payments.transition).toHaveBeenCalledWith(
        expect.anything(),
        expect.anything(),
        'PARTIALLY_REFUNDED',
        'REFUNDED',
        { refundedAmount: 300n },
        expect.anything(),
      );
      expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    });

    it('an open capture stays open after a refund', async () => {
      const { answers, operations, payments } = setup(payment({ status: 'PARTIALLY_CAPTURED', capturedAmount: 500n }));
      operations.lock.mockResolvedValue(refund());
      await answers.applyRefundOutcome('r-row', answer({ result: S }));
      expect(payments.transition).toHaveBeenCalledWith(
        expect.anything(),
        expect.anything(),
        'PARTIALLY_CAPTURED',
        'REFUNDED',
        expect.anything(),
        expect.anything(),
      );
    });

    it('F, or refundStatus FAIL: FAIL with a REFUND_FAILED timeline row', async () => {
      const { answers, operations, payments } = setup(captured());
      operations.lock.mockResolvedValue(refund());
      const r = await answers.applyRefundOutcome('r-row', answer({ result: S, refundStatus: 'FAIL' }));
      expect(r.refund).toMatchObject({ status: 'FAIL', resultStatus: 'F' });
      expect(payments.event).toHaveBeenCalledWith(expect.anything(), 'p-row-1', 'REFUND_FAILED', 'CAPTURED', 'CAPTURED', 300n, expect.anything());
    });

    it('accepted asynchronously (REFUND_IN_PROCESS / PROCESSING): U with inquire advice; no answer: U to retry; both with reconciliation due', async () => {
      const { answers, operations, payments } = setup(captured());
      operations.lock.mockResolvedValue(refund());
      const a = await answers.applyRefundOutcome('r-row', answer({ result: S, refundStatus: 'PROCESSING' }));
      expect(a.refund).toMatchObject({ status: 'PROCESSING', resultStatus: 'U', resultCode: 'REFUND_IN_PROCESS' });
      operations.lock.mockResolvedValue(refund());
      const b = await answers.applyRefundOutcome('r-row', noAnswer());
      expect(b.refund).toMatchObject({ status: 'PROCESSING', resultStatus: 'U' });
      expect(b.refund.resultCode).not.toBe('REFUND_IN_PROCESS');
      expect(payments.setNextReconcile).toHaveBeenCalledTimes(2);
    });
  });

  describe('cancel', () => {
    it('S: CANCELLED and the CVV destroyed', async () => {
      const { answers, payments, vault } = setup(payment({ cardId: 'card-1' }));
      await answers.applyCancelOutcome('p-row-1', answer({ result: S }));
      expect(payments.transition).toHaveBeenCalledWith(
        expect.anything(),
        expect.anything(),
        'CANCELLED',
        'CANCELLED',
        expect.objectContaining({ nextReconcileAt: null }),
        {},
      );
      expect(vault.destroyCvv).toHaveBeenCalledWith(expect.anything(), 'card-1');
    });

    it('F: CANCEL_FAILED and the cancel request cleared; U: reconciliation due', async () => {
      const { answers, payments } = setup();
      await answers.applyCancelOutcome('p-row-1', answer({ result: F('CANCEL_WINDOW_EXCEED') }));
      expect(payments.clearCancelRequest).toHaveBeenCalledTimes(1);
      await answers.applyCancelOutcome('p-row-1', noAnswer());
      expect(payments.setNextReconcile).toHaveBeenCalledTimes(1);
    });
  });

  describe('pay', () => {
    it("the fresh answer is applied in one guarded statement ('fresh'); if someone moved the payment first, by the locking path", async () => {
      const { answers, payments } = setup(payment({ status: 'RECEIVED' }));
      const p = payment({ status: 'RECEIVED' });
      await answers.applyFreshPayOutcome(p, answer({ result: S, paymentStatus: 'SUCCESS' } as never));
      expect(payments.applyPayOutcome.mock.calls.map((c) => c[2])).toEqual(['fresh']);
      payments.applyPayOutcome.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
      await answers.applyFreshPayOutcome(payment({ status: 'RECEIVED' }), answer({ result: S } as never));
      expect(payments.applyPayOutcome.mock.calls.map((c) => c[2])).toEqual(['fresh', 'fresh', 'locked']);
    });

    it('a success after a cancel: LATE_SUCCESS_AFTER_CANCEL and the void resent by reconciliation', async () => {
      const { answers, payments } = setup(payment({ status: 'CANCELLED' }));
      await answers.applyPayOutcome('p-row-1', answer({ result: S } as never), 'NOTIFICATION');
      expect(payments.event).toHaveBeenCalledWith(expect.anything(), 'p-row-1', 'LATE_SUCCESS_AFTER_CANCEL', 'CANCELLED', 'CANCELLED', null, {
        source: 'NOTIFICATION',
      });
      expect(payments.reconcileNow).toHaveBeenCalledTimes(1);
      expect(payments.applyPayOutcome).not.toHaveBeenCalled();
    });
  });

  it('afterCapture: open until used up or last; a closed capture says how much was refunded', () => {
    expect(afterCapture(false, 400n, 0n)).toBe('PARTIALLY_CAPTURED');
    expect(afterCapture(true, 400n, 0n)).toBe('CAPTURED');
    expect(afterCapture(true, 400n, 100n)).toBe('PARTIALLY_REFUNDED');
    expect(afterCapture(true, 400n, 400n)).toBe('REFUNDED');
  });
});
