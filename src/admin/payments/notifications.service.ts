import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { heldNotice } from '../../notifications/outbox/outbox-sql';
import { OutboxService } from '../../notifications/outbox/outbox.service';

export interface NotificationView {
  id: string;
  notifyType: string;
  status: string;
  /** Written but held back while an AVS void decides its body; it cannot be retried early. */
  held: boolean;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  log: { attempt: number; at: Date; outcome: string; httpStatus: number | null; durationMs: number }[];
}

/**
 * The merchant-notification outbox as the console sees it (the notifications module owns the tables).
 * A retry (OutboxService.retryNow) makes the notification due now; the delivery worker sends it with the
 * same signed body.
 */
@Injectable()
export class AdminNotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async forPayment(paymentUuid: string): Promise<NotificationView[]> {
    const rows = await this.db.query(
      `SELECT n.id, n.notify_type, n.status, (${heldNotice('n')}) AS held, n.attempts, n.next_attempt_at, n.last_error,
              coalesce(json_agg(json_build_object('attempt', a.attempt, 'at', a.attempted_at, 'outcome', a.outcome, 'httpStatus', a.http_status, 'durationMs', a.duration_ms) ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS log
       FROM merchant_notification n LEFT JOIN notification_attempt a ON a.notification_id = n.id
       WHERE n.payment_id = $1 GROUP BY n.id ORDER BY n.created_at`,
      [paymentUuid],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id, notifyType: r.notify_type, status: r.status, held: r.held, attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null, lastError: r.last_error,
      log: r.log.map((a: Record<string, any>) => ({ ...a, at: new Date(a.at) })),
    }));
  }

  /** True when the notification was made due; a delivered or held one is never sent by this. */
  async retryNow(paymentUuid: string, notificationId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(notificationId)) return false;
    return this.outbox.retryNow(this.db, paymentUuid, notificationId, 'admin');
  }
}
