import { mock } from 'jest-mock-extended';

import { OutboxService } from '../notifications/outbox/outbox.service';
import { fakeDb, merchant, payment } from '../operations/money.fakes';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { AvsPolicyService } from './avs-policy.service';
import { ReconciliationService } from './reconciliation.service';

const failedAvs = { addressLine1Check: 'fail', postalCodeCheck: 'pass', cvcCheck: 'pass' };
const passed = { addressLine1Check: 'pass', postalCodeCheck: 'pass', cvcCheck: 'pass' };
const authorized = (checks: object, changes: Partial<Payment> = {}) => payment({ status: 'AUTHORIZED', paymentResultInfo: { checks }, ...changes });

function setup(stored: Payment) {
  const { db, transactions } = fakeDb();
  const payments = mock<PaymentsRepository>();
  const reconciliation = mock<ReconciliationService>();
  const outbox = mock<OutboxService>();
  payments.findById.mockResolvedValue(stored);
  payments.reload.mockResolvedValue(stored);
  reconciliation.finishPolicyVoid.mockResolvedValue();
  outbox.releaseHeld.mockResolvedValue(true);
  return { policy: new AvsPolicyService(db, payments, reconciliation, outbox), db, payments, reconciliation, outbox, transactions };
}

const as = (avsPolicy: 'ACCEPT' | 'REVIEW' | 'VOID') => ({ ...merchant, avsPolicy });

describe('AvsPolicyService: the merchant AVS/CVV policy on a fresh authorization', () => {
  it('checks that passed cost nothing: no statement, the payment as it is', async () => {
    const p = authorized(passed);
    const { policy, outbox, transactions } = setup(p);
    await expect(policy.apply(as('VOID'), p)).resolves.toBe(p);
    expect(outbox.releaseHeld).not.toHaveBeenCalled();
    expect(transactions()).toBe(0);
    expect(policy.willVoid(as('VOID'), p)).toBe(false);
  });

  it('VOID on a manual authorization with a failed check: decided (F, cancel asked) before the cancel is sent, the held notice released as F', async () => {
    const p = authorized(failedAvs);
    const { policy, db, payments, reconciliation, outbox } = setup(p);
    expect(policy.willVoid(as('VOID'), p)).toBe(true);
    await policy.apply(as('VOID'), p);
    expect(payments.decideVoid).toHaveBeenCalledWith(expect.anything(), p, 'RISK_REJECT', expect.any(String), 10);
    expect(outbox.rewritePending).toHaveBeenCalled();
    expect(reconciliation.finishPolicyVoid).toHaveBeenCalledWith('p-row-1');
    expect(payments.answerFailed).toHaveBeenCalledWith(db, 'p-row-1', 'RISK_REJECT', expect.any(String));
    expect(outbox.releaseHeld).toHaveBeenCalledTimes(1);
  });

  it('VOID whose cancel call fails: still answered F (reconciliation finishes the void)', async () => {
    const p = authorized(failedAvs);
    const { policy, payments, reconciliation } = setup(p);
    reconciliation.finishPolicyVoid.mockRejectedValue(new Error('upstream down'));
    await policy.apply(as('VOID'), p);
    expect(payments.answerFailed).toHaveBeenCalledTimes(1);
  });

  it('VOID with no held notice left: the F notice queued or the pending one rewritten', async () => {
    const p = authorized(failedAvs);
    const { policy, outbox } = setup(p);
    outbox.releaseHeld.mockResolvedValue(false);
    await policy.apply(as('VOID'), p);
    expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    expect(outbox.rewritePending).toHaveBeenCalledTimes(2);
  });

  it('REVIEW, or VOID on an automatic capture (which cannot be voided): flagged for review, the notice released', async () => {
    for (const [who, p] of [
      [as('REVIEW'), authorized(failedAvs)],
      [as('VOID'), authorized(failedAvs, { status: 'SUCCEEDED', captureMode: 'AUTOMATIC' })],
    ] as const) {
      const { policy, payments, outbox } = setup(p);
      await policy.apply(who, p);
      expect(payments.flagForReview).toHaveBeenCalledTimes(1);
      expect(payments.decideVoid).not.toHaveBeenCalled();
      expect(outbox.releaseHeld).toHaveBeenCalledTimes(1);
    }
  });

  it('ACCEPT with a failed check: nothing decided, the held notice released', async () => {
    const p = authorized(failedAvs);
    const { policy, payments, outbox } = setup(p);
    await policy.apply(as('ACCEPT'), p);
    expect(payments.flagForReview).not.toHaveBeenCalled();
    expect(outbox.releaseHeld).toHaveBeenCalledTimes(1);
  });

  it('already decided by settlement (an inquiry settled it first), or a cancel already asked: not decided twice', async () => {
    for (const p of [
      authorized(failedAvs, { resultCode: 'RISK_REJECT' }),
      authorized(failedAvs, { paymentResultInfo: { checks: failedAvs, reviewRequired: true } }),
    ]) {
      const { policy, payments, outbox } = setup(p);
      await expect(policy.apply(as('VOID'), p)).resolves.toBe(p);
      expect(payments.decideVoid).not.toHaveBeenCalled();
      expect(outbox.releaseHeld).not.toHaveBeenCalled();
    }
    const asked = authorized(failedAvs, { cancelRequestedAt: new Date() });
    const { policy, payments } = setup(asked);
    await policy.apply(as('VOID'), asked);
    expect(payments.decideVoid).not.toHaveBeenCalled();
    expect(payments.flagForReview).not.toHaveBeenCalled();
  });
});
