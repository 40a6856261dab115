import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { OperationRedrive } from '../acquirer-answers/operation-redrive';
import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { loadConfig } from '../config/gateway-config';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { answer, merchant, payment, refusal, S } from './money.fakes';
import { RefundOperation } from './refund.operation';
import { keyHash } from './request-key';

const req = { paymentId: 'gwp_1', refundRequestId: 'ref-1', refundAmount: { currency: 'USD', value: '300' } };
const captured = () => payment({ status: 'CAPTURED', capturedAmount: 1000n });

function setup() {
  const deps = {
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    answers: mock<AcquirerAnswersService>(),
    reconciliation: mock<ReconciliationService>(),
    redrive: mock<OperationRedrive>(),
    upstream: mock<PaymentProcessor>(),
  };
  deps.operations.reserved.mockResolvedValue(0n);
  const op = new RefundOperation(deps.payments, deps.operations, deps.answers, deps.reconciliation, deps.redrive, deps.upstream, loadConfig({}, {}));
  return { op, tx: mock<EntityManager>(), ...deps };
}

const stored = (changes: Partial<Refund> = {}) =>
  Object.assign(
    new Refund(),
    {
      id: 'r-row',
      refundId: 'gwr_1',
      refundRequestId: 'ref-1',
      requestHash: keyHash('gwp_1', 'USD', '300'),
      currency: 'USD',
      amount: 300n,
      status: 'PROCESSING',
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
    },
    changes,
  );

describe('RefundOperation', () => {
  it('before the lock: an automatic-capture payment whose capture is not booked yet gets it booked first', async () => {
    const { op, payments, reconciliation } = setup();
    payments.findByPaymentId.mockResolvedValueOnce(payment({ captureMode: 'AUTOMATIC', status: 'SUCCEEDED', capturedAmount: 0n }));
    await op.beforeLock(merchant, req);
    payments.findByPaymentId.mockResolvedValueOnce(payment({ captureMode: 'AUTOMATIC', status: 'SUCCEEDED', capturedAmount: 1000n }));
    await op.beforeLock(merchant, req);
    expect(reconciliation.bookAutomaticCapture).toHaveBeenCalledTimes(1);
  });

  it('guard: reserves the refund with reason and notifyUrl; a named capture must be a successful one of this payment', async () => {
    const { op, tx, operations } = setup();
    const g = await op.guard(tx, captured(), merchant, { ...req, refundReason: 'returned', refundNotifyUrl: 'https://m/n' });
    expect(g).toMatchObject({
      kind: 'reserved',
      reserved: { upstreamCaptureId: null, r: { status: 'PROCESSING', amount: 300n, reason: 'returned', notifyUrl: 'https://m/n' } },
    });
    operations.findCapture.mockResolvedValueOnce(Object.assign(new Capture(), { status: 'SUCCESS', upstreamCaptureId: 'up-cap-9' }));
    await expect(op.guard(tx, captured(), merchant, { ...req, captureId: 'gwc_9' })).resolves.toMatchObject({
      reserved: { upstreamCaptureId: 'up-cap-9' },
    });
    operations.findCapture.mockResolvedValueOnce(Object.assign(new Capture(), { status: 'FAIL' }));
    await expect(op.guard(tx, captured(), merchant, { ...req, captureId: 'gwc_8' })).rejects.toMatchObject(refusal('PARAM_ILLEGAL'));
  });

  it('guard: not captured yet answers U (retry the same id); authorized only → ORDER_STATUS_INVALID', async () => {
    const { op, tx } = setup();
    await expect(op.guard(tx, payment({ status: 'SUCCEEDED', capturedAmount: 0n }), merchant, req)).rejects.toMatchObject(
      refusal('UNKNOWN_EXCEPTION', 'U'),
    );
    await expect(op.guard(tx, payment({ status: 'AUTHORIZED' }), merchant, req)).rejects.toMatchObject(refusal('ORDER_STATUS_INVALID'));
  });

  it('guard: a replay of the same refundRequestId; other key fields → REPEAT_REQ_INCONSISTENT', async () => {
    const { op, tx, operations } = setup();
    operations.findRefund.mockResolvedValue(stored());
    await expect(op.guard(tx, captured(), merchant, req)).resolves.toMatchObject({ kind: 'replay' });
    await expect(op.guard(tx, captured(), merchant, { ...req, refundAmount: { currency: 'USD', value: '1' } })).rejects.toMatchObject(
      refusal('REPEAT_REQ_INCONSISTENT'),
    );
  });

  it('upstream: the row id as refundRequestId, the named capture by the acquirer id, the async flag passed on', async () => {
    const { op, upstream } = setup();
    await op.callUpstream({ p: captured(), r: stored(), upstreamCaptureId: 'up-cap-9' }, { ...req, isAsyncRefund: true });
    expect(upstream.refund).toHaveBeenCalledWith({
      refundRequestId: 'r-row',
      paymentId: 'up-1',
      refundAmount: { currency: 'USD', value: '300' },
      captureId: 'up-cap-9',
      isAsyncRefund: true,
    });
  });

  it('apply: through applyRefundOutcome, answered from the stored refund', async () => {
    const { op, answers } = setup();
    answers.applyRefundOutcome.mockResolvedValue({
      payment: captured(),
      refund: stored({ status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' }),
    });
    await expect(op.apply({ p: captured(), r: stored(), upstreamCaptureId: null }, answer({ result: S }))).resolves.toMatchObject({
      result: { resultStatus: 'S' },
      refundId: 'gwr_1',
    });
    expect(answers.applyRefundOutcome).toHaveBeenCalledWith('r-row', answer({ result: S }));
  });

  it('replay: a refund left U is re-driven with this request resent (its captureId looked up again)', async () => {
    const { op, redrive, operations, upstream } = setup();
    redrive.refundRedrivable.mockReturnValue(true);
    operations.findCapture.mockResolvedValue(Object.assign(new Capture(), { status: 'SUCCESS', upstreamCaptureId: 'up-cap-9' }));
    redrive.redriveRefund.mockImplementation(async (p, r, resend) => {
      await resend(r);
      return { payment: p, refund: stored({ status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' }) } as never;
    });
    await expect(op.replay({ p: captured(), r: stored(), upstreamCaptureId: null }, merchant, { ...req, captureId: 'gwc_9' })).resolves.toMatchObject(
      { result: { resultStatus: 'S' } },
    );
    expect(upstream.refund).toHaveBeenCalledWith(expect.objectContaining({ refundRequestId: 'r-row', captureId: 'up-cap-9' }));
  });
});
