import { createHash, randomUUID } from 'node:crypto';
import { UpdateAmountAnswer } from '../antom/wire';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { UpdateAmountRequestDto } from '../antom/requests/lifecycle.dto';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { updateAmountResponse } from '../payments/lifecycle-views';
import { guardUpdateAmount } from '../payments/operation-guards';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { eventInsert, PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateSettlement } from '../settlement/amount-update-settlement';
import { crashPoint } from '../platform/crash-hook';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { RedriveTiming, redriveTiming, underLease } from '../settlement/redrive-timing';

const TWIN_WAIT_MS = 10_000;

/**
 * Incremental authorization (Antom's payments/updateAmount). Like capture: lock the payment + guard +
 * reserve (one transaction) → upstream → apply (one transaction). The payment's row lock orders it against
 * capture and cancel: a capture reserved first makes the update F INCREMENTAL_NOT_SUPPORT; an update
 * reserved first makes a capture wait (U) until the acquirer has answered the update, so a capture is never
 * judged against an authorized amount that is about to change. Lock order everywhere: update row, then
 * payment row (apply); the payment row alone (reserve) — no cycle. The answer is applied by settlement
 * (AmountUpdateSettlement), as reconciliation's resend and Antom's UPDATE_AMOUNT_RESULT notification are.
 */
@Injectable()
export class AmountUpdateService {
  private readonly timing: RedriveTiming;

  constructor(
    private readonly db: DataSource,
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

  async updateAmount(merchant: MerchantIdentity, req: UpdateAmountRequestDto): Promise<UpdateAmountAnswer> {
    const amount = BigInt(req.amount.value);
    const hash = createHash('sha256').update([req.paymentId, req.amount.currency, req.amount.value].join('|')).digest('hex');
    const payment = await this.payments.findByPaymentId(merchant.id, req.paymentId);
    if (payment) await this.settlePending(payment.id);
    const prepared = await this.db.transaction(async (tx) => {
      const p = await this.lockPayment(tx, merchant.id, req.paymentId);
      const existing = await this.updates.find({ merchantId: merchant.id, updateRequestId: req.updateRequestId }, tx);
      if (existing) {
        if (existing.requestHash !== hash) throw new AntomError('REPEAT_REQ_INCONSISTENT', 'This updateRequestId was used before with a different payment or amount.');
        return { p, u: existing, replay: true };
      }
      guardUpdateAmount(p, req.amount.currency, amount, {
        captured: await this.operations.reserved(tx, 'capture', p.id),
        updatesMade: await this.updates.succeeded(tx, p.id),
        inFlight: (await this.updates.inFlight(tx, p.id)) !== null,
      });
      const u = Object.assign(new AmountUpdate(), {
        id: randomUUID(), merchantId: merchant.id, paymentId: p.id, updateRequestId: req.updateRequestId, requestHash: hash,
        currency: p.currency, amount, previousAmount: p.authorizedAmount, status: 'PROCESSING',
        // Reconciliation's resend is due from the start: if this process dies during the upstream call, or
        // the acquirer answers U, the update is settled without the merchant calling again.
        nextReconcileAt: new Date(Date.now() + this.config.RECONCILE_FIRST_DELAY_SECONDS * 1000), reconcileAttempts: 0,
      });
      await this.updates.reserve(tx, u, eventInsert([p.id, 'AMOUNT_UPDATE_REQUESTED', p.status, p.status, amount, { updateRequestId: u.updateRequestId, previousAmount: u.previousAmount.toString() }]));
      return { p, u, replay: false };
    });
    if (!prepared.replay) return this.forward(prepared.p, prepared.u);
    const u = await this.waitFinal(prepared.u);
    if (u.status !== 'PROCESSING') return updateAmountResponse(prepared.p, u);
    // Its first request is still waiting for the acquirer: answer U (the merchant retries); else resend.
    if (!this.resendable(u)) return updateAmountResponse(prepared.p, u);
    return this.redrive(prepared.p, u);
  }

  /**
   * An update left without a final answer (the acquirer said U, or the process died mid-call) is resent
   * with the same id and applied, so it never blocks the payment's captures for longer than one call.
   * Capture and a new update call this first; reconciliation resends it meanwhile (AmountUpdateReconciliation).
   */
  async settlePending(paymentId: string): Promise<void> {
    const u = await this.updates.inFlight(this.db.manager, paymentId);
    if (!u || !this.resendable(u)) return;
    const p = await this.payments.findById(paymentId);
    if (p) await this.redrive(p, u);
  }

  /**
   * The update resent with the same updateRequestId, holding its re-drive lease: two retries (or a retry
   * and reconciliation's resend) never send it at once, and it is sent at most once per interval; a retry
   * that finds the lease held answers what is stored.
   */
  private async redrive(p: Payment, u: AmountUpdate): Promise<UpdateAmountAnswer> {
    const answered = await underLease(this.leases, 'amount_update', u.id, this.timing, async () => {
      const current = await this.updates.find({ id: u.id });
      return current?.status === 'PROCESSING' ? this.forward(p, current) : null;
    });
    return answered ?? updateAmountResponse(p, (await this.updates.reload(u)) ?? u);
  }

  private resendable(u: AmountUpdate): boolean {
    return u.resultStatus === 'U' || Date.now() - u.updatedAt.getTime() > this.config.UPSTREAM_TOTAL_BUDGET_MS + 5_000;
  }

  private async forward(p: Payment, u: AmountUpdate): Promise<UpdateAmountAnswer> {
    const outcome = await this.upstream.updateAmount(
      { updateRequestId: u.id, paymentId: p.upstreamPaymentId ?? '', amount: { currency: u.currency, value: u.amount.toString() } },
      { paymentId: p.paymentId },
    );
    crashPoint('after-upstream-update-amount'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const after = await this.settlement.apply(u.id, outcome, 'RESPONSE');
    return updateAmountResponse(after.payment, after.update);
  }

  private async lockPayment(tx: EntityManager, merchantId: string, paymentId: string): Promise<Payment> {
    const locked = await tx.findOne(Payment, { where: { merchantId, paymentId }, lock: { mode: 'pessimistic_write' } });
    if (!locked) throw new AntomError('ORDER_NOT_EXIST', 'No payment with this id for this merchant.');
    return locked;
  }

  /** A twin of this request is in flight: wait briefly for its final answer. */
  private async waitFinal(row: AmountUpdate): Promise<AmountUpdate> {
    const deadline = Date.now() + TWIN_WAIT_MS;
    let current = row;
    while (current.status === 'PROCESSING' && current.resultStatus === null && !this.resendable(current) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = (await this.updates.reload(row)) ?? current;
    }
    return current;
  }
}
