import { mock } from 'jest-mock-extended';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { AvsPolicyService } from '../acquirer-answers/avs-policy.service';
import { PayRedrive } from '../acquirer-answers/pay-redrive';
import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { payAnswer } from '../antom/wire/answers.fakes';
import { answer, fakeDb, merchant, payment, S } from '../operations/money.fakes';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { PayIdempotency, Redrive } from './pay-idempotency';
import { payKeyHash, PayPipeline, PaySource } from './pay-pipeline';

const req = {
  paymentRequestId: 'req-1',
  paymentAmount: { currency: 'USD', value: '1000' },
  paymentFactor: { captureMode: 'MANUAL' },
} as unknown as PayRequestDto;

function setup() {
  const { db } = fakeDb();
  const deps = {
    payments: mock<PaymentsRepository>(),
    answers: mock<AcquirerAnswersService>(),
    idempotency: mock<PayIdempotency>(),
    avs: mock<AvsPolicyService>(),
    payRedrive: mock<PayRedrive>(),
    reconciliation: mock<ReconciliationService>(),
  };
  const settled = payment({ status: 'AUTHORIZED', resultStatus: 'S', resultCode: 'SUCCESS' });
  deps.idempotency.insertOrReplay.mockImplementation(async (_m, _r, _h, insert) => {
    await insert();
    return null;
  });
  deps.answers.applyFreshPayOutcome.mockResolvedValue(settled);
  deps.avs.apply.mockImplementation(async (_m, p) => p);
  const calls: string[] = [];
  const fresh = payment({ status: 'RECEIVED' });
  const source: PaySource = {
    requestHash: 'h',
    readFirst: false,
    payment: () => fresh,
    insert: jest.fn(async () => {
      calls.push('insert');
    }),
    forward: jest.fn(async () => {
      calls.push('forward');
      return answer({ result: S });
    }),
    afterSettle: jest.fn(async () => {
      calls.push('afterSettle');
    }),
  };
  const pipeline = new PayPipeline(db, deps.payments, deps.answers, deps.idempotency, deps.avs, deps.payRedrive, deps.reconciliation);
  return { pipeline, source, calls, fresh, settled, ...deps };
}

describe('PayPipeline: idempotency → insert → forward → apply → AVS/CVV policy → answer', () => {
  it('a new pay: inserted, forwarded, the answer applied fresh (the AVS policy asked whether it voids), consent, the policy, the answer', async () => {
    const { pipeline, source, calls, answers, avs, fresh, settled } = setup();
    const a = await pipeline.run(merchant, req, source);
    expect(calls).toEqual(['insert', 'forward', 'afterSettle']);
    expect(answers.applyFreshPayOutcome).toHaveBeenCalledWith(fresh, answer({ result: S }), expect.any(Function));
    const holdNotice = answers.applyFreshPayOutcome.mock.calls[0][2] as (p: Payment) => boolean;
    holdNotice(settled);
    expect(avs.willVoid).toHaveBeenCalledWith(merchant, settled);
    expect(avs.apply).toHaveBeenCalledWith(merchant, settled);
    expect(a).toMatchObject({ result: { resultStatus: 'S' }, paymentId: 'gwp_1' });
  });

  it('a twin won the insert: its answer, nothing forwarded', async () => {
    const { pipeline, source, idempotency, answers } = setup();
    const twin = payAnswer('U');
    idempotency.insertOrReplay.mockResolvedValue(twin);
    await expect(pipeline.run(merchant, req, source)).resolves.toEqual(twin);
    expect(source.forward).not.toHaveBeenCalled();
    expect(answers.applyFreshPayOutcome).not.toHaveBeenCalled();
  });

  it('readFirst: a known paymentRequestId is replayed (no insert)', async () => {
    const { pipeline, source, payments, idempotency } = setup();
    payments.findByRequestId.mockResolvedValue(payment());
    const replayed = payAnswer('S', { paymentId: 'gwp_replayed' });
    idempotency.replay.mockResolvedValue(replayed);
    await expect(pipeline.run(merchant, req, { ...source, readFirst: true })).resolves.toEqual(replayed);
    expect(source.insert).not.toHaveBeenCalled();
  });

  it("a retry of a payment left U: re-driven with the source's own forward; an AVS void decided sends the cancel; consent after a final status", async () => {
    const { pipeline, source, payRedrive, reconciliation, payments, idempotency, avs } = setup();
    const final = payment({ status: 'AUTHORIZED' });
    payRedrive.redrive.mockImplementation(async (p, resend) => {
      await resend(p);
      return { payment: final, policyVoid: true };
    });
    payments.findById.mockResolvedValue(final);
    reconciliation.finishPolicyVoid.mockRejectedValue(new Error('down'));
    idempotency.replay.mockImplementation(async (existing, _h, redrive: Redrive) => {
      await redrive(existing);
      return payAnswer('S');
    });
    await pipeline.replay(merchant, payment({ status: 'UNKNOWN' }), source);
    expect(source.forward).toHaveBeenCalledTimes(1);
    expect(reconciliation.finishPolicyVoid).toHaveBeenCalledWith('p-row-1');
    expect(source.afterSettle).toHaveBeenCalledWith(final);
    expect(avs.apply).toHaveBeenCalledWith(merchant, final);
  });

  it('a re-drive that did nothing (lease held, still U): null, the stored answer stands', async () => {
    const { pipeline, source, payRedrive, idempotency } = setup();
    payRedrive.redrive.mockResolvedValue(null);
    const stored = payAnswer('U');
    let redriven: Payment | null | undefined;
    idempotency.replay.mockImplementation(async (existing, _h, redrive: Redrive) => {
      redriven = await redrive(existing);
      return stored;
    });
    await expect(pipeline.replay(merchant, payment({ status: 'UNKNOWN' }), source)).resolves.toEqual(stored);
    expect(redriven).toBeNull();
    expect(source.afterSettle).not.toHaveBeenCalled();
  });

  it("payKeyHash: amount, method and capture mode are the key fields; the capture mode defaults to Antom's AUTOMATIC", () => {
    const auto = { ...req, paymentFactor: undefined } as unknown as PayRequestDto;
    expect(payKeyHash(req, 'fp')).not.toBe(payKeyHash(auto, 'fp'));
    expect(payKeyHash(auto, 'fp')).toBe(payKeyHash({ ...auto, paymentFactor: { captureMode: 'AUTOMATIC' } } as unknown as PayRequestDto, 'fp'));
    expect(payKeyHash(req, 'fp')).not.toBe(payKeyHash(req, 'other'));
  });
});
