import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { UpstreamUpdateAmountAnswer } from '../antom/answers';
import { UpdateAmountRequestDto } from '../antom/requests/lifecycle.dto';
import { isWellFormedCode, upstreamUnknownCode } from '../antom/result-codes';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { updateAmountResponse } from '../payments/lifecycle-views';
import { guardUpdateAmount } from '../payments/operation-guards';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { eventInsert, PaymentsRepository } from '../payments/payments.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';

const TWIN_WAIT_MS = 10_000;

/**
 * Incremental authorization (Antom's payments/updateAmount). Like capture: lock the payment + guard +
 * reserve (one transaction) → upstream → apply (one transaction). The payment's row lock orders it against
 * capture and cancel: a capture reserved first makes the update F INCREMENTAL_NOT_SUPPORT; an update
 * reserved first makes a capture wait (U) until the acquirer has answered the update, so a capture is never
 * judged against an authorized amount that is about to change. Lock order everywhere: update row, then
 * payment row (apply); the payment row alone (reserve) — no cycle.
 */
@Injectable()
export class AmountUpdateService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly updates: AmountUpdatesRepository,
    private readonly operations: OperationsRepository,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  async updateAmount(merchant: MerchantIdentity, req: UpdateAmountRequestDto): Promise<Record<string, unknown>> {
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
      });
      await this.updates.reserve(tx, u, eventInsert([p.id, 'AMOUNT_UPDATE_REQUESTED', p.status, p.status, amount, { updateRequestId: u.updateRequestId, previousAmount: u.previousAmount.toString() }]));
      return { p, u, replay: false };
    });
    if (!prepared.replay) return this.forward(prepared.p, prepared.u);
    const u = await this.waitFinal(prepared.u);
    if (u.status !== 'PROCESSING') return updateAmountResponse(prepared.p, u);
    // Its first request is still waiting for the acquirer: answer U (the merchant retries); else resend.
    if (!this.resendable(u)) return updateAmountResponse(prepared.p, u);
    return this.forward(prepared.p, u);
  }

  /**
   * An update left without a final answer (the acquirer said U, or the process died mid-call) is resent
   * with the same id and applied, so it never blocks the payment's captures for longer than one call.
   * Capture and a new update call this first.
   */
  async settlePending(paymentId: string): Promise<void> {
    const u = await this.updates.inFlight(this.db.manager, paymentId);
    if (!u || !this.resendable(u)) return;
    const p = await this.payments.findById(paymentId);
    if (p) await this.forward(p, u);
  }

  private resendable(u: AmountUpdate): boolean {
    return u.resultStatus === 'U' || Date.now() - u.updatedAt.getTime() > this.config.UPSTREAM_TOTAL_BUDGET_MS + 5_000;
  }

  private async forward(p: Payment, u: AmountUpdate): Promise<Record<string, unknown>> {
    const outcome = await this.upstream.updateAmount(
      { updateRequestId: u.id, paymentId: p.upstreamPaymentId ?? '', amount: { currency: u.currency, value: u.amount.toString() } },
      { paymentId: p.paymentId },
    );
    const after = await this.apply(u.id, outcome);
    return updateAmountResponse(after.payment, after.update);
  }

  /** The acquirer's answer, applied once: S raises the authorized amount, F is final, anything else stays open. */
  private apply(id: string, outcome: UpstreamOutcome<UpstreamUpdateAmountAnswer>): Promise<{ payment: Payment; update: AmountUpdate }> {
    return this.db.transaction(async (tx) => {
      const u = await this.updates.lock(tx, id);
      if (!u) throw new Error('amount update not found');
      const p = await this.payments.lock(tx, u.paymentId);
      if (!p) throw new Error('payment not found');
      if (u.status !== 'PROCESSING') return { payment: p, update: u };
      const r = outcome.kind === 'answer' ? outcome.body.result ?? {} : {};
      const detail = { updateRequestId: u.updateRequestId, previousAmount: u.previousAmount.toString() };
      if (r.resultStatus === 'S' && p.status === 'AUTHORIZED' && u.amount > p.authorizedAmount) {
        Object.assign(u, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' });
        await this.updates.save(tx, u);
        await this.payments.transition(tx, p, p.status, 'AMOUNT_UPDATED', { authorizedAmount: u.amount }, detail);
      } else if (r.resultStatus === 'S') {
        // Cancelled (or expired) while the update was on the wire: the hold it raised is void with the rest.
        Object.assign(u, { status: 'FAIL', resultStatus: 'F', resultCode: p.status === 'CANCELLED' ? 'AUTH_CANCELLED' : 'ORDER_STATUS_INVALID', resultMessage: `The payment became ${p.status} while the update was in process; nothing can be captured of it.` });
        await this.updates.save(tx, u);
        await this.payments.event(tx, p.id, 'AMOUNT_UPDATE_VOID', p.status, p.status, u.amount, detail);
      } else if (r.resultStatus === 'F') {
        const code = isWellFormedCode(r.resultCode) ? r.resultCode : 'PROCESS_FAIL';
        const message = typeof r.resultMessage === 'string' && r.resultMessage ? Array.from(r.resultMessage).slice(0, 256).join('') : `The acquirer refused the amount update (${code}).`;
        Object.assign(u, { status: 'FAIL', resultStatus: 'F', resultCode: code, resultMessage: message });
        await this.updates.save(tx, u);
        await this.payments.event(tx, p.id, 'AMOUNT_UPDATE_FAILED', p.status, p.status, u.amount, { ...detail, resultCode: code });
      } else {
        Object.assign(u, { resultStatus: 'U', resultCode: upstreamUnknownCode('updateAmount', r.resultCode), resultMessage: 'The amount update result is unknown; retry with the same updateRequestId.' });
        await this.updates.save(tx, u);
      }
      return { payment: p, update: u };
    });
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
