import { mock } from 'jest-mock-extended';

import { OutboxService } from '../notifications/outbox/outbox.service';
import { answer, F, fakeDb, noAnswer, payment, S, U } from '../operations/money.fakes';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { AmountUpdateSettlement, closedCode } from './amount-update-settlement';

const update = (changes: Partial<AmountUpdate> = {}) =>
  Object.assign(
    new AmountUpdate(),
    {
      id: 'u-row',
      paymentId: 'p-row-1',
      updateRequestId: 'upd-1',
      amount: 1500n,
      previousAmount: 1000n,
      currency: 'USD',
      status: 'PROCESSING',
      resultStatus: null,
    },
    changes,
  );

function setup(u = update(), p: Payment = payment()) {
  const { db, tx } = fakeDb();
  const payments = mock<PaymentsRepository>();
  const updates = mock<AmountUpdatesRepository>();
  const outbox = mock<OutboxService>();
  updates.lock.mockResolvedValue(u);
  payments.lock.mockResolvedValue(p);
  return { settlement: new AmountUpdateSettlement(db, payments, updates, outbox), tx, payments, updates, outbox, u };
}

describe('AmountUpdateSettlement: the answer to an updateAmount, applied once whichever road brings it', () => {
  it('S: the authorized amount raised, AMOUNT_UPDATED, the merchant notified (UPDATE_AMOUNT_RESULT)', async () => {
    const { settlement, payments, outbox, u } = setup();
    await settlement.apply('u-row', answer({ result: S }), 'RESPONSE');
    expect(u).toMatchObject({ status: 'SUCCESS', resultStatus: 'S', nextReconcileAt: null });
    expect(payments.transition).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      'AUTHORIZED',
      'AMOUNT_UPDATED',
      { authorizedAmount: 1500n },
      expect.objectContaining({ source: 'RESPONSE' }),
    );
    expect(outbox.enqueue).toHaveBeenCalledTimes(1);
  });

  it('S for a payment cancelled meanwhile: the update void (AUTH_CANCELLED), the amount untouched', async () => {
    const { settlement, payments, u } = setup(update(), payment({ status: 'CANCELLED' }));
    await settlement.apply('u-row', answer({ result: S }), 'NOTIFICATION');
    expect(u).toMatchObject({ status: 'FAIL', resultCode: 'AUTH_CANCELLED' });
    expect(payments.transition).not.toHaveBeenCalled();
    expect(payments.event).toHaveBeenCalledWith(
      expect.anything(),
      'p-row-1',
      'AMOUNT_UPDATE_VOID',
      'CANCELLED',
      'CANCELLED',
      1500n,
      expect.anything(),
    );
  });

  it('F: final with the acquirer code; notified only when it did not come as the merchant own answer', async () => {
    const a = setup();
    await a.settlement.apply('u-row', answer({ result: F('INCREMENTAL_NOT_SUPPORT', 'no') }), 'RESPONSE');
    expect(a.u).toMatchObject({ status: 'FAIL', resultCode: 'INCREMENTAL_NOT_SUPPORT', resultMessage: 'no' });
    expect(a.outbox.enqueue).not.toHaveBeenCalled();
    const b = setup();
    await b.settlement.apply('u-row', answer({ result: F('not a code!') }), 'RECONCILIATION');
    expect(b.u).toMatchObject({ status: 'FAIL', resultCode: 'PROCESS_FAIL' });
    expect(b.outbox.enqueue).toHaveBeenCalledTimes(1);
  });

  it('U or no answer: stays PROCESSING with U and retry advice (reconciliation resends it)', async () => {
    for (const outcome of [answer({ result: U }), noAnswer()]) {
      const { settlement, u, payments } = setup();
      await settlement.apply('u-row', outcome as never, 'RESPONSE');
      expect(u).toMatchObject({ status: 'PROCESSING', resultStatus: 'U' });
      expect(payments.transition).not.toHaveBeenCalled();
    }
  });

  it('an update already final never moves again', async () => {
    const { settlement, updates, payments } = setup(update({ status: 'SUCCESS', resultStatus: 'S' }));
    await settlement.apply('u-row', answer({ result: F('PROCESS_FAIL') }), 'NOTIFICATION');
    expect(updates.save).not.toHaveBeenCalled();
    expect(payments.event).not.toHaveBeenCalled();
  });

  it('closedCode names what Antom answers an update of a payment no longer authorized', () => {
    expect(closedCode({ status: 'EXPIRED' })).toBe('AUTH_EXPIRED');
    expect(closedCode({ status: 'CAPTURED' })).toBe('ORDER_STATUS_INVALID');
  });
});
