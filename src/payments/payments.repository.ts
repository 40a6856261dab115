import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Sql, insertRow, sql, updateRow, withCtes } from '../platform/database/sql';
import { Queryable, runPrepared } from '../platform/database/prepared';
import { Payment } from './payment.entity';
import { PaymentEvent } from './payment-event.entity';
import { PaymentStatus, assertTransition } from './payment-status';

export type { Queryable } from '../platform/database/prepared';

/** Statements that ride along with a write, as CTEs after it (see `transitionIf`). */
export type FollowUps = Array<[name: string, part: Sql]>;

/** Every status change goes through `transition`: guard, update and timeline row in the caller's transaction. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly db: DataSource) {}

  findByRequestId(merchantId: string, paymentRequestId: string, em: EntityManager = this.db.manager): Promise<Payment | null> {
    return em.findOneBy(Payment, { merchantId, paymentRequestId });
  }

  findByPaymentId(merchantId: string, paymentId: string, em: EntityManager = this.db.manager): Promise<Payment | null> {
    return em.findOneBy(Payment, { merchantId, paymentId });
  }

  /** Locks the row for the rest of the transaction: concurrent operations on one payment queue up here. */
  lock(tx: EntityManager, id: string): Promise<Payment | null> {
    return tx.findOne(Payment, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The payment row and its CREATED timeline row, after `before` (e.g. the vault's card rows), as ONE statement. */
  async insert(q: Queryable, payment: Payment, detail: Record<string, unknown>, before: FollowUps = []): Promise<void> {
    const s = withCtes([...before, ['main', insertRow(this.meta, payment)]], eventInsert([payment.id, 'CREATED', null, payment.status, payment.amount, detail]));
    await runPrepared(q, s);
  }

  async transition(tx: EntityManager, payment: Payment, to: PaymentStatus, type: string, changes: Partial<Payment>, detail: Record<string, unknown> = {}): Promise<void> {
    const from = payment.status;
    if (from !== to) assertTransition(from, to);
    const done = await this.runTransition(tx, payment, sql('TRUE'), to, type, changes, detail, () => []);
    if (!done) throw new Error('payment not found');
  }

  /**
   * The optimistic form of `transition`, for a caller that knows the row (it just wrote it): the update,
   * its timeline row and `followUps(next)` (CVV destruction, the merchant notice…) as ONE statement that
   * applies only while `guard` holds. False: someone else moved the payment first; the caller falls back
   * to the locking path and sees their change. Both roads run the same guard in `assertTransition`.
   */
  async transitionIf(q: Queryable, payment: Payment, guard: Sql, to: PaymentStatus, type: string, changes: Partial<Payment>, detail: Record<string, unknown>, followUps: (next: Payment) => FollowUps): Promise<boolean> {
    if (payment.status !== to) assertTransition(payment.status, to);
    return this.runTransition(q, payment, guard, to, type, changes, detail, followUps);
  }

  private async runTransition(q: Queryable, payment: Payment, guard: Sql, to: PaymentStatus, type: string, changes: Partial<Payment>, detail: Record<string, unknown>, followUps: (next: Payment) => FollowUps): Promise<boolean> {
    const from = payment.status;
    const updatedAt = new Date();
    const next = Object.assign(new Payment(), payment, changes, { status: to, updatedAt });
    const update = updateRow(this.meta, payment.id, { ...changes, status: to, updatedAt }, guard);
    const ev = eventInsert([payment.id, type, from, to, (changes.authorizedAmount ?? null) as bigint | null, detail], 'main');
    const s = withCtes([['main', sql(`${update.text} RETURNING id`, update.values)], ['ev', ev], ...followUps(next)], sql('SELECT count(*)::int AS n FROM main'));
    const rows = await runPrepared<{ n: number }>(q, s);
    if (rows[0]?.n !== 1) return false;
    Object.assign(payment, changes, { status: to, updatedAt });
    return true;
  }

  async event(tx: Queryable, paymentId: string, type: string, from: string | null, to: string | null, amount: bigint | null, detail: Record<string, any>): Promise<void> {
    const ev = eventInsert([paymentId, type, from, to, amount, detail]);
    await tx.query(ev.text, ev.values);
  }

  events(paymentId: string): Promise<PaymentEvent[]> {
    return this.db.getRepository(PaymentEvent).find({ where: { paymentId }, order: { id: 'ASC' } });
  }

  private get meta() {
    return this.db.getMetadata(Payment);
  }
}

type EventValues = [paymentId: string, type: string, from: string | null, to: string | null, amount: bigint | null, detail: Record<string, unknown>];

const EVENT_INSERT = 'INSERT INTO payment_event (payment_id, type, from_status, to_status, amount, detail)';
// Typed placeholders: in `INSERT … SELECT` PostgreSQL cannot take the types from the target columns.
const EVENT_PARAMS = '$1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::bigint, $6::jsonb';

/** A timeline row; with `after`, written only if that CTE returned a row (`INSERT … SELECT … FROM after`). */
export function eventInsert([paymentId, type, from, to, amount, detail]: EventValues, after?: string): Sql {
  const values = [paymentId, type, from, to, amount === null ? null : amount.toString(), JSON.stringify(detail)];
  return sql(after ? `${EVENT_INSERT} SELECT ${EVENT_PARAMS} FROM ${after}` : `${EVENT_INSERT} VALUES (${EVENT_PARAMS})`, values);
}
