import { mock } from 'jest-mock-extended';

import { AntomError } from '../antom/antom-error';
import { PaymentsRepository } from '../payments/payments.repository';
import { fakeDb, merchant, payment, refusal } from './money.fakes';
import { MoneyOperation } from './money-operation';
import { OperationRunner, TWIN_WAIT_MS } from './operation-runner';

type Row = { id: string; status: string };
type Op = MoneyOperation<{ id: string }, Row, { ok: boolean }, string>;

function setup() {
  const { db, tx, transactions } = fakeDb();
  const payments = mock<PaymentsRepository>();
  payments.lockForMerchant.mockResolvedValue(payment());
  const runner = new OperationRunner(db, payments);
  let clock = 0;
  runner.now = () => clock;
  runner.sleep = async (ms) => {
    clock += ms;
  };
  const phases: string[] = [];
  const op: Op = {
    validate: jest.fn(() => {
      phases.push('validate');
    }),
    beforeLock: jest.fn(async () => {
      phases.push('beforeLock');
    }),
    target: (req) => ({ paymentId: req.id }),
    guard: jest.fn(async () => {
      phases.push(`guard(tx=${transactions()})`);
      return { kind: 'reserved' as const, reserved: { id: 'row', status: 'PROCESSING' } };
    }),
    callUpstream: jest.fn(async () => {
      phases.push(`upstream(tx=${transactions()})`);
      return { kind: 'answer' as const, body: { ok: true } };
    }),
    apply: jest.fn(async (r: Row, o) => {
      phases.push('apply');
      return `${r.id}:${o.kind}`;
    }),
  };
  return { runner, payments, tx, op, phases, transactions };
}

describe('OperationRunner: validate → lock → guard → call upstream → apply', () => {
  it('runs the phases in order; the guard inside the one transaction, the upstream call after it', async () => {
    const { runner, op, phases, payments, tx } = setup();
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).resolves.toBe('row:answer');
    expect(phases).toEqual(['validate', 'beforeLock', 'guard(tx=1)', 'upstream(tx=1)', 'apply']);
    expect(payments.lockForMerchant).toHaveBeenCalledWith(tx, merchant.id, { paymentId: 'gwp_1' });
    expect(op.guard).toHaveBeenCalledWith(tx, expect.objectContaining({ id: 'p-row-1' }), merchant, { id: 'gwp_1' });
  });

  it('a refusal in validate stops before anything is read', async () => {
    const { runner, op, payments } = setup();
    op.validate = () => {
      throw new AntomError('PARAM_ILLEGAL', 'no id');
    };
    await expect(runner.run(op, merchant, { id: '' })).rejects.toMatchObject(refusal('PARAM_ILLEGAL'));
    expect(payments.lockForMerchant).not.toHaveBeenCalled();
  });

  it('no such payment for this merchant: ORDER_NOT_EXIST, nothing guarded or sent', async () => {
    const { runner, op, payments } = setup();
    payments.lockForMerchant.mockResolvedValue(null);
    await expect(runner.run(op, merchant, { id: 'gwp_x' })).rejects.toMatchObject(refusal('ORDER_NOT_EXIST'));
    expect(op.guard).not.toHaveBeenCalled();
    expect(op.callUpstream).not.toHaveBeenCalled();
  });

  it('a guard refusal is the answer: nothing goes upstream', async () => {
    const { runner, op } = setup();
    (op.guard as jest.Mock).mockRejectedValue(new AntomError('ORDER_STATUS_INVALID', 'no'));
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).rejects.toMatchObject(refusal('ORDER_STATUS_INVALID'));
    expect(op.callUpstream).not.toHaveBeenCalled();
  });

  it('answered under the lock (nothing to send): that answer, no upstream call', async () => {
    const { runner, op } = setup();
    (op.guard as jest.Mock).mockResolvedValue({ kind: 'answered', answer: 'already' });
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).resolves.toBe('already');
    expect(op.callUpstream).not.toHaveBeenCalled();
    expect(op.apply).not.toHaveBeenCalled();
  });

  it('a replay waits for its twin first answer (polling the row), then answers by replay — never upstream from here', async () => {
    const { runner, op } = setup();
    (op.guard as jest.Mock).mockResolvedValue({ kind: 'replay', reserved: { id: 'twin', status: 'PROCESSING' } });
    let reloads = 0;
    op.awaitingTwin = (r) => r.status === 'PROCESSING';
    op.reload = async (r) => ({ ...r, status: ++reloads >= 3 ? 'SUCCESS' : 'PROCESSING' });
    op.replay = jest.fn(async (r: Row) => `replayed:${r.status}`);
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).resolves.toBe('replayed:SUCCESS');
    expect(reloads).toBe(3);
    expect(op.callUpstream).not.toHaveBeenCalled();
  });

  it('the twin wait is bounded: a twin still in flight after TWIN_WAIT_MS is replayed as it stands (U, safe to retry)', async () => {
    const { runner, op } = setup();
    (op.guard as jest.Mock).mockResolvedValue({ kind: 'replay', reserved: { id: 'twin', status: 'PROCESSING' } });
    let reloads = 0;
    op.awaitingTwin = () => true;
    op.reload = async (r) => {
      reloads++;
      return r;
    };
    op.replay = jest.fn(async (r: Row) => `replayed:${r.status}`);
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).resolves.toBe('replayed:PROCESSING');
    expect(reloads).toBe(TWIN_WAIT_MS / 50);
  });

  it('the upstream outcome, whatever it is (no answer too), goes to apply: the one place it is interpreted', async () => {
    const { runner, op } = setup();
    (op.callUpstream as jest.Mock).mockResolvedValue({ kind: 'no-answer', reason: 'timeout' });
    await expect(runner.run(op, merchant, { id: 'gwp_1' })).resolves.toBe('row:no-answer');
  });
});
