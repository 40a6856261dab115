import { Injectable } from '@nestjs/common';
import { sql, withCtes } from '../../platform/database/sql';
import { enqueueCtes, retryNowSql } from './outbox-sql';
import { Queryable as PreparedQueryable, runPrepared } from '../../platform/database/prepared';

/** The caller's transaction (an EntityManager) or anything else that runs SQL. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface OutboundNotification {
  merchantId: string;
  paymentId: string;
  notifyType: 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT';
  /** One notification per final outcome: a second enqueue of the same outcome is a no-op. */
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

/**
 * Enqueues merchant notifications in the caller's transaction, so a state change and its notice commit
 * together. One statement: the notice and (only when it is new) its NOTIFICATION_QUEUED timeline event.
 */
@Injectable()
export class OutboxService {
  async enqueue(tx: Queryable, n: OutboundNotification): Promise<void> {
    const ctes = enqueueCtes(n);
    if (!ctes.length) return;
    const s = withCtes(ctes, sql('SELECT 1'));
    await runPrepared(tx as PreparedQueryable, s);
  }

  /** Makes an undelivered, unheld notice of this payment due now (see `retryNowSql`); false when none was. */
  async retryNow(q: Queryable, paymentId: string, notificationId: string, by: string): Promise<boolean> {
    const s = retryNowSql(paymentId, notificationId, by);
    const rows = (await q.query(s.text, s.values)) as unknown[];
    return rows.length === 1;
  }
}
