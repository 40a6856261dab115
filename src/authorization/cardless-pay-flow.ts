import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AvsPolicyService } from '../settlement/avs-policy.service';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { SettlementService } from '../settlement/settlement.service';
import { PaymentProcessor } from '../upstream/payment-processor';
import { PayIdempotency } from './pay-idempotency';
import { UpstreamPayAnswer } from '../settlement/pay-outcome';

export interface CardlessPay {
  /** Antom's key fields, hashed: a repeat with other key fields is REPEAT_REQ_INCONSISTENT. */
  requestHash: string;
  payment: () => Payment;
  /** For the CREATED timeline row: which path made the payment. */
  createdVia: Record<string, unknown>;
  upstreamBody: (payment: Payment) => Record<string, unknown>;
}

/**
 * A pay where the gateway holds no card (the hosted page, the acquirer's own token): replay a repeat,
 * write the payment (or replay the twin that won its request id), send it upstream, settle the answer,
 * then the merchant's AVS/CVV policy — it is about the acquirer's card checks, whoever collected the card.
 */
@Injectable()
export class CardlessPayFlow {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly upstream: PaymentProcessor,
    private readonly settlement: SettlementService,
    private readonly idempotency: PayIdempotency,
    private readonly avsPolicy: AvsPolicyService,
  ) {}

  async run(merchant: MerchantIdentity, req: PayRequestDto, pay: CardlessPay): Promise<Record<string, unknown>> {
    const existing = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
    if (existing) return this.idempotency.replay(existing, pay.requestHash);
    const payment = pay.payment();
    const twin = await this.idempotency.insertOrReplay(merchant.id, req.paymentRequestId, pay.requestHash, () => this.payments.insert(this.db, payment, { source: 'merchant-api', ...pay.createdVia }));
    if (twin) return twin;
    const outcome = await this.upstream.pay(pay.upstreamBody(payment), { paymentId: payment.paymentId });
    const settled = await this.settlement.applyFreshPayOutcome(payment, outcome, (next) => this.avsPolicy.willVoid(merchant, next));
    return payResponse(await this.avsPolicy.apply(merchant, settled));
  }
}
