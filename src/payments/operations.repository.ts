import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { Queryable } from '../platform/database/prepared';
import { insertRow, Sql, updateRow, withCtes } from '../platform/database/sql';
import { Capture, Refund } from './capture.entity';
import { armReconcileSql } from './payments.repository';

export type Operation = Capture | Refund;
type OperationClass = typeof Capture | typeof Refund;

/**
 * The `capture` and `refund` tables: the only place that writes them. An operation row is reserved (with
 * its timeline row and the payment's reconciliation arm) before it goes upstream, and saved once answered.
 */
@Injectable()
export class OperationsRepository {
  constructor(private readonly db: DataSource) {}

  findCapture(
    where: Partial<Pick<Capture, 'id' | 'merchantId' | 'captureRequestId' | 'captureId' | 'paymentId'>> & { upstreamCaptureId?: string },
    q: EntityManager = this.db.manager,
  ): Promise<Capture | null> {
    return q.findOneBy(Capture, where);
  }

  findRefund(
    where: Partial<Pick<Refund, 'id' | 'merchantId' | 'refundRequestId' | 'refundId'>>,
    q: EntityManager = this.db.manager,
  ): Promise<Refund | null> {
    return q.findOneBy(Refund, where);
  }

  /** Locks the operation row for the rest of the transaction (settling it twice at once applies once). */
  lock<T extends Operation>(tx: EntityManager, entity: new () => T, id: string): Promise<T | null> {
    return tx.findOne(entity as OperationClass, { where: { id }, lock: { mode: 'pessimistic_write' } }) as Promise<T | null>;
  }

  /** Re-reads an operation (a twin request waiting for its final answer). */
  reload<T extends Operation>(row: T): Promise<T | null> {
    return this.db.getRepository(row.constructor as OperationClass).findOneBy({ id: row.id }) as Promise<T | null>;
  }

  /**
   * The operation's row, its timeline row and the reconciliation arm, as one statement. The arm: if this
   * process dies between the acquirer's answer and its write, the operation stays PROCESSING and
   * reconciliation must look at the payment then (a settled payment's next look is otherwise never).
   */
  async reserve(tx: EntityManager, row: Operation, event: Sql, armSeconds: number): Promise<void> {
    const s = withCtes(
      [
        ['op', insertRow(tx.connection.getMetadata(row.constructor), row)],
        ['arm', armReconcileSql(row.paymentId, armSeconds)],
      ],
      event,
    );
    await tx.query(s.text, s.values);
  }

  /** An operation's new result as one UPDATE (TypeORM's `save` reads the row back first: a round trip more). */
  async save(tx: EntityManager, row: Operation): Promise<void> {
    row.updatedAt = new Date();
    const { id, ...fields } = row;
    const u = updateRow(tx.connection.getMetadata(row.constructor), id, fields);
    await tx.query(u.text, u.values);
  }

  /** Σ of the operations that hold money: everything not failed. */
  async reserved(tx: Queryable, table: 'capture' | 'refund', paymentId: string): Promise<bigint> {
    const rows: { s: string | null }[] = await tx.query(`SELECT sum(amount)::text AS s FROM ${table} WHERE payment_id = $1 AND status <> 'FAIL'`, [
      paymentId,
    ]);
    return BigInt(rows[0]?.s ?? '0');
  }

  /** Captures and refunds without a final answer yet (reconciliation's work). */
  openCaptures(paymentId: string): Promise<Capture[]> {
    return this.db.getRepository(Capture).find({
      where: [
        { paymentId, status: 'PROCESSING' },
        { paymentId, status: 'UNKNOWN' },
      ],
    });
  }

  openRefunds(paymentId: string): Promise<Refund[]> {
    return this.db.getRepository(Refund).findBy({ paymentId, status: 'PROCESSING' });
  }

  /** Every capture and refund of a payment, oldest first (inquiryPayment's transactions). */
  async ofPayment(paymentId: string): Promise<{ captures: Capture[]; refunds: Refund[] }> {
    const [captures, refunds] = await Promise.all([
      this.db.getRepository(Capture).find({ where: { paymentId }, order: { createdAt: 'ASC' } }),
      this.db.getRepository(Refund).find({ where: { paymentId }, order: { createdAt: 'ASC' } }),
    ]);
    return { captures, refunds };
  }

  /** The status of one capture or refund by its id, in one read; null when there is none. */
  async statusOf(table: 'capture' | 'refund', id: string): Promise<string | null> {
    const rows: { status: string }[] = await this.db.query(`SELECT status FROM ${table} WHERE id = $1`, [id]);
    return rows[0]?.status ?? null;
  }
}
