import { Injectable } from '@nestjs/common';
import { sql, withCtes } from '../../platform/database/sql';
import { enqueueCtes, releaseHeldNoticeSql, retryNowSql } from './outbox-sql';
import { Queryable as PreparedQueryable, runPrepared } from '../../platform/database/prepared';

/** The caller's transaction (an EntityManager) or anything else that runs SQL. */
type Queryable = PreparedQueryable;

export interface OutboundNotification {
  merchantId: string;
  paymentId: string;
  /** NOTIFY_DISPUTE: Antom's notifyDispute, whose body carries no notifyType (it has disputeNotificationType). */
  notifyType: 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT' | 'NOTIFY_DISPUTE';
  /** One notification per final outcome: a second enqueue of the same outcome is a no-op. */
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

export interface OutboundVaultingNotification {
  merchantId: string;
  vaultingId: string;
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
    await runPrepared(tx, s);
  }

  /** Releases a notice written held (`enqueueCtes` with a hold) with its final body; false when none was held. */
  async releaseHeld(q: Queryable, n: OutboundNotification): Promise<boolean> {
    const { release, event } = releaseHeldNoticeSql(n);
    const s = withCtes([['released', release], ['ev', event]], sql('SELECT count(*)::int AS n FROM released'));
    const rows: Array<{ n: number }> = await q.query(s.text, s.values);
    return rows[0]?.n === 1;
  }

  /** Rewrites the body of a notice not delivered yet (an AVS void turns its S into F). */
  async rewritePending(q: Queryable, n: OutboundNotification): Promise<void> {
    await q.query(`UPDATE merchant_notification SET body = $2 WHERE dedupe_key = $1 AND status = 'PENDING'`, [n.dedupeKey, JSON.stringify(n.payload)]);
  }

  /**
   * Enqueues a vaulting's notice (notifyVaulting) in the caller's transaction. It has no payment and so no
   * timeline row; delivery, signing and retries are the same as for a payment's notices.
   */
  async enqueueVaulting(tx: Queryable, n: OutboundVaultingNotification): Promise<void> {
    if (!n.url) return;
    await tx.query(
      `INSERT INTO merchant_notification (merchant_id, vaulting_id, notify_type, dedupe_key, url, body, next_attempt_at)
       VALUES ($1, $2, 'VAULTING_RESULT', $3, $4, $5, now()) ON CONFLICT (dedupe_key) DO NOTHING`,
      [n.merchantId, n.vaultingId, n.dedupeKey, n.url, JSON.stringify(n.payload)],
    );
  }

  /** Makes an undelivered, unheld notice of this payment due now (see `retryNowSql`); false when none was. */
  async retryNow(q: Queryable, paymentId: string, notificationId: string, by: string): Promise<boolean> {
    const s = retryNowSql(paymentId, notificationId, by);
    const rows: unknown[] = await q.query(s.text, s.values);
    return rows.length === 1;
  }
}
