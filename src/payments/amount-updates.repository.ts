import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable } from '../platform/database/prepared';
import { Sql, insertRow, updateRow, withCtes } from '../platform/database/sql';
import { AmountUpdate } from './amount-update.entity';

/**
 * The `amount_update` table (incremental authorizations): the only place that writes it. A row is reserved
 * with its timeline row under the payment's lock, before it goes upstream; the payment's authorized amount
 * moves only when the acquirer says S (PaymentsRepository.transition, in the same transaction).
 */
@Injectable()
export class AmountUpdatesRepository {
  constructor(private readonly db: DataSource) {}

  find(where: Partial<Pick<AmountUpdate, 'id' | 'merchantId' | 'updateRequestId'>>, q: EntityManager = this.db.manager): Promise<AmountUpdate | null> {
    return q.findOneBy(AmountUpdate, where);
  }

  /** Locks the update row: applying one answer twice at once applies it once. */
  lock(tx: EntityManager, id: string): Promise<AmountUpdate | null> {
    return tx.findOne(AmountUpdate, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The payment's update still waiting for the acquirer (at most one: a partial unique index). */
  inFlight(q: EntityManager, paymentId: string): Promise<AmountUpdate | null> {
    return q.findOneBy(AmountUpdate, { paymentId, status: 'PROCESSING' });
  }

  /** How many times the authorized amount was raised (Antom allows 10 adjustments). */
  async succeeded(q: Queryable, paymentId: string): Promise<number> {
    const rows: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM amount_update WHERE payment_id = $1 AND status = 'SUCCESS'`, [paymentId]);
    return rows[0]?.n ?? 0;
  }

  /** The update row and its timeline row, as one statement. */
  async reserve(tx: EntityManager, row: AmountUpdate, event: Sql): Promise<void> {
    const s = withCtes([['u', insertRow(tx.connection.getMetadata(AmountUpdate), row)]], event);
    await tx.query(s.text, s.values);
  }

  async save(tx: EntityManager, row: AmountUpdate): Promise<void> {
    row.updatedAt = new Date();
    const { id, ...fields } = row;
    const u = updateRow(tx.connection.getMetadata(AmountUpdate), id, fields);
    await tx.query(u.text, u.values);
  }

  reload(row: AmountUpdate): Promise<AmountUpdate | null> {
    return this.db.getRepository(AmountUpdate).findOneBy({ id: row.id });
  }
}
