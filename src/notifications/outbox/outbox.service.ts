import { Injectable } from '@nestjs/common';

import { Queryable } from '../../platform/database/prepared';
import { OutboundNotification, OutboundVaultingNotification } from './outbound-notification';
import { OutboxRepository } from './outbox.repository';

export type { OutboundNotification, OutboundVaultingNotification } from './outbound-notification';

/**
 * Enqueues merchant notifications in the caller's transaction (an EntityManager, or anything else that
 * runs SQL), so a state change and its notice commit together. One statement: the notice and (only when
 * it is new) its NOTIFICATION_QUEUED timeline event.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly notices: OutboxRepository) {}

  enqueue(tx: Queryable, n: OutboundNotification): Promise<void> {
    return this.notices.enqueue(tx, n);
  }

  /** Releases a notice written held (`enqueueCtes` with a hold) with its final body; false when none was held. */
  releaseHeld(q: Queryable, n: OutboundNotification): Promise<boolean> {
    return this.notices.releaseHeld(q, n);
  }

  /** Rewrites the body of a notice not delivered yet (an AVS void turns its S into F). */
  rewritePending(q: Queryable, n: OutboundNotification): Promise<void> {
    return this.notices.rewritePending(q, n);
  }

  /**
   * Enqueues a vaulting's notice (notifyVaulting) in the caller's transaction. It has no payment and so no
   * timeline row; delivery, signing and retries are the same as for a payment's notices.
   */
  async enqueueVaulting(tx: Queryable, n: OutboundVaultingNotification): Promise<void> {
    if (!n.url) return;
    await this.notices.enqueueVaulting(tx, n);
  }

  /** Makes an undelivered, unheld notice of this payment due now (see `retryNowSql`); false when none was. */
  retryNow(q: Queryable, paymentId: string, notificationId: string, by: string): Promise<boolean> {
    return this.notices.retryNow(q, paymentId, notificationId, by);
  }
}
