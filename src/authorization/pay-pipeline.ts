import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { AvsPolicyService } from '../acquirer-answers/avs-policy.service';
import { PayRedrive } from '../acquirer-answers/pay-redrive';
import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { UpstreamPayAnswer } from '../antom/answers';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { PayAnswer } from '../antom/wire';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { isFinalStatus } from '../payments/payment-status';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { crashPoint } from '../platform/crash-hook';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PayIdempotency, Redrive } from './pay-idempotency';

/**
 * What one card source (raw card, vault token, acquirer token, hosted form) contributes to a pay; the
 * pipeline does the rest the same way for all four.
 */
export interface PaySource {
  /** Antom's key fields, hashed (`payKeyHash`): a repeat with other key fields is REPEAT_REQ_INCONSISTENT. */
  requestHash: string;
  /** Look the request id up before inserting. The raw-card hot path skips the read: a twin loses on the unique key. */
  readFirst: boolean;
  /** The RECEIVED payment row this pay inserts. */
  payment: () => Payment;
  /** Writes the payment (with the vault rows, or spending a one-time token); a unique violation means a twin won. */
  insert: (payment: Payment) => Promise<unknown>;
  /** Sends the pay upstream: the card, where there is one, only inside the vault's callback. */
  forward: (payment: Payment) => Promise<UpstreamOutcome<UpstreamPayAnswer>>;
  /** After the answer is settled (card-on-file consent). */
  afterSettle?: (settled: Payment) => Promise<void>;
}

/** Antom's key fields for pay: amount, payment method (by its fingerprint or token, never the PAN) and capture mode. */
export function payKeyHash(req: PayRequestDto, ...method: string[]): string {
  const key = [req.paymentAmount.currency, req.paymentAmount.value, ...method, req.paymentFactor?.captureMode ?? 'AUTOMATIC'];
  return createHash('sha256').update(key.join('|')).digest('hex');
}

/**
 * The one pay pipeline: idempotency (a retry of a payment left U re-drives it) → insert → forward →
 * settle → the merchant's AVS/CVV policy → answer.
 * Two statements on the raw-card hot path: the insert, and the settlement of the answer (with the CVV's
 * destruction and the merchant notice). The AVS/CVV policy is about the acquirer's checks, whoever
 * collected the card.
 */
@Injectable()
export class PayPipeline {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly settlement: AcquirerAnswersService,
    private readonly idempotency: PayIdempotency,
    private readonly avsPolicy: AvsPolicyService,
    private readonly payRedrive: PayRedrive,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async run(merchant: MerchantIdentity, req: PayRequestDto, source: PaySource): Promise<PayAnswer> {
    if (source.readFirst) {
      const existing = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
      if (existing) return this.replay(merchant, existing, source);
    }
    const payment = source.payment();
    const twin = await this.idempotency.insertOrReplay(
      merchant.id,
      req.paymentRequestId,
      source.requestHash,
      () => source.insert(payment),
      this.redrive(merchant, source),
    );
    if (twin) return twin;
    const outcome = await source.forward(payment);
    crashPoint('after-upstream-pay'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const settled = await this.settlement.applyFreshPayOutcome(payment, outcome, (next) => this.avsPolicy.willVoid(merchant, next));
    await source.afterSettle?.(settled);
    return payResponse(await this.avsPolicy.apply(merchant, settled));
  }

  /** The same paymentRequestId again, found by the caller's own read: the stored answer, a payment left U re-driven first. */
  replay(merchant: MerchantIdentity, existing: Payment, source: Pick<PaySource, 'requestHash' | 'forward' | 'afterSettle'>): Promise<PayAnswer> {
    return this.idempotency.replay(existing, source.requestHash, this.redrive(merchant, source));
  }

  /**
   * The retry's re-drive of a payment left U (PayRedrive): resent with the pay path's own forward — the
   * same paymentRequestId upstream (the row's id), the card from this request or the vault (its CVV is
   * kept encrypted until the authorization is over) — and then the pay's own tail: the AVS policy's void
   * settlement decided, card-on-file consent, the policy, as the first answer would have had them.
   */
  private redrive(merchant: MerchantIdentity, source: Pick<PaySource, 'forward' | 'afterSettle'>): Redrive {
    return async (p) => {
      const r = await this.payRedrive.redrive(p, (current) => source.forward(current));
      if (!r) return null;
      if (r.policyVoid) await this.reconciliation.finishPolicyVoid(p.id).catch(() => undefined); // reconciliation resends it otherwise
      const settled = (await this.payments.findById(p.id)) ?? r.payment;
      if (isFinalStatus(settled.status)) await source.afterSettle?.(settled);
      return this.avsPolicy.apply(merchant, settled);
    };
  }

  /** The plain insert: the payment row and its CREATED timeline row. */
  insertPlain(payment: Payment, createdVia: Record<string, unknown>): Promise<void> {
    return this.payments.insert(this.db, payment, { source: 'merchant-api', ...createdVia });
  }
}
