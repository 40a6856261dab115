import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { CancelOperation, neverReachedCountsAsCancelled } from './cancel.operation';
import { answer, F, noAnswer, payment, refusal, S, U } from './money.fakes';

function setup() {
  const payments = mock<PaymentsRepository>();
  const answers = mock<AcquirerAnswersService>();
  const upstream = mock<PaymentProcessor>();
  answers.nextReconcile.mockReturnValue(new Date(0));
  return { op: new CancelOperation(payments, answers, upstream), payments, answers, upstream, tx: mock<EntityManager>() };
}

describe('CancelOperation', () => {
  it('validate: paymentId or paymentRequestId is required; the target is the one given', () => {
    const { op } = setup();
    expect(() => op.validate({})).toThrow(expect.objectContaining(refusal('PARAM_ILLEGAL')));
    expect(op.target({ paymentRequestId: 'req-1' })).toEqual({ paymentRequestId: 'req-1' });
    expect(op.target({ paymentId: 'gwp_1', paymentRequestId: 'req-1' })).toEqual({ paymentId: 'gwp_1' });
  });

  it('guard: a cancelled payment answers S at once, nothing requested or sent', async () => {
    const { op, tx, payments } = setup();
    await expect(op.guard(tx, payment({ status: 'CANCELLED' }))).resolves.toMatchObject({
      kind: 'answered',
      answer: { result: { resultStatus: 'S' } },
    });
    expect(payments.requestCancel).not.toHaveBeenCalled();
  });

  it('guard: a cancellable payment records the cancel request with reconciliation due (a lost answer is resent)', async () => {
    const { op, tx, payments } = setup();
    const p = payment();
    await expect(op.guard(tx, p)).resolves.toEqual({ kind: 'reserved', reserved: p });
    expect(payments.requestCancel).toHaveBeenCalledWith(tx, p, new Date(0));
  });

  it('guard: captured → ORDER_STATUS_INVALID; failed → ORDER_IS_CLOSED', async () => {
    const { op, tx } = setup();
    await expect(op.guard(tx, payment({ status: 'CAPTURED' }))).rejects.toMatchObject(refusal('ORDER_STATUS_INVALID'));
    await expect(op.guard(tx, payment({ status: 'FAILED' }))).rejects.toMatchObject(refusal('ORDER_IS_CLOSED'));
  });

  it('upstream: our row id as paymentRequestId, the acquirer id when known', async () => {
    const { op, upstream } = setup();
    await op.callUpstream(payment());
    await op.callUpstream(payment({ upstreamPaymentId: null }));
    expect(upstream.cancel.mock.calls.map((c) => c[0])).toEqual([
      { paymentRequestId: 'p-row-1', paymentId: 'up-1' },
      { paymentRequestId: 'p-row-1' },
    ]);
  });

  it('apply: S → the cancel answer; F → the acquirer refusal with its code; U → a retryable unknown', async () => {
    const { op, answers } = setup();
    answers.applyCancelOutcome.mockResolvedValueOnce(payment({ status: 'CANCELLED' }));
    await expect(op.apply(payment(), answer({ result: S }))).resolves.toMatchObject({ result: { resultStatus: 'S' }, paymentId: 'gwp_1' });
    answers.applyCancelOutcome.mockResolvedValue(payment());
    await expect(op.apply(payment(), answer({ result: F('CANCEL_WINDOW_EXCEED') }))).rejects.toMatchObject(refusal('CANCEL_WINDOW_EXCEED', 'F'));
    await expect(op.apply(payment(), answer({ result: U }))).rejects.toMatchObject({ result: expect.objectContaining({ resultStatus: 'U' }) });
    await expect(op.apply(payment(), noAnswer())).rejects.toMatchObject({ result: expect.objectContaining({ resultStatus: 'U' }) });
  });

  it('a payment the acquirer never saw: its ORDER_NOT_EXIST counts as cancelled; not for an authorized one', () => {
    const gone = answer({ result: F('ORDER_NOT_EXIST') });
    expect(neverReachedCountsAsCancelled(payment({ status: 'UNKNOWN' }), gone)).toEqual(
      answer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }),
    );
    expect(neverReachedCountsAsCancelled(payment({ status: 'AUTHORIZED' }), gone)).toBe(gone);
  });
});
