import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';

import { AuditService } from '../../audit/audit.service';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { logConsoleAction } from '../actions/console-action-log';
import { AdminUser } from '../auth/admin-users.service';
import { FailingNotificationRow, FailingNotificationsRepository } from './failing-notifications.repository';
import { AdminNotificationsService } from './notifications.service';

export const FAILING_PAGE_SIZE = 50;

/** How long a retry waits to say "delivered" rather than "queued": polls, each `RETRY_POLL_MS` apart. */
export const RETRY_POLLS = 15;
export const RETRY_POLL_MS = 200;

export interface FailingNotification {
  id: string;
  notifyType: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
  paymentUuid: string;
  paymentId: string;
  merchantName: string;
  merchantClientId: string;
  /** Opaque keyset cursor of this row: `<created_at µs>_<id>`. */
  cursor: string;
}

/** What a retry did: made the notice due and saw it delivered, made it due (queued), or found nothing to retry. */
export type RetryOutcome = 'delivered' | 'queued' | 'not-retried';

const CURSOR = /^(\d{1,18})_([0-9a-f-]{36})$/;
const UUID = /^[0-9a-f-]{36}$/;

/**
 * The console-wide view of merchant notifications that are failing (gave up, or failed and wait to retry), newest
 * first, keyset-paginated (`?before=<cursor>`: no OFFSET, a page costs the same however deep), and "Retry now":
 * the notice is made due at once (OutboxService.retryNow, the per-payment button's path), audited
 * (RETRY_NOTIFICATION) and logged, and the answer says whether the delivery worker has already delivered it.
 */
@Injectable()
export class FailingNotificationsService {
  constructor(
    private readonly repo: FailingNotificationsRepository,
    private readonly notifications: AdminNotificationsService,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Waits between polls; a unit test replaces it with one that does not wait. */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms));

  /** One page after the cursor (an ill-formed cursor reads as the first page), and the next page's cursor. */
  async page(before: unknown): Promise<{ rows: FailingNotification[]; next: string | null }> {
    const m = typeof before === 'string' ? CURSOR.exec(before) : null;
    const rows = (await this.repo.page(FAILING_PAGE_SIZE + 1, m ? { us: m[1], id: m[2] } : null)).map(toView);
    const more = rows.length > FAILING_PAGE_SIZE;
    const shown = rows.slice(0, FAILING_PAGE_SIZE);
    return { rows: shown, next: more ? shown[shown.length - 1].cursor : null };
  }

  async get(id: string): Promise<FailingNotification | null> {
    if (!UUID.test(id)) return null;
    const row = await this.repo.byId(id);
    return row ? toView(row) : null;
  }

  /**
   * Makes the notice due now, audits and logs it, then waits (RETRY_POLLS × RETRY_POLL_MS at most) for the worker to
   * deliver it. Null when there is no such notice. A delivered or held notice is not retried (outbox rule), and says so.
   */
  async retry(
    actor: { user: AdminUser; ip: string },
    n: { id: string; paymentUuid: string; paymentId: string; paymentRequestId: string | null },
  ): Promise<{ outcome: RetryOutcome; auditId: string }> {
    const ok = await this.notifications.retryNow(n.paymentUuid, n.id);
    const row = await this.audit.append({
      actorId: actor.user.id,
      actor: `admin:${actor.user.username}`,
      action: 'RETRY_NOTIFICATION',
      target: n.paymentId,
      ip: actor.ip,
      outcome: ok ? 'SUCCESS' : 'FAILURE',
      detail: { notificationId: n.id },
    });
    let outcome: RetryOutcome = ok ? 'queued' : 'not-retried';
    for (let i = 0; ok && i < RETRY_POLLS; i++) {
      await this.sleep(RETRY_POLL_MS);
      if ((await this.repo.byId(n.id))?.status === 'DELIVERED') {
        outcome = 'delivered';
        break;
      }
    }
    logConsoleAction(this.logger, {
      action: 'RETRY_NOTIFICATION',
      admin: actor.user.username,
      paymentId: n.paymentId,
      paymentRequestId: n.paymentRequestId,
      outcome: ok ? 'SUCCESS' : 'FAILURE',
      auditId: row.id,
      resultCode: outcome.toUpperCase().replace('-', '_'),
    });
    return { outcome, auditId: row.id };
  }
}

function toView(r: FailingNotificationRow): FailingNotification {
  return {
    id: r.id,
    notifyType: r.notify_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at ? new Date(r.last_attempt_at) : null,
    createdAt: new Date(r.created_at),
    paymentUuid: r.payment_uuid,
    paymentId: r.payment_id,
    merchantName: r.merchant_name,
    merchantClientId: r.merchant_client_id,
    cursor: `${r.cursor_us}_${r.id}`,
  };
}
