import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AmountUpdateSettlement } from '../acquirer-answers/amount-update-settlement';
import { RedriveTiming, redriveTiming, underLease } from '../acquirer-answers/redrive-timing';
import { UpstreamUpdateAmountAnswer } from '../antom/answers';
import { UpdateAmountRequestDto } from '../antom/requests/lifecycle.dto';
import { UpdateAmountAnswer } from '../antom/wire';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { updateAmountResponse } from '../payments/lifecycle-views';
import { guardUpdateAmount } from '../payments/operation-guards';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { eventInsert, PaymentRef, PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { crashPoint } from '../platform/crash-hook';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { Guarded, MoneyOperation } from './money-operation';
import { keyHash, sameRequest } from './request-key';

export interface AmountUpdateReserved {
  p: Payment;
  u: AmountUpdate;
}

type Answer = UpdateAmountAnswer;

/**
 * Incremental authorization (Antom's payments/updateAmount), in the MoneyOperation phases. The payment's row
 * lock orders it against capture and cancel: a capture reserved first makes the update F
 * INCREMENTAL_NOT_SUPPORT; an update reserved first makes a capture wait (U) until the acquirer has answered
 * the update, so a capture is never judged against an authorized amount that is about to change. Lock order
 * everywhere: update row, then payment row (apply); the payment row alone (reserve) — no cycle. The answer is
 * applied by AmountUpdateSettlement, as reconciliation's resend and Antom's UPDATE_AMOUNT_RESULT notification are.
 */
@Injectable()
export class AmountUpdateOperation implements MoneyOperation<UpdateAmountRequestDto, AmountUpdateReserved, UpstreamUpdateAmountAnswer, Answer> {
  readonly crashPoint = 'after-upstream-update-amount' as const;
  private readonly timing: RedriveTiming;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly updates: AmountUpdatesRepository,
    private readonly operations: OperationsRepository,
    private readonly upstream: PaymentProcessor,
    private readonly settlement: AmountUpdateSettlement,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    private readonly leases: RedriveLeaseRepository,
  ) {
    this.timing = redriveTiming(config);
  }

  async beforeLock(merchant: MerchantIdentity, req: UpdateAmountRequestDto): Promise<void> {
    const payment = await this.payments.findByPaymentId(merchant.id, req.paymentId);
    if (payment) await this.settlePending(payment.id);
  }

  target(req: UpdateAmountRequestDto): PaymentRef {
    return { paymentId: req.paymentId };
  }

  async guard(
    tx: EntityManager,
    p: Payment,
    merchant: MerchantIdentity,
    req: UpdateAmountRequestDto,
  ): Promise<Guarded<AmountUpdateReserved, Answer>> {
    const amount = BigInt(req.amount.value);
    const hash = keyHash(req.paymentId, req.amount.currency, req.amount.value);
    const existing = await this.updates.find({ merchantId: merchant.id, updateRequestId: req.updateRequestId }, tx);
    if (existing) return { kind: 'replay', reserved: { p, u: sameRequest(existing, hash, 'updateRequestId') } };
    guardUpdateAmount(p, req.amount.currency, amount, {
      captured: await this.operations.reserved(tx, 'capture', p.id),
      updatesMade: await this.updates.succeeded(tx, p.id),
      inFlight: (await this.updates.inFlight(tx, p.id)) !== null,
    });
    const u = Object.assign(new AmountUpdate(), {
      id: randomUUID(),
      merchantId: merchant.id,
      paymentId: p.id,
      updateRequestId: req.updateRequestId,
      requestHash: hash,
      currency: p.currency,
      amount,
      previousAmount: p.authorizedAmount,
      status: 'PROCESSING',
      // Reconciliation's resend is due from the start: if this process dies during the upstream call, or
      // the acquirer answers U, the update is settled without the merchant calling again.
      nextReconcileAt: new Date(Date.now() + this.config.RECONCILE_FIRST_DELAY_SECONDS * 1000),
      reconcileAttempts: 0,
    });
    await this.updates.reserve(
      tx,
      u,
      eventInsert([
        p.id,
        'AMOUNT_UPDATE_REQUESTED',
        p.status,
        p.status,
        amount,
        { updateRequestId: u.updateRequestId, previousAmount: u.previousAmount.toString() },
      ]),
    );
    return { kind: 'reserved', reserved: { p, u } };
  }

  callUpstream({ p, u }: AmountUpdateReserved): Promise<UpstreamOutcome<UpstreamUpdateAmountAnswer>> {
    return this.upstream.updateAmount(
      { updateRequestId: u.id, paymentId: p.upstreamPaymentId ?? '', amount: { currency: u.currency, value: u.amount.toString() } },
      { paymentId: p.paymentId },
    );
  }

  async apply({ u }: AmountUpdateReserved, outcome: UpstreamOutcome<UpstreamUpdateAmountAnswer>): Promise<Answer> {
    const after = await this.settlement.apply(u.id, outcome, 'RESPONSE');
    return updateAmountResponse(after.payment, after.update);
  }

  awaitingTwin({ u }: AmountUpdateReserved): boolean {
    return u.status === 'PROCESSING' && u.resultStatus === null && !this.resendable(u);
  }

  async reload({ p, u }: AmountUpdateReserved): Promise<AmountUpdateReserved> {
    return { p, u: (await this.updates.reload(u)) ?? u };
  }

  /** The same updateRequestId again: the stored answer; one whose first request is still waiting for the acquirer answers U (the merchant retries); else resent. */
  async replay({ p, u }: AmountUpdateReserved): Promise<Answer> {
    if (u.status !== 'PROCESSING' || !this.resendable(u)) return updateAmountResponse(p, u);
    return this.redrive(p, u);
  }

  /**
   * An update left without a final answer (the acquirer said U, or the process died mid-call) is resent
   * with the same id and applied, so it never blocks the payment's captures for longer than one call.
   * Capture and a new update call this first; reconciliation resends it meanwhile (AmountUpdateReconciliation).
   */
  async settlePending(paymentId: string): Promise<void> {
    const u = await this.updates.inFlight(undefined, paymentId);
    if (!u || !this.resendable(u)) return;
    const p = await this.payments.findById(paymentId);
    if (p) await this.redrive(p, u);
  }

  /**
   * The update resent with the same updateRequestId, holding its re-drive lease: two retries (or a retry
   * and reconciliation's resend) never send it at once, and it is sent at most once per interval; a retry
   * that finds the lease held answers what is stored.
   */
  private async redrive(p: Payment, u: AmountUpdate): Promise<Answer> {
    const answered = await underLease(this.leases, 'amount_update', u.id, this.timing, async () => {
      const current = await this.updates.find({ id: u.id });
      if (current?.status !== 'PROCESSING') return null;
      const outcome = await this.callUpstream({ p, u: current });
      crashPoint(this.crashPoint); // test hook (GATEWAY_CRASH_AT), as after the first call
      return this.apply({ p, u: current }, outcome);
    });
    return answered ?? updateAmountResponse(p, (await this.updates.reload(u)) ?? u);
  }

  private resendable(u: AmountUpdate): boolean {
    return u.resultStatus === 'U' || Date.now() - u.updatedAt.getTime() > this.config.UPSTREAM_TOTAL_BUDGET_MS + 5_000;
  }
}
