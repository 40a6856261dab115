import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { newPaymentRow } from './new-payment';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config';
import { PayRequestDto } from '../merchant-api/dto/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { SettlementService } from '../settlement/settlement.service';
import { AntomClient } from '../upstream/antom-client';
import { decideCardFeatures } from './card-features';
import { PayIdempotency } from './pay-idempotency';
import { AvsPolicyService } from '../avs/avs-policy.service';
import { UpstreamPayAnswer } from './upstream-result';

/** Hosted-form mode (托管表单模式): the request carries no card data and no card token. */
export function isHostedForm(req: PayRequestDto): boolean {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  return !req.paymentMethod.paymentMethodId && meta.cardNo === undefined;
}

/**
 * The buyer types the card on the acquirer's page (`normalUrl`); the gateway never sees it. The answer is
 * U PAYMENT_IN_PROCESS (or F); the result and the card token come later by notification or inquiry.
 */
@Injectable()
export class HostedFormService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly upstream: AntomClient,
    private readonly settlement: SettlementService,
    private readonly idempotency: PayIdempotency,
    private readonly avsPolicy: AvsPolicyService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<Record<string, unknown>> {
    const features = decideCardFeatures(req, { bin: '', last4: '', brands: ['UNKNOWN'], masked: '', fingerprint: '' }, false);
    const requestHash = createHash('sha256').update([req.paymentAmount.currency, req.paymentAmount.value, 'HOSTED', req.paymentFactor?.captureMode ?? 'AUTOMATIC'].join('|')).digest('hex');
    const existing = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
    if (existing) return this.idempotency.replay(existing, requestHash);
    const payment = hostedPayment(merchant, req, requestHash, this.config.RECONCILE_FIRST_DELAY_SECONDS);
    const twin = await this.idempotency.insertOrReplay(merchant.id, req.paymentRequestId, requestHash, () => this.payments.insert(this.db, payment, { source: 'merchant-api', mode: 'HOSTED_FORM' }));
    if (twin) return twin;
    const { cardNo: _c, cvv: _v, expiryMonth: _m, expiryYear: _y, mpiData: _mpi, ...meta } = req.paymentMethod.paymentMethodMetaData ?? {};
    const outcome = await this.upstream.call<UpstreamPayAnswer>('payments/pay', {
      productCode: req.productCode,
      paymentRequestId: payment.id,
      order: req.order,
      paymentAmount: req.paymentAmount,
      paymentMethod: { paymentMethodType: 'CARD', ...(Object.keys(meta).length ? { paymentMethodMetaData: { ...meta, ...features.metaOverrides } } : {}) },
      paymentFactor: { isAuthorization: true, captureMode: payment.captureMode },
      env: req.env ?? req.order.env,
      paymentRedirectUrl: req.paymentRedirectUrl,
      paymentNotifyUrl: `${this.config.publicUrl}/antom/notify`,
      settlementStrategy: req.settlementStrategy,
      creditPayPlan: features.creditPayPlan,
    });
    // The policy is about the acquirer's card checks, whoever collected the card: it applies here too.
    const settled = await this.settlement.applyFreshPayOutcome(payment, outcome, (next) => this.avsPolicy.willVoid(merchant, next));
    return payResponse(await this.avsPolicy.apply(merchant, settled));
  }
}

function hostedPayment(merchant: MerchantIdentity, req: PayRequestDto, requestHash: string, firstReconcileSeconds: number): Payment {
  return newPaymentRow(merchant, req, requestHash, { cardId: null, bin: null, last4: null, brand: null, resultInfo: {} }, firstReconcileSeconds);
}
