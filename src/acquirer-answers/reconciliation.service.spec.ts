import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { loadConfig } from '../config/gateway-config';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { answer, F, fakeDb, noAnswer, payment, S } from '../operations/money.fakes';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { OperationRedrive } from './operation-redrive';
import { PayRedrive } from './pay-redrive';
import { ReconciliationService } from './reconciliation.service';

const config = loadConfig({}, { PENDING_ACTION_TIMEOUT_SECONDS: '600' });

function setup(p: Payment | null) {
  const { db } = fakeDb();
  const deps = {
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    outbox: mock<OutboxService>(),
    answers: mock<AcquirerAnswersService>(),
    upstream: mock<PaymentProcessor>(),
    payRedrive: mock<PayRedrive>(),
    operationRedrive: mock<OperationRedrive>(),
    logger: mock<Logger>(),
  };
  deps.payments.findById.mockResolvedValue(p);
  deps.operations.openCaptures.mockResolvedValue([]);
  deps.operations.openRefunds.mockResolvedValue([]);
  deps.answers.settlePay.mockImplementation(async () => ({ payment: p as Payment, policyVoid: false }));
  deps.answers.applyCancelOutcome.mockResolvedValue(p as Payment);
  const rec = new ReconciliationService(
    db,
    deps.payments,
    deps.operations,
    deps.outbox,
    deps.answers,
    deps.upstream,
    deps.payRedrive,
    deps.operationRedrive,
    config,
    deps.logger,
  );
  return { rec, ...deps };
}

const old = new Date(Date.now() - 3_600_000);

