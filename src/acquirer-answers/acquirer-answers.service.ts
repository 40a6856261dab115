import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { dateOrNull, referenceNo, UpstreamCancelAnswer, UpstreamCaptureAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { upstreamUnknownCode } from '../antom/result-codes';
import { inquireAdvice, retryAdvice } from '../antom/unknown-advice';
import { CardChecks, checksFailed } from '../card-features/avs-checks';
import { BinTable, fillCardFacts } from '../card-features/bin-table';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { noticeQueuedAlong } from '../notifications/outbox/outbox.repository';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { isFinalStatus, PaymentStatus } from '../payments/payment-status';
import { PaymentsRepository } from '../payments/payments.repository';
import { cvvDestroyedAlong } from '../pci/vault/card.repository';
import { VaultService } from '../pci/vault/vault.service';
import { RideAlong } from '../platform/database/ride-along';
import { UpstreamOutcome } from '../upstream/antom-client';
import { acquirerTokenKeptAlong, carriesAcquirerToken } from './acquirer-card-token.repository';
import { SettlementVerdict, settlementVerdict } from './avs-verdict';
import { AwaitingCaptures } from './awaiting-captures';
import { captureResultNotice, paymentResultNotice, refundResultNotice } from './merchant-notices';
import { LearntBy, mapPayOutcome, UpstreamPayAnswer } from './pay-outcome';

/**
 * A manual payment's status after a capture, from the amounts: captures stay open (PARTIALLY_CAPTURED)
 * until the authorization is used up or the last capture was made, whatever was refunded meanwhile; a
 * closed capture says how much of it was refunded.
 */
export function afterCapture(closed: boolean, captured: bigint, refunded: bigint): PaymentStatus {
  if (!closed) return 'PARTIALLY_CAPTURED';
  if (refunded === 0n) return 'CAPTURED';
  return refunded >= captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

/**
 * What rides along with an authorization result, in its statement: CVV destruction, acquirer token, the
 * notice (held for `holdSeconds` when the caller will rewrite and release it, see `applyFreshPayOutcome`).
 */
function afterAuthorization(next: Payment, authorizationOver: boolean, final: boolean, holdSeconds = 0): RideAlong[] {
  const after: RideAlong[] = [];
  if (authorizationOver && next.cardId) after.push(cvvDestroyedAlong(next.cardId));
  const token = authorizationOver ? acquirerTokenKeptAlong(next) : null;
  if (token) after.push(token);
  if (final) after.push(noticeQueuedAlong(paymentResultNotice(next), holdSeconds));
  return after;
}

/** A settlement source as the pay mapping reads it: only what an inquiry found changes a U's advice. */
function learntBy(source: string): LearntBy {
  return source === 'INQUIRY' ? 'INQUIRY' : 'RESPONSE';
}

/**
 * The synchronous answer's write may commit without waiting for the disk (measured by `npm run bench`):
 * if PostgreSQL or the machine crashes before it is flushed, what is on disk is the RECEIVED payment its
 * INSERT made durable BEFORE the acquirer call, with `next_reconcile_at` set. Reconciliation then inquires
 * the acquirer (idempotent on our paymentRequestId) and applies the same result through the same
 * `afterAuthorization` (transition, timeline row, CVV destruction, the merchant's notice): the pay the
 * merchant saw answered is not lost, it is re-derived. Not when the answer carries an acquirer card token:
 * that the answer alone may carry, so that write waits for the disk.
 */
function answerIsRecoverable(next: Payment): boolean {
  return !carriesAcquirerToken(next);
}

/**
 * Applies what the acquirer says — in a synchronous answer, a notification or an inquiry — to the
 * gateway's records, in one place. Each apply locks the payment row, so the same result arriving by two
 * roads at once is applied once; a final state never moves backwards.
 */
@Injectable()
export class AcquirerAnswersService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly outbox: OutboxService,
    private readonly vault: VaultService,
    private readonly merchants: MerchantsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    // The BIN table (card-info's, global); absent where no merchant edge runs: nothing is filled then.
    @Optional() @Inject(BinTable) private readonly bins: BinTable | null = null,
    @Optional() private readonly awaiting: AwaitingCaptures = new AwaitingCaptures(),
  ) {}

  async applyPayOutcome(paymentId: string, outcome: UpstreamOutcome<UpstreamPayAnswer>, source: string): Promise<Payment> {
    return (await this.settlePay(paymentId, outcome, source)).payment;
  }

  /**
   * `applyPayOutcome`, also saying whether the merchant's AVS policy just decided to void the
   * authorization: then the caller sends the cancel (`ReconciliationService.finishPolicyVoid`) — and if it
   * cannot, reconciliation does, since the decision is written with the settlement.
   */
  async settlePay(
    paymentId: string,
    outcome: UpstreamOutcome<UpstreamPayAnswer>,
    source: string,
  ): Promise<{ payment: Payment; policyVoid: boolean }> {
    return this.db.transaction(async (tx) => {
      const p = await this.mustLock(tx, paymentId);
      if (isFinalStatus(p.status)) {
        await this.lateResult(tx, p, outcome, source);
        return { payment: p, policyVoid: false };
      }
      const mapped = mapPayOutcome(p, outcome, learntBy(source));
      fillCardFacts(mapped.changes.paymentResultInfo, p.cardBin, this.bins);
      // An answer that says less than we know (a U after a PENDING_ACTION) keeps the richer state.
      const to: PaymentStatus = mapped.status === 'UNKNOWN' && p.status === 'PENDING_ACTION' ? 'PENDING_ACTION' : mapped.status;
      const changes = to === mapped.status ? mapped.changes : {};
      const final = isFinalStatus(to);
      const detail = { resultCode: changes.resultCode ?? p.resultCode };
      const policy = await this.policyHere(tx, p, to, changes, source);
      const all = { ...changes, ...policy.changes, nextReconcileAt: final ? null : this.nextReconcile(to) };
      // A void decided here: reconciliation resends the cancel if the caller cannot send it.
      if (policy.decision === 'VOID') all.nextReconcileAt = this.nextReconcile('UNKNOWN');
      const hold = policy.hold ? this.noticeHoldSeconds() : 0;
      await this.payments.applyPayOutcome(tx, p, 'locked', to, `AUTHORIZATION_${source}`, all, detail, (next) =>
        afterAuthorization(next, mapped.authorizationOver, final, hold),
      );
      // Its own statement (only for failed checks), so the timeline reads authorization, then decision.
      if (policy.event) await this.payments.event(tx, p.id, policy.event.type, to, to, null, policy.event.detail);
      return { payment: p, policyVoid: policy.decision === 'VOID' };
    });
  }

  /**
   * The synchronous answer to a pay this process just created, in ONE statement guarded by the state it
   * wrote (RECEIVED, no cancel asked): the transition, its timeline row, the CVV's destruction and the
   * merchant's notice. If a notification or the reconciliation moved the payment in the meantime, the
   * guard fails and the locking path applies the answer against what they wrote. `holdNotice`: the
   * caller will rewrite the notice and release it (the AVS policy is about to void the authorization).
   * It is still written here, held: if the caller never gets there (a crash, a shutdown during the void's
   * upstream call), the notice goes out when the hold passes instead of never.
   */
  async applyFreshPayOutcome(
    p: Payment,
    outcome: UpstreamOutcome<UpstreamPayAnswer>,
    holdNotice: (next: Payment) => boolean = () => false,
  ): Promise<Payment> {
    if (p.status !== 'RECEIVED') return this.applyPayOutcome(p.id, outcome, 'RESPONSE');
    const mapped = mapPayOutcome(p, outcome);
    fillCardFacts(mapped.changes.paymentResultInfo, p.cardBin, this.bins);
    const final = isFinalStatus(mapped.status);
    const changes = { ...mapped.changes, nextReconcileAt: final ? null : this.nextReconcile(mapped.status) };
    const detail = { resultCode: changes.resultCode ?? p.resultCode };
    const applied = await this.payments.applyPayOutcome(
      this.db,
      p,
      'fresh',
      mapped.status,
      'AUTHORIZATION_RESPONSE',
      changes,
      detail,
      (next) => afterAuthorization(next, mapped.authorizationOver, final, final && holdNotice(next) ? this.noticeHoldSeconds() : 0),
      answerIsRecoverable,
    );
    if (!applied) return this.applyPayOutcome(p.id, outcome, 'RESPONSE');
    this.awaiting.settled(p); // its CAPTURE_RESULT books without reading the payment first
    return p;
  }

  /** A result for a payment already final: harmless duplicates, except a success after cancel, which is voided again. */
  private async lateResult(tx: EntityManager, p: Payment, outcome: UpstreamOutcome<UpstreamPayAnswer>, source: string): Promise<void> {
    const said = outcome.kind === 'answer' ? outcome.body.result?.resultStatus : undefined;
    if (p.status === 'CANCELLED' && said === 'S') {
      await this.payments.event(tx, p.id, 'LATE_SUCCESS_AFTER_CANCEL', p.status, p.status, null, { source });
      await this.payments.reconcileNow(tx, p.id); // reconciliation re-sends the void
    }
  }

  /** `learntBy`: INQUIRY for what an inquiry found (a U then means the acquirer has the capture: inquire, not retry). */
  async applyCaptureOutcome(
    captureId: string,
    outcome: UpstreamOutcome<UpstreamCaptureAnswer>,
    learntBy: LearntBy = 'RESPONSE',
  ): Promise<{ payment: Payment; capture: Capture }> {
    return this.db.transaction(async (tx) => {
      const c = await this.operations.lock(tx, Capture, captureId);
      if (!c) throw new Error('capture not found');
      const p = await this.mustLock(tx, c.paymentId);
      if (c.status === 'SUCCESS' || c.status === 'FAIL') return { payment: p, capture: c };
      const r = outcome.kind === 'answer' ? (outcome.body.result ?? {}) : {};
      if (r.resultStatus === 'S') {
        await this.captureSucceeded(tx, p, c, outcome.kind === 'answer' ? outcome.body : {});
      } else if (r.resultStatus === 'F') {
        Object.assign(c, {
          status: 'FAIL',
          resultStatus: 'F',
          resultCode: r.resultCode ?? 'PROCESS_FAIL',
          resultMessage: (r.resultMessage ?? '').slice(0, 256),
        });
        await this.operations.save(tx, c);
        await this.payments.event(tx, p.id, 'CAPTURE_FAILED', p.status, p.status, c.amount, {
          captureRequestId: c.captureRequestId,
          resultCode: c.resultCode,
        });
        await this.outbox.enqueue(tx, captureResultNotice(p, c));
      } else {
        const advice = learntBy === 'INQUIRY' ? inquireAdvice('capture') : retryAdvice('capture');
        Object.assign(c, { status: 'UNKNOWN', resultStatus: 'U', resultCode: upstreamUnknownCode('capture', r.resultCode), resultMessage: advice });
        await this.operations.save(tx, c);
        await this.payments.setNextReconcile(tx, p.id, this.nextReconcile('UNKNOWN'));
      }
      return { payment: p, capture: c };
    });
  }

  private async captureSucceeded(tx: EntityManager, p: Payment, c: Capture, a: UpstreamCaptureAnswer): Promise<void> {
    Object.assign(c, {
      status: 'SUCCESS',
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success.',
      upstreamCaptureId: a.captureId?.slice(0, 64) ?? null,
      acquirerReferenceNo: referenceNo(a.acquirerReferenceNo),
      captureTime: dateOrNull(a.captureTime) ?? new Date(),
    });
    await this.operations.save(tx, c);
    const captured = p.capturedAmount + c.amount;
    const to: PaymentStatus =
      p.captureMode === 'AUTOMATIC' ? p.status : afterCapture(captured >= p.authorizedAmount || c.isLast, captured, p.refundedAmount);
    await this.payments.transition(
      tx,
      p,
      to,
      'CAPTURED',
      { capturedAmount: captured },
      { captureRequestId: c.captureRequestId, amount: c.amount.toString(), automatic: c.automatic },
    );
    if (to === 'CAPTURED' && captured < p.authorizedAmount) {
      // isLastCapture: the acquirer releases the uncaptured remainder of the hold.
      await this.payments.event(tx, p.id, 'REMAINDER_RELEASED', to, to, p.authorizedAmount - captured, {});
    }
    await this.outbox.enqueue(tx, captureResultNotice(p, c));
  }

  async applyRefundOutcome(refundId: string, outcome: UpstreamOutcome<UpstreamRefundAnswer>): Promise<{ payment: Payment; refund: Refund }> {
    return this.db.transaction(async (tx) => {
      const r = await this.operations.lock(tx, Refund, refundId);
      if (!r) throw new Error('refund not found');
      const p = await this.mustLock(tx, r.paymentId);
      if (r.status !== 'PROCESSING') return { payment: p, refund: r };
      const res = outcome.kind === 'answer' ? (outcome.body.result ?? {}) : {};
      const refundStatus = outcome.kind === 'answer' ? outcome.body.refundStatus : undefined;
      const succeeded = res.resultStatus === 'S' && (!refundStatus || refundStatus === 'SUCCESS');
      const failed = res.resultStatus === 'F' || refundStatus === 'FAIL';
      if (!succeeded && !failed) {
        // In process at the acquirer (an asynchronous refund accepted, or an inquiry's PROCESSING): inquire. Else
        // the refund may never have arrived: retry with the same refundRequestId.
        const inProcess = res.resultCode === 'REFUND_IN_PROCESS' || refundStatus === 'PROCESSING';
        Object.assign(
          r,
          inProcess
            ? { resultStatus: 'U', resultCode: 'REFUND_IN_PROCESS', resultMessage: inquireAdvice('refund') }
            : { resultStatus: 'U', resultCode: upstreamUnknownCode('refund', res.resultCode), resultMessage: retryAdvice('refund') },
        );
        await this.operations.save(tx, r);
        await this.payments.setNextReconcile(tx, p.id, this.nextReconcile('UNKNOWN'));
        return { payment: p, refund: r };
      }
      const a = outcome.kind === 'answer' ? outcome.body : {};
      Object.assign(
        r,
        succeeded
          ? {
              status: 'SUCCESS',
              resultStatus: 'S',
              resultCode: 'SUCCESS',
              resultMessage: 'success.',
              upstreamRefundId: a.refundId?.slice(0, 64) ?? null,
              refundTime: dateOrNull(a.refundTime) ?? new Date(),
            }
          : {
              status: 'FAIL',
              resultStatus: 'F',
              resultCode: res.resultCode ?? 'PROCESS_FAIL',
              resultMessage: (res.resultMessage ?? '').slice(0, 256),
            },
      );
      await this.operations.save(tx, r);
      if (succeeded) {
        const refunded = p.refundedAmount + r.amount;
        // A refund leaves an open capture open: the rest of the authorization can still be captured.
        const to: PaymentStatus =
          p.status === 'PARTIALLY_CAPTURED' ? 'PARTIALLY_CAPTURED' : refunded >= p.capturedAmount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
        await this.payments.transition(
          tx,
          p,
          to,
          'REFUNDED',
          { refundedAmount: refunded },
          { refundRequestId: r.refundRequestId, amount: r.amount.toString() },
        );
      } else {
        await this.payments.event(tx, p.id, 'REFUND_FAILED', p.status, p.status, r.amount, {
          refundRequestId: r.refundRequestId,
          resultCode: r.resultCode,
        });
      }
      await this.outbox.enqueue(tx, refundResultNotice(p, r));
      return { payment: p, refund: r };
    });
  }

  async applyCancelOutcome(paymentId: string, outcome: UpstreamOutcome<UpstreamCancelAnswer>): Promise<Payment> {
    return this.db.transaction(async (tx) => {
      const p = await this.mustLock(tx, paymentId);
      const r = outcome.kind === 'answer' ? (outcome.body.result ?? {}) : {};
      if (p.status === 'CANCELLED') {
        if (r.resultStatus === 'S') await this.payments.setNextReconcile(tx, p.id, null);
        return p;
      }
      if (r.resultStatus === 'S') {
        const cancelTime = (outcome.kind === 'answer' && dateOrNull(outcome.body.cancelTime)) || new Date();
        await this.payments.transition(tx, p, 'CANCELLED', 'CANCELLED', { cancelTime, nextReconcileAt: null }, {});
        if (p.cardId) await this.vault.destroyCvv(tx, p.cardId);
      } else if (r.resultStatus === 'F') {
        await this.payments.event(tx, p.id, 'CANCEL_FAILED', p.status, p.status, null, { resultCode: r.resultCode });
        await this.payments.clearCancelRequest(tx, p);
      } else {
        await this.payments.setNextReconcile(tx, p.id, this.nextReconcile('UNKNOWN'));
      }
      return p;
    });
  }

  private async mustLock(tx: EntityManager, id: string): Promise<Payment> {
    const p = await this.payments.lock(tx, id);
    if (!p) throw new Error('payment not found');
    return p;
  }

  /**
   * The merchant's AVS/CVV policy, for an authorization whose checks failed (nothing to decide, and no
   * statement spent, when they passed). Settled by the pay call's own answer, that call applies the
   * policy, with the merchant it authenticated: the notice is only held here, for it to rewrite and
   * release (`AvsPolicyService.apply` releases it whatever it decides). Otherwise — a notification or an
   * inquiry, even of a RECEIVED payment: its pay call may have died (crash, kill) and nothing tells the
   * two apart — the policy is decided here, from the merchant's row, in the statement that settles the
   * payment; a pay call still in flight then sees the decision (`AvsPolicyService.apply` skips it).
   */
  private async policyHere(
    tx: EntityManager,
    p: Payment,
    to: PaymentStatus,
    changes: Partial<Payment>,
    source: string,
  ): Promise<SettlementVerdict & { hold: boolean }> {
    const none = { decision: 'ACCEPT' as const, changes: {}, event: null, hold: false };
    if ((to !== 'AUTHORIZED' && to !== 'SUCCEEDED') || !checksFailed(changes.paymentResultInfo?.checks as CardChecks | undefined)) return none;
    if (p.status === 'RECEIVED' && source === 'RESPONSE') return { ...none, hold: to === 'AUTHORIZED' };
    const verdict = settlementVerdict(await this.merchants.avsPolicyOf(tx, p.merchantId), to, changes, p.cancelRequestedAt);
    return { ...verdict, hold: verdict.decision === 'VOID' };
  }

  /**
   * Longer than the pay path can take to release a held notice: the rest of its pay call (a notification
   * can settle the payment while that call waits) and the void's cancel call, each with every resend.
   */
  private noticeHoldSeconds(): number {
    return Math.ceil((2 * this.config.UPSTREAM_TIMEOUT_MS * (this.config.UPSTREAM_RETRIES + 1)) / 1000) + 60;
  }

  nextReconcile(status: PaymentStatus): Date {
    const seconds = status === 'PENDING_ACTION' ? this.config.RECONCILE_INTERVAL_SECONDS : Math.min(10, this.config.RECONCILE_INTERVAL_SECONDS);
    return new Date(Date.now() + seconds * 1000);
  }
}
