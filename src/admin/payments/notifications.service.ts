import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface NotificationView {
  id: string;
  notifyType: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  log: { attempt: number; at: Date; outcome: string; httpStatus: number | null; durationMs: number }[];
}

/**
 * The merchant-notification outbox as the console sees it (the notifications module owns the tables).
 * A retry makes the notification due now; the delivery worker sends it with the same signed body.
 */
@Injectable()
export class AdminNotificationsService {
  constructor(private readonly db: DataSource) {}

  async forPayment(paymentUuid: string): Promise<NotificationView[]> {
    const rows = await this.db.query(
      `SELECT n.id, n.notify_type, n.status, n.attempts, n.next_attempt_at, n.last_error,
              coalesce(json_agg(json_build_object('attempt', a.attempt, 'at', a.attempted_at, 'outcome', a.outcome, 'httpStatus', a.http_status, 'durationMs', a.duration_ms) ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS log
       FROM merchant_notification n LEFT JOIN notification_attempt a ON a.notification_id = n.id
       WHERE n.payment_id = $1 GROUP BY n.id ORDER BY n.created_at`,
      [paymentUuid],
    );
    return rows.map((r: Record<string, any>) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      id: r.id, notifyType: r.notify_type, status: r.status, attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null, lastError: r.last_error,
      log: r.log.map((a: Record<string, any>) => ({ ...a, at: new Date(a.at) })), // eslint-disable-line @typescript-eslint/no-explicit-any
    }));
  }

  /** True when the notification was made due; a delivered one is never sent again. */
  async retryNow(paymentUuid: string, notificationId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(notificationId)) return false;
    return this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE merchant_notification SET status = 'PENDING', next_attempt_at = now()
         WHERE id = $1 AND payment_id = $2 AND status IN ('PENDING', 'FAILED') RETURNING notify_type`,
        [notificationId, paymentUuid],
      );
      if (rows.length === 0) return false;
      await tx.query(`INSERT INTO payment_event (payment_id, type, detail) VALUES ($1, 'NOTIFICATION_RETRY_REQUESTED', $2)`, [paymentUuid, { notifyType: rows[0].notify_type, by: 'admin' }]);
      return true;
    });
  }
}
