import { Inject, Injectable, Optional } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { OperationsRepository } from '../payments/operations.repository';
import { isFinalStatus, PaymentStatus } from '../payments/payment-status';
import { PaymentsRepository } from '../payments/payments.repository';
import { LOGGER } from '../platform/logging/logger.tokens';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { AmountUpdateSettlement } from './amount-update-settlement';
import { applyAutomaticCapture, awaitsAutomaticCapture, findAutoCaptureTarget } from './automatic-capture';
import { AwaitingCaptures } from './awaiting-captures';
import { isDisputeNotice } from './dispute-notice';
import { DisputeNotificationsService } from './dispute-notifications.service';
import { NotificationDedupeRepository } from './notification-dedupe.repository';
import { ReconciliationService } from './reconciliation.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the acquirer's notification as parsed JSON, every field read with a type check before use
type Body = Record<string, any>;
/** Final states that a PAYMENT_RESULT with resultStatus S agrees with. */
const SUCCESS_STATES: PaymentStatus[] = ['AUTHORIZED', 'SUCCEEDED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];
/** An automatic-capture payment in these states needs no settling before its capture is booked. */
const SETTLED_AUTOMATIC: PaymentStatus[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/**
 * A verified notification from the acquirer, applied: settled from the payment's own state where it can
 * be (one read, at most one write), else applied once (deduplicated in notification_in). Returns only
 * once applied or proven applied: the caller acknowledges then, and an error is no ack (Antom resends).
 */
@Injectable()
export class AcquirerNotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly dedupe: NotificationDedupeRepository,
    private readonly settlement: AcquirerAnswersService,
    private readonly reconciliation: ReconciliationService,
    private readonly disputes: DisputeNotificationsService,
    private readonly amountUpdates: AmountUpdatesRepository,
    private readonly amountUpdateSettlement: AmountUpdateSettlement,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly awaiting: AwaitingCaptures = new AwaitingCaptures(),
  ) {}

  /** Returns the field at fault when a verified notification cannot be applied as sent (a malformed notifyDispute). */
  async apply(body: Body): Promise<{ error: string } | void> {
    if (isDisputeNotice(body)) {
      const r = await this.disputes.apply(body);
      return 'error' in r ? r : undefined;
    }
    if (!(await this.settledFromState(body))) await this.applyOnce(body);
  }

  /**
   * The common notifications, decided from the payment's own state in one read and at most one write:
   * a result the payment already shows needs nothing (no dedupe row either — the state proves it), a
   * first result is applied under the guards of its write. False: the general path must take it.
   */
  private async settledFromState(b: Body): Promise<boolean> {
    if (b.notifyType === 'PAYMENT_RESULT') return this.paymentResult(b);
    if (b.notifyType === 'CAPTURE_RESULT') return this.captureResult(b);
    if (b.notifyType === 'UPDATE_AMOUNT_RESULT') return this.updateAmountResult(b);
    if (b.notifyType === 'REFUND_RESULT' && isId(b.refundRequestId)) {
      const status = await this.operations.statusOf('refund', b.refundRequestId);
      return status === null || status !== 'PROCESSING'; // unknown, or settled already (its answer was first)
    }
    return false;
  }

  private async paymentResult(b: Body): Promise<boolean> {
    const said = b.result?.resultStatus;
    if (!isId(b.paymentRequestId) || (said !== 'S' && said !== 'F')) return false;
    const status = await this.payments.statusOf(b.paymentRequestId);
    if (status === null) return true; // not one of ours: nothing to apply
    if (isFinalStatus(status)) return said === 'S' ? SUCCESS_STATES.includes(status) : status === 'FAILED'; // else (e.g. S after a cancel) the general path
    // Still PROCESSING/UNKNOWN: this result settles it (under the row lock, once however many roads race).
    await this.settlePayment(b.paymentRequestId, b);
    await this.remember(b); // a copy arriving after a later change (an AVS void) is still a duplicate
    return true;
  }

  /** A payment result, and the void the merchant's AVS policy may have decided with it (reconciliation resends it if this one fails). */
  private async settlePayment(id: string, b: Body): Promise<void> {
    const settled = await this.settlement.settlePay(id, { kind: 'answer', body: b }, 'NOTIFICATION').catch(notOurs);
    if (!settled?.policyVoid) return;
    await this.reconciliation
      .finishPolicyVoid(id)
      .catch((e: unknown) =>
        this.logger.warn(
          { paymentId: id, err: e instanceof Error ? e.message : String(e) },
          'AVS policy void not sent; reconciliation will resend it',
        ),
      );
  }

  private async captureResult(b: Body): Promise<boolean> {
    if (isId(b.captureRequestId)) {
      const status = await this.operations.statusOf('capture', b.captureRequestId);
      if (status !== null) return status === 'SUCCESS' || status === 'FAIL'; // settled already; else the general path
    }
    if (typeof b.paymentId !== 'string') return true; // nothing to book
    // This process settled the pay: book straight away under the booking's own guard; refused, read and decide as below.
    const known = b.result?.resultStatus === 'S' ? this.awaiting.take(b.paymentId) : null;
    if (known && (await applyAutomaticCapture(this.db, known, b))) return true;
    const t = await findAutoCaptureTarget(this.db, { upstreamPaymentId: b.paymentId });
    // Not found: it overtook our pay answer; not settled yet: it must be first. Both take the general path.
    if (!t || !SETTLED_AUTOMATIC.includes(t.status)) return false;
    if (!awaitsAutomaticCapture(t)) return true; // booked already (a duplicate, or the other road was first)
    if (b.result?.resultStatus !== 'S') return false; // a failed automatic capture: recorded once by the general path
    await applyAutomaticCapture(this.db, t, b);
    return true;
  }

  /**
   * Antom's notifyPayment with notifyType UPDATE_AMOUNT_RESULT: the final word on an updateAmount, named by
   * its updateRequestId (the gateway sends its own update id upstream). Applied through the same
   * AmountUpdateSettlement as the synchronous answer and reconciliation's resend, under the update's row
   * lock: an update already final (its answer came first) is left as it is, so a copy is never applied
   * twice and needs no dedupe row. The merchant's own UPDATE_AMOUNT_RESULT is enqueued by that apply, once
   * per update, whichever road made it final.
   */
  private async updateAmountResult(b: Body): Promise<boolean> {
    const said = b.result?.resultStatus;
    if (!isId(b.updateRequestId) || (said !== 'S' && said !== 'F')) return true; // nothing final to apply
    const status = await this.amountUpdates.statusOf(b.updateRequestId);
    if (status !== 'PROCESSING') return true; // not ours, or settled already
    await this.amountUpdateSettlement.apply(b.updateRequestId, { kind: 'answer', body: b }, 'NOTIFICATION');
    return true;
  }

  /** The general path: every other notification is applied once, remembered in notification_in. */
  private async applyOnce(b: Body): Promise<void> {
    if (await this.dedupe.seen(dedupeKey(b))) return;
    await this.applyGeneral(b);
    await this.remember(b);
  }

  private async remember(b: Body): Promise<void> {
    await this.dedupe.remember(dedupeKey(b), String(b.notifyType));
  }

  private async applyGeneral(b: Body): Promise<void> {
    switch (b.notifyType) {
      case 'PAYMENT_RESULT':
        if (isId(b.paymentRequestId)) await this.settlePayment(b.paymentRequestId, b);
        return;
      case 'CAPTURE_RESULT':
        return this.applyCapture(b);
      case 'REFUND_RESULT':
        if (isId(b.refundRequestId) && (await this.operations.statusOf('refund', b.refundRequestId)) !== null) {
          await this.settlement.applyRefundOutcome(b.refundRequestId, { kind: 'answer', body: b });
        }
        return;
      default:
        return; // PAYMENT_PENDING and future types: nothing to settle
    }
  }

  private async applyCapture(b: Body): Promise<void> {
    if (isId(b.captureRequestId) && (await this.operations.statusOf('capture', b.captureRequestId)) !== null) {
      await this.settlement.applyCaptureOutcome(b.captureRequestId, { kind: 'answer', body: b });
      return;
    }
    // captureMode AUTOMATIC: the acquirer captured on its own; the capture proves the authorization.
    if (typeof b.paymentId !== 'string') return;
    // The capture notice can overtake our own pay answer: then we do not know the acquirer's paymentId yet.
    let t = await findAutoCaptureTarget(this.db, { upstreamPaymentId: b.paymentId });
    if (!t) {
      const ourId = await this.reconciliation.ourPaymentIdFor(b.paymentId);
      t = ourId ? await findAutoCaptureTarget(this.db, { id: ourId }) : null;
    }
    if (!t) return;
    if (!SETTLED_AUTOMATIC.includes(t.status)) {
      await this.reconciliation.settle(t.id);
      t = await findAutoCaptureTarget(this.db, { id: t.id });
    }
    if (t) await applyAutomaticCapture(this.db, t, b);
  }

  /**
   * A notification we could not trust (unsigned, forged, replayed or undated): reconciliation asks the
   * acquirer instead, now, for the payment it names by our payment, capture or refund id, or by the
   * acquirer's paymentId.
   */
  async inquireInstead(body: Body | null): Promise<void> {
    if (!body) return;
    const ids = { paymentRequestId: body.paymentRequestId, captureRequestId: body.captureRequestId, refundRequestId: body.refundRequestId };
    await this.payments.reconcileNowFor({
      ...Object.fromEntries(Object.entries(ids).filter(([, v]) => isId(v))),
      ...(typeof body.paymentId === 'string' && body.paymentId.length <= 64 ? { upstreamPaymentId: body.paymentId } : {}),
    });
    // An UPDATE_AMOUNT_RESULT we could not trust: the open update is resent now instead (same updateRequestId).
    if (isId(body.updateRequestId)) await this.amountUpdates.reconcileNow(body.updateRequestId);
  }
}

function dedupeKey(b: Body): string {
  const id = b.captureRequestId ?? b.refundRequestId ?? b.paymentRequestId ?? b.paymentId ?? '';
  return `${String(b.notifyType)}:${String(id)}:${String(b.result?.resultStatus)}`.slice(0, 200);
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

function notOurs(e: unknown): undefined {
  if (!(e instanceof Error && e.message === 'payment not found')) throw e;
  return undefined;
}
