import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { Queryable } from '../platform/database/prepared';
import { insertRow, Sql, updateRow, withCtes } from '../platform/database/sql';
import { AmountUpdate } from './amount-update.entity';

/**
 * The `amount_update` table (incremental authorizations): the only place that writes it. A row is reserved
 * with its timeline row under the payment's lock, before it goes upstream; the payment's authorized amount
 * moves only when the acquirer says S (PaymentsRepository.transition, in the same transaction). An open
 * row is also reconciliation's queue entry (`next_reconcile_at`, cleared when it becomes final).
 */
@Injectable()
export class AmountUpdatesRepository {
  constructor(private readonly db: DataSource) {}

  find(
    where: Partial<Pick<AmountUpdate, 'id' | 'merchantId' | 'updateRequestId'>>,
    q: EntityManager = this.db.manager,
  ): Promise<AmountUpdate | null> {
    return q.findOneBy(AmountUpdate, where);
  }

  /** Locks the update row: applying one answer twice at once applies it once. */
  lock(tx: EntityManager, id: string): Promise<AmountUpdate | null> {
    return tx.findOne(AmountUpdate, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The payment's update still waiting for the acquirer (at most one: a partial unique index). */
  inFlight(q: EntityManager | undefined, paymentId: string): Promise<AmountUpdate | null> {
    return (q ?? this.db.manager).findOneBy(AmountUpdate, { paymentId, status: 'PROCESSING' });
  }

  /** How many times the authorized amount was raised (Antom allows 10 adjustments). */
  async succeeded(q: Queryable, paymentId: string): Promise<number> {
    const rows: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM amount_update WHERE payment_id = $1 AND status = 'SUCCESS'`, [
      paymentId,
    ]);
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

  /** The update's status alone (a notification's first look); null when the id is not one of ours. */
  async statusOf(id: string): Promise<AmountUpdate['status'] | null> {
    const rows: { status: AmountUpdate['status'] }[] = await this.db.query(`SELECT status FROM amount_update WHERE id = $1`, [id]);
    return rows[0]?.status ?? null;
  }

  /**
   * Claims open updates whose resend is due, across instances (SKIP LOCKED), and pushes each one's next
   * look out first — `baseSeconds` doubled per attempt, at most `maxSeconds` — so a crash mid-resend
   * leaves it due again later, never lost. Returns the claimed rows, their attempt counted.
   */
  async claimDue(baseSeconds: number, maxSeconds: number, limit: number): Promise<Array<{ id: string; attempts: number }>> {
    const r: unknown[] = await this.db.query(
      `UPDATE amount_update SET reconcile_attempts = reconcile_attempts + 1,
              next_reconcile_at = now() + make_interval(secs => least($2::float8, $1::float8 * power(2, least(reconcile_attempts, 20))))
        WHERE id IN (SELECT id FROM amount_update WHERE status = 'PROCESSING' AND next_reconcile_at <= now()
                      ORDER BY next_reconcile_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, reconcile_attempts AS attempts`,
      [baseSeconds, maxSeconds, limit],
    );
    return (Array.isArray(r[0]) ? r[0] : r) as Array<{ id: string; attempts: number }>;
  }

  /** Reconciliation resends the update now (a notification about it we could not trust). */
  async reconcileNow(id: string): Promise<void> {
    await this.db.query(`UPDATE amount_update SET next_reconcile_at = now() WHERE id = $1 AND status = 'PROCESSING'`, [id]);
  }

  reload(row: AmountUpdate): Promise<AmountUpdate | null> {
    return this.db.getRepository(AmountUpdate).findOneBy({ id: row.id });
  }
}
