import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { AmountUpdateSettlement } from '../acquirer-answers/amount-update-settlement';
import { loadConfig } from '../config/gateway-config';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateOperation } from './amount-update.operation';
import { answer, merchant, payment, refusal, S } from './money.fakes';
import { keyHash } from './request-key';

const req = { paymentId: 'gwp_1', updateRequestId: 'upd-1', amount: { currency: 'USD', value: '1500' } };
const config = loadConfig({}, { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_TOTAL_BUDGET_MS: '4000' });

function setup() {
  const deps = {
    payments: mock<PaymentsRepository>(),
    updates: mock<AmountUpdatesRepository>(),
    operations: mock<OperationsRepository>(),
    upstream: mock<PaymentProcessor>(),
    settlement: mock<AmountUpdateSettlement>(),
    leases: mock<RedriveLeaseRepository>(),
  };
  deps.operations.reserved.mockResolvedValue(0n);
  deps.updates.succeeded.mockResolvedValue(0);
  deps.updates.inFlight.mockResolvedValue(null);
  deps.leases.claim.mockResolvedValue({ claimed: true, previous: null });
  deps.upstream.updateAmount.mockResolvedValue(answer({ result: S }));
  const op = new AmountUpdateOperation(deps.payments, deps.updates, deps.operations, deps.upstream, deps.settlement, config, deps.leases);
  return { op, tx: mock<EntityManager>(), ...deps };
}

const update = (ageMs: number, changes: Partial<AmountUpdate> = {}) =>
  Object.assign(
    new AmountUpdate(),
    {
      id: 'u-row',
      updateRequestId: 'upd-1',
      requestHash: keyHash('gwp_1', 'USD', '1500'),
      currency: 'USD',
      amount: 1500n,
      previousAmount: 1000n,
      status: 'PROCESSING',
      resultStatus: null,
      resultCode: null,
      updatedAt: new Date(Date.now() - ageMs),
    },
    changes,
  );

describe('AmountUpdateOperation', () => {
  it('guard: reserves the update with the previous amount and reconciliation due from the start', async () => {
    const { op, tx, updates } = setup();
    const g = await op.guard(tx, payment(), merchant, req);
    expect(g).toMatchObject({
      kind: 'reserved',
      reserved: { u: { status: 'PROCESSING', amount: 1500n, previousAmount: 1000n, reconcileAttempts: 0 } },
    });
    expect(updates.reserve).toHaveBeenCalled();
  });

  it('guard: a capture made or asked for → INCREMENTAL_NOT_SUPPORT; another update in flight → U', async () => {
    const { op, tx, operations, updates } = setup();
    operations.reserved.mockResolvedValueOnce(100n);
    await expect(op.guard(tx, payment(), merchant, req)).rejects.toMatchObject(refusal('INCREMENTAL_NOT_SUPPORT'));
    updates.inFlight.mockResolvedValueOnce(update(0));
    await expect(op.guard(tx, payment(), merchant, req)).rejects.toMatchObject(refusal('UNKNOWN_EXCEPTION', 'U'));
  });

  it('guard: a replay; other key fields → REPEAT_REQ_INCONSISTENT naming updateRequestId', async () => {
    const { op, tx, updates } = setup();
    updates.find.mockResolvedValue(update(0));
    await expect(op.guard(tx, payment(), merchant, req)).resolves.toMatchObject({ kind: 'replay' });
    await expect(op.guard(tx, payment(), merchant, { ...req, amount: { currency: 'USD', value: '9' } })).rejects.toMatchObject({
      result: expect.objectContaining({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultMessage: expect.stringContaining('updateRequestId') }),
    });
  });

  it('upstream: the row id as updateRequestId; apply through AmountUpdateSettlement as a RESPONSE', async () => {
    const { op, upstream, settlement } = setup();
    const u = update(0);
    const outcome = await op.callUpstream({ p: payment(), u });
    expect(upstream.updateAmount).toHaveBeenCalledWith(
      { updateRequestId: 'u-row', paymentId: 'up-1', amount: { currency: 'USD', value: '1500' } },
      { paymentId: 'gwp_1' },
    );
    settlement.apply.mockResolvedValue({
      payment: payment({ authorizedAmount: 1500n }),
      update: update(0, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' }),
    });
    await expect(op.apply({ p: payment(), u }, outcome)).resolves.toMatchObject({ result: { resultStatus: 'S' }, updateRequestId: 'upd-1' });
    expect(settlement.apply).toHaveBeenCalledWith('u-row', outcome, 'RESPONSE');
  });

  it('replay: a final update answers as stored; one still waiting for its first answer answers U; a U one is resent under its lease', async () => {
    const { op, upstream, updates, settlement } = setup();
    await expect(op.replay({ p: payment(), u: update(0, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' }) })).resolves.toMatchObject({
      result: { resultStatus: 'S' },
    });
    await expect(op.replay({ p: payment(), u: update(0) })).resolves.toMatchObject({ result: { resultStatus: 'U' } });
    expect(upstream.updateAmount).not.toHaveBeenCalled();
    updates.find.mockResolvedValue(update(0, { resultStatus: 'U' }));
    settlement.apply.mockResolvedValue({ payment: payment(), update: update(0, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' }) });
    await expect(op.replay({ p: payment(), u: update(0, { resultStatus: 'U' }) })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
    expect(upstream.updateAmount).toHaveBeenCalledTimes(1);
  });

  it('replay: the lease held by another re-drive → what is stored, nothing sent', async () => {
    const { op, upstream, leases, updates } = setup();
    leases.claim.mockResolvedValue({ claimed: false, previous: null });
    updates.reload.mockResolvedValue(update(0, { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' }));
    await expect(op.replay({ p: payment(), u: update(0, { resultStatus: 'U' }) })).resolves.toMatchObject({ result: { resultStatus: 'U' } });
    expect(upstream.updateAmount).not.toHaveBeenCalled();
  });

  it('settlePending: an open update past the upstream budget is resent; a fresh one is left to its call', async () => {
    const { op, updates, payments, upstream, settlement } = setup();
    settlement.apply.mockResolvedValue({ payment: payment(), update: update(0, { status: 'SUCCESS' }) });
    updates.inFlight.mockResolvedValueOnce(update(1_000));
    await op.settlePending('p-row-1');
    expect(upstream.updateAmount).not.toHaveBeenCalled();
    updates.inFlight.mockResolvedValueOnce(update(60_000));
    updates.find.mockResolvedValue(update(60_000));
    payments.findById.mockResolvedValue(payment());
    await op.settlePending('p-row-1');
    expect(upstream.updateAmount).toHaveBeenCalledTimes(1);
  });

  it('twin: waits while PROCESSING without a result and not yet resendable', () => {
    const { op } = setup();
    expect(op.awaitingTwin({ p: payment(), u: update(0) })).toBe(true);
    expect(op.awaitingTwin({ p: payment(), u: update(60_000) })).toBe(false);
    expect(op.awaitingTwin({ p: payment(), u: update(0, { resultStatus: 'U' }) })).toBe(false);
  });
});
