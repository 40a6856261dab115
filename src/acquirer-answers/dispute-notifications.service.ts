import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { OutboxService } from '../notifications/outbox/outbox.service';
import { DisputesRepository } from '../payments/disputes.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { LOGGER } from '../platform/logging/logger.tokens';
import { disputeEventType, nextStatus, ParsedDisputeNotice, parseDisputeNotice } from './dispute-notice';
import { disputeNotice } from './merchant-notices';
import { NotificationDedupeRepository } from './notification-dedupe.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type DisputeApplyResult = { applied: boolean } | { error: string };

/**
 * notifyDispute, applied once: in ONE transaction the dedupe key is claimed (notification_in), the dispute
 * row created or locked and updated, its timeline row written and the merchant's notice queued — so a
 * copy racing the first one waits on the key and finds it taken, and a crash leaves none of it half-done.
 */
@Injectable()
export class DisputeNotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly disputes: DisputesRepository,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly dedupe: NotificationDedupeRepository,
    private readonly outbox: OutboxService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async apply(body: Record<string, unknown>): Promise<DisputeApplyResult> {
    const n = parseDisputeNotice(body);
    if ('error' in n) return n;
    const applied = await this.db.transaction((tx) => this.applyIn(tx, n));
    return { applied };
  }

  private async applyIn(tx: EntityManager, n: ParsedDisputeNotice): Promise<boolean> {
    const key = `DISPUTE:${n.upstreamDisputeId}:${n.type}:${n.facts.judgedResult ?? ''}`;
    if (!(await this.dedupe.claim(tx, key, 'NOTIFY_DISPUTE'))) return false;
    const p = await this.paymentOf(tx, n);
    if (!p) {
      // Not one of ours (or not yet known): acknowledged, nothing to apply; the key stays so copies are quiet.
      this.logger.warn({ disputeNotificationType: n.type }, 'dispute notification for an unknown payment: acknowledged, not applied');
      return false;
    }
    const { dispute, created } = await this.disputes.lockOrCreate(
      tx,
      n.upstreamDisputeId,
      p.merchantId,
      p.id,
      `gwd_${randomUUID().replace(/-/g, '')}`,
      n.type,
    );
    const status = nextStatus(dispute.status, created, n.type, n.facts.judgedResult);
    // The amount goes in the timeline's amount column when it is in the payment's currency (it normally is).
    const sameCurrency = n.facts.amount !== null && n.facts.currency === p.currency;
    const after = await this.disputes.applyFacts(
      tx,
      dispute,
      { ...n.facts, status },
      disputeEventType(n.type),
      sameCurrency ? n.facts.amount : null,
      {
        ...(created || dispute.status !== status ? { status: created ? status : `${dispute.status} → ${status}` } : {}),
        ...(n.facts.amount !== null && !sameCurrency ? { disputeAmount: `${n.facts.amount} ${n.facts.currency} in minor units` } : {}),
        ...(n.facts.reasonCode ? { reasonCode: n.facts.reasonCode } : {}),
        ...(n.facts.judgedResult ? { judgedResult: n.facts.judgedResult } : {}),
      },
    );
    const captureId = n.upstreamCaptureId
      ? ((await this.operations.findCapture({ paymentId: p.id, upstreamCaptureId: n.upstreamCaptureId }, tx))?.captureId ?? null)
      : null;
    await this.outbox.enqueue(tx, disputeNotice(p, after, n.relayed, captureId, key));
    return true;
  }

  /** Our payment: by our own id (the gateway's row id is Antom's paymentRequestId), else by Antom's paymentId. */
  private async paymentOf(tx: EntityManager, n: ParsedDisputeNotice): Promise<Payment | null> {
    if (n.paymentRequestId && UUID.test(n.paymentRequestId)) {
      const p = await this.payments.findById(n.paymentRequestId, tx);
      if (p) return p;
    }
    return n.upstreamPaymentId ? this.payments.findByUpstreamId(n.upstreamPaymentId, tx) : null;
  }
}
