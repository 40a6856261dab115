import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaymentsRepository } from '../../payments/payments.repository';

export interface OutboundNotification {
  merchantId: string;
  paymentId: string;
  notifyType: 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT';
  /** One notification per final outcome: a second enqueue of the same outcome is a no-op. */
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

/** Enqueues merchant notifications in the caller's transaction, so a state change and its notice commit together. */
@Injectable()
export class OutboxService {
  constructor(private readonly payments: PaymentsRepository) {}

  async enqueue(tx: EntityManager, n: OutboundNotification): Promise<void> {
    if (!n.url) return;
    const res: unknown[] = await tx.query(
      `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [n.merchantId, n.paymentId, n.notifyType, n.dedupeKey, n.url, JSON.stringify(n.payload)],
    );
    if (res.length > 0) await this.payments.event(tx, n.paymentId, 'NOTIFICATION_QUEUED', null, null, null, { notifyType: n.notifyType });
  }
}
