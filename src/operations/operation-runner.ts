import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AntomError } from '../antom/antom-error';
import { MerchantIdentity } from '../merchants/merchants.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { crashPoint } from '../platform/crash-hook';
import { MoneyOperation } from './money-operation';

/** How long a retry waits for its twin's first answer before answering what is stored (U: safe to retry). */
export const TWIN_WAIT_MS = 10_000;
const TWIN_POLL_MS = 50;

/**
 * Runs a MoneyOperation's phases in one order for every money movement:
 *   validate → (settle what must come first) → lock the payment + guard + reserve, ONE transaction →
 *   call upstream (no transaction, no lock held) → apply (acquirer-answers' transaction).
 * The payment's row lock (taken only here, through PaymentsRepository) serialises concurrent operations on
 * one payment, so two captures can never reserve the same money; the reservation is committed BEFORE the
 * upstream call, so a crash during it leaves a row reconciliation finds (never money moved unrecorded).
 */
@Injectable()
export class OperationRunner {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
  ) {}

  /** The twin wait's clock and pause (a unit spec replaces them). */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms));
  now: () => number = () => Date.now();

  async run<In, Reserved, Upstream, Answer>(
    op: MoneyOperation<In, Reserved, Upstream, Answer>,
    merchant: MerchantIdentity,
    req: In,
  ): Promise<Answer> {
    op.validate?.(req);
    await op.beforeLock?.(merchant, req);
    const guarded = await this.db.transaction(async (tx) => {
      const p = await this.payments.lockForMerchant(tx, merchant.id, op.target(req));
      if (!p) throw new AntomError('ORDER_NOT_EXIST', 'No payment with this id for this merchant.');
      return op.guard(tx, p, merchant, req);
    });
    if (guarded.kind === 'answered') return guarded.answer;
    if (guarded.kind === 'replay') {
      if (!op.replay) throw new Error('a replay from an operation without one');
      return op.replay(await this.twinWait(op, guarded.reserved), merchant, req);
    }
    const outcome = await op.callUpstream(guarded.reserved, req);
    if (op.crashPoint) crashPoint(op.crashPoint); // test hook (GATEWAY_CRASH_AT), no-op in production
    return op.apply(guarded.reserved, outcome, req);
  }

  /** A twin of this request is in flight: wait briefly (bounded by TWIN_WAIT_MS) for its first answer. */
  async twinWait<Reserved>(
    op: Pick<MoneyOperation<unknown, Reserved, unknown, unknown>, 'awaitingTwin' | 'reload'>,
    reserved: Reserved,
  ): Promise<Reserved> {
    if (!op.awaitingTwin || !op.reload) return reserved;
    const deadline = this.now() + TWIN_WAIT_MS;
    let current = reserved;
    while (op.awaitingTwin(current) && this.now() < deadline) {
      await this.sleep(TWIN_POLL_MS);
      current = await op.reload(current);
    }
    return current;
  }
}
