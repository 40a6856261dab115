import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { OutboxService } from '../../notifications/outbox/outbox.service';
import { AdminPaymentsRepository } from './admin-payments.repository';

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
    private readonly repo: AdminPaymentsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async forPayment(paymentUuid: string): Promise<NotificationView[]> {
    const rows = await this.repo.notifications(paymentUuid);
    return rows.map((r) => ({
      id: r.id,
      notifyType: r.notify_type,
      status: r.status,
      held: r.held,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
      lastError: r.last_error,
      log: r.log.map((a) => ({ ...a, at: new Date(a.at) })),
    }));
  }

  /** True when the notification was made due; a delivered or held one is never sent by this. */
  async retryNow(paymentUuid: string, notificationId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(notificationId)) return false;
    return this.outbox.retryNow(this.db, paymentUuid, notificationId, 'admin');
  }
}
