import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { OperationRedrive } from '../acquirer-answers/operation-redrive';
import { loadConfig } from '../config/gateway-config';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { Capture } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateOperation } from './amount-update.operation';
import { CaptureOperation } from './capture.operation';
import { answer, merchant, payment, refusal, S, U } from './money.fakes';
import { keyHash } from './request-key';

const req = { paymentId: 'gwp_1', captureRequestId: 'cap-1', captureAmount: { currency: 'USD', value: '400' }, isLastCapture: false };

function setup() {
  const deps = {
    payments: mock<PaymentsRepository>(),
    operations: mock<OperationsRepository>(),
    updates: mock<AmountUpdatesRepository>(),
    amountUpdate: mock<AmountUpdateOperation>(),
    answers: mock<AcquirerAnswersService>(),
    redrive: mock<OperationRedrive>(),
    upstream: mock<PaymentProcessor>(),
  };
  deps.operations.reserved.mockResolvedValue(0n);
  deps.updates.inFlight.mockResolvedValue(null);
  const op = new CaptureOperation(
    deps.payments,
    deps.operations,
    deps.updates,
    deps.amountUpdate,
    deps.answers,
    deps.redrive,
    deps.upstream,
    loadConfig({}, {}),
  );
  return { op, tx: mock<EntityManager>(), ...deps };
}

const stored = (changes: Partial<Capture> = {}) =>
  Object.assign(
    new Capture(),
    {
      id: 'c-row',
      captureId: 'gwc_1',
      captureRequestId: 'cap-1',
      requestHash: keyHash('gwp_1', 'USD', '400'),
      currency: 'USD',
      amount: 400n,
      status: 'SUCCESS',
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success.',
    },
    changes,
  );

describe('CaptureOperation', () => {
  it('before the lock, an amount update left open is settled first', async () => {
    const { op, payments, amountUpdate } = setup();
    payments.findByPaymentId.mockResolvedValue(payment());
    await op.beforeLock(merchant, req);
    expect(amountUpdate.settlePending).toHaveBeenCalledWith('p-row-1');
  });

  it('guard: reserves the capture (PROCESSING, the row id as the upstream request id) with its timeline row', async () => {
    const { op, tx, operations } = setup();
    const g = await op.guard(tx, payment(), merchant, req);
    expect(g.kind).toBe('reserved');
    const c = (g as { reserved: { c: Capture } }).reserved.c;
    expect(c).toMatchObject({
      status: 'PROCESSING',
      amount: 400n,
      currency: 'USD',
      isLast: false,
      automatic: false,
      captureRequestId: 'cap-1',
      merchantId: merchant.id,
    });
    expect(operations.reserve).toHaveBeenCalledWith(tx, c, expect.anything(), 60);
  });

  it('guard: the same captureRequestId with the same key fields is a replay; with others REPEAT_REQ_INCONSISTENT', async () => {
    const { op, tx, operations } = setup();
    operations.findCapture.mockResolvedValue(stored());
    await expect(op.guard(tx, payment(), merchant, req)).resolves.toMatchObject({ kind: 'replay' });
    await expect(op.guard(tx, payment(), merchant, { ...req, captureAmount: { currency: 'USD', value: '401' } })).rejects.toMatchObject(
      refusal('REPEAT_REQ_INCONSISTENT'),
    );
    expect(operations.reserve).not.toHaveBeenCalled();
  });

  it('guard: an amount update in flight answers U (retry the same id), nothing reserved', async () => {
    const { op, tx, updates, operations } = setup();
    updates.inFlight.mockResolvedValue(new AmountUpdate());
    await expect(op.guard(tx, payment(), merchant, req)).rejects.toMatchObject(refusal('UNKNOWN_EXCEPTION', 'U'));
    expect(operations.reserve).not.toHaveBeenCalled();
  });

  it('guard: the capturable amount counts what other captures reserved', async () => {
    const { op, tx, operations } = setup();
    operations.reserved.mockResolvedValue(700n);
    await expect(op.guard(tx, payment(), merchant, req)).rejects.toMatchObject(refusal('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT'));
    await expect(op.guard(tx, payment({ status: 'CANCELLED' }), merchant, req)).rejects.toMatchObject(refusal('AUTH_CANCELLED'));
  });

  it('upstream: captureRequestId is the row id, paymentId the acquirer id', async () => {
    const { op, upstream } = setup();
    upstream.capture.mockResolvedValue(answer({ result: S }));
    await op.callUpstream({ p: payment(), c: stored({ id: 'c-row', isLast: true }) });
    expect(upstream.capture).toHaveBeenCalledWith({
      captureRequestId: 'c-row',
      paymentId: 'up-1',
      captureAmount: { currency: 'USD', value: '400' },
      isLastCapture: true,
    });
  });

  it('apply: the acquirer answers settled by applyCaptureOutcome, the answer built from what it stored', async () => {
    const { op, answers } = setup();
    const outcome = answer({ result: U });
    answers.applyCaptureOutcome.mockResolvedValue({
      payment: payment(),
      capture: stored({ status: 'UNKNOWN', resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' }),
    });
    const a = await op.apply({ p: payment(), c: stored() }, outcome);
    expect(answers.applyCaptureOutcome).toHaveBeenCalledWith('c-row', outcome);
    expect(a).toMatchObject({ result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' }, captureId: 'gwc_1', paymentId: 'gwp_1' });
  });

  it('replay: a final capture answers as stored; a U one is re-driven and answers the re-drive', async () => {
    const { op, redrive } = setup();
    redrive.captureRedrivable.mockReturnValue(false);
    await expect(op.replay({ p: payment(), c: stored() })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
    expect(redrive.redriveCapture).not.toHaveBeenCalled();
    redrive.captureRedrivable.mockReturnValue(true);
    redrive.redriveCapture.mockResolvedValue({ payment: payment(), capture: stored({ resultCode: 'SUCCESS' }) } as never);
    await expect(op.replay({ p: payment(), c: stored({ status: 'UNKNOWN', resultStatus: 'U' }) })).resolves.toMatchObject({
      result: { resultStatus: 'S' },
    });
  });

  it('twin: waiting while PROCESSING without a result', () => {
    const { op } = setup();
    expect(op.awaitingTwin({ p: payment(), c: stored({ status: 'PROCESSING', resultStatus: null }) })).toBe(true);
    expect(op.awaitingTwin({ p: payment(), c: stored({ status: 'UNKNOWN', resultStatus: 'U' }) })).toBe(false);
  });
});