describe('ReconciliationService: what the gateway does not know yet, asked of the acquirer', () => {
  it('an UNKNOWN payment: inquired; a final result applied as INQUIRY, then the look finished', async () => {
    const { rec, upstream, answers, payments } = setup(payment({ status: 'UNKNOWN' }));
    upstream.inquiryPayment.mockResolvedValue(answer({ result: S, paymentStatus: 'SUCCESS' }));
    await rec.settle('p-row-1');
    expect(upstream.inquiryPayment).toHaveBeenCalledWith({ paymentRequestId: 'p-row-1' }, { paymentId: 'gwp_1' });
    expect(answers.settlePay).toHaveBeenCalledWith(
      'p-row-1',
      { kind: 'answer', body: expect.objectContaining({ result: expect.objectContaining({ resultStatus: 'S' }) }) },
      'INQUIRY',
    );
    expect(payments.finishReconcile).toHaveBeenCalledWith('p-row-1');
  });

  it('settled with an AVS void decided: the cancel is sent at once', async () => {
    const p = payment({ status: 'UNKNOWN' });
    const { rec, upstream, answers } = setup(p);
    upstream.inquiryPayment.mockResolvedValue(answer({ result: S, paymentStatus: 'SUCCESS' }));
    answers.settlePay.mockResolvedValue({ payment: p, policyVoid: true });
    upstream.cancel.mockResolvedValue(answer({ result: S }));
    await rec.settle('p-row-1');
    expect(upstream.cancel).toHaveBeenCalledWith({ paymentRequestId: 'p-row-1' }, { paymentId: 'gwp_1' });
    expect(answers.applyCancelOutcome).toHaveBeenCalledTimes(1);
  });

  it('the acquirer has no such payment: left to PayRedrive (closed only after the retry window), looked at again when it says', async () => {
    const { rec, upstream, payRedrive, payments, answers } = setup(payment({ status: 'RECEIVED' }));
    upstream.inquiryPayment.mockResolvedValue(answer({ result: F('ORDER_NOT_EXIST') }));
    const at = new Date(Date.now() + 60_000);
    payRedrive.closeIfNeverReached.mockResolvedValue(at);
    await rec.settle('p-row-1');
    expect(answers.settlePay).not.toHaveBeenCalled();
    expect(payments.reconcileBy).toHaveBeenCalledWith('p-row-1', at);
  });

  it('no answer from the inquiry: nothing applied (the next look asks again)', async () => {
    const { rec, upstream, answers, payRedrive } = setup(payment({ status: 'UNKNOWN' }));
    upstream.inquiryPayment.mockResolvedValue(noAnswer());
    await rec.settle('p-row-1');
    expect(answers.settlePay).not.toHaveBeenCalled();
    expect(payRedrive.closeIfNeverReached).not.toHaveBeenCalled();
  });

  it('a PENDING_ACTION past its timeout: the cancel asked once and sent; a young one is left pending', async () => {
    const stale = setup(payment({ status: 'PENDING_ACTION', createdAt: old }));
    stale.upstream.inquiryPayment.mockResolvedValue(answer({ result: S, paymentStatus: 'PROCESSING' }));
    stale.upstream.cancel.mockResolvedValue(answer({ result: S }));
    await stale.rec.settle('p-row-1');
    expect(stale.payments.requestCancelOnce).toHaveBeenCalledWith('p-row-1');
    expect(stale.upstream.cancel).toHaveBeenCalledTimes(1);
    const young = setup(payment({ status: 'PENDING_ACTION', createdAt: new Date() }));
    young.upstream.inquiryPayment.mockResolvedValue(answer({ result: S, paymentStatus: 'PROCESSING' }));
    await young.rec.settle('p-row-1');
    expect(young.upstream.cancel).not.toHaveBeenCalled();
  });

  it('a cancel asked and not done: resent; the acquirer never saw the payment → applied as cancelled; an AVS void notice released after', async () => {
    const p = payment({ status: 'UNKNOWN', cancelRequestedAt: new Date(), resultCode: 'RISK_REJECT' });
    const { rec, upstream, answers, outbox } = setup(p);
    upstream.cancel.mockResolvedValue(answer({ result: F('ORDER_NOT_EXIST') }));
    await rec.settle('p-row-1');
    expect(answers.applyCancelOutcome).toHaveBeenCalledWith('p-row-1', { kind: 'answer', body: { result: { resultStatus: 'S' } } });
    expect(outbox.releaseHeld).toHaveBeenCalledTimes(1);
    expect(upstream.inquiryPayment).not.toHaveBeenCalled();
  });

  it('open captures: one inquiry of the payment for all, each settled by OperationRedrive; open refunds each settled', async () => {
    const { rec, operations, upstream, operationRedrive, payments } = setup(payment({ status: 'PARTIALLY_CAPTURED' }));
    operations.openCaptures.mockResolvedValue([Object.assign(new Capture(), { id: 'c1' }), Object.assign(new Capture(), { id: 'c2' })]);
    operations.openRefunds.mockResolvedValue([Object.assign(new Refund(), { id: 'r1' })]);
    upstream.inquiryPayment.mockResolvedValue(
      answer({
        result: S,
        transactions: [{ transactionType: 'CAPTURE', transactionRequestId: 'c1', transactionStatus: 'SUCCESS', transactionId: 'up-c1' }],
      }),
    );
    operationRedrive.settleCapture.mockResolvedValueOnce(null).mockResolvedValueOnce(new Date(1));
    operationRedrive.settleRefund.mockResolvedValue({ refund: new Refund(), lookAgainAt: null });
    await rec.settle('p-row-1');
    expect(upstream.inquiryPayment).toHaveBeenCalledTimes(1);
    expect(operationRedrive.settleCapture.mock.calls.map((c) => c[2].kind)).toEqual(['final', 'not-there']);
    expect(operationRedrive.settleRefund).toHaveBeenCalledTimes(1);
    expect(payments.reconcileBy).toHaveBeenCalledWith('p-row-1', new Date(1));
  });

  it('ourPaymentIdFor: only a uuid the acquirer echoes is taken as ours', async () => {
    const { rec, upstream } = setup(null);
    upstream.inquiryPayment.mockResolvedValueOnce(answer({ result: S, paymentRequestId: '0f0e7b8a-1111-4222-8333-944445555666' } as never));
    await expect(rec.ourPaymentIdFor('up-1')).resolves.toBe('0f0e7b8a-1111-4222-8333-944445555666');
    upstream.inquiryPayment.mockResolvedValueOnce(answer({ result: S, paymentRequestId: 'merchant-id' } as never));
    await expect(rec.ourPaymentIdFor('up-1')).resolves.toBeNull();
  });

  it('runDue: every claimed payment looked at; one failing is logged, the rest still run', async () => {
    const { rec, payments, logger } = setup(null);
    payments.claimDueForReconcile.mockResolvedValue(['a', 'b']);
    payments.findById.mockRejectedValueOnce(new Error('db blip')).mockResolvedValueOnce(null);
    await expect(rec.runDue()).resolves.toBe(2);
    expect(payments.findById).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
