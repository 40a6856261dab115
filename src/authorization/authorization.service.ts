import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { CardCollectionService } from '../card-collection/card-collection.service';
import { CollectedCard } from '../card-collection/collected-card';
import { GatewayConfig } from '../config/gateway-config';
import { PayRequestDto } from '../merchant-api/dto/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { isFinalStatus } from '../payments/payment-status';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { AntomClient } from '../upstream/antom-client';
import { VaultService } from '../vault/vault.service';
import { isTokenPayment, TokenPaymentService } from './token-payment.service';
import { buildUpstreamPay } from './upstream-pay-request';
import { UpstreamPayAnswer } from './upstream-result';
import { FeatureDecision, decideCardFeatures } from './card-features';
import { AvsPolicyService } from '../avs/avs-policy.service';
import { HostedFormService, isHostedForm } from './hosted-form.service';
import { PayIdempotency } from './pay-idempotency';
import { StoredCredentialsService, wantsCardOnFile } from '../mit/stored-credentials.service';
import { SettlementService } from '../settlement/settlement.service';
import { isVaultToken } from '../settlement/acquirer-card-tokens';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';


/**
 * The pay flow: validate → vault + payment row (one transaction) → upstream → result + CVV destruction
 * (one transaction) → answer. Two write transactions, no more, on the hot path.
 */
@Injectable()
export class AuthorizationService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly cards: CardCollectionService,
    private readonly vault: VaultService,
    private readonly upstream: AntomClient,
    private readonly settlement: SettlementService,
    private readonly avsPolicy: AvsPolicyService,
    private readonly hosted: HostedFormService,
    private readonly idempotency: PayIdempotency,
    private readonly storedCredentials: StoredCredentialsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    private readonly tokenPay: TokenPaymentService,
    private readonly acquirerTokenPay: AcquirerTokenPaymentService,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<Record<string, unknown>> {
    checkAmounts(req);
    if (isTokenPayment(req)) {
      // `tok_…` is the gateway's vault; any other token can only be one the acquirer issued to this merchant.
      return isVaultToken(req.paymentMethod.paymentMethodId!) ? this.tokenPay.pay(merchant, req) : this.acquirerTokenPay.pay(merchant, req);
    }
    const meta = req.paymentMethod.paymentMethodMetaData;
    if (isHostedForm(req)) return this.hosted.pay(merchant, req);
    if (!meta) {
      throw new AntomError('PARAM_ILLEGAL', 'paymentMethod.paymentMethodMetaData with the card is required.');
    }
    const card = this.cards.collect(merchant.id, meta, true);
    const features = decideCardFeatures(req, card.summary);
    const requestHash = hashKeyFields(req, card);
    // No read-before-insert: a repeated paymentRequestId loses on the unique key below and is replayed
    // from there, which saves a round trip on every first pay (measured by `npm run bench`).
    const payment = newPayment(merchant, req, requestHash, card, features);
    const stored = await this.createWithCard(merchant, payment, card, req);
    if (!stored) return this.idempotency.replay(await this.idempotency.mustFind(merchant.id, req.paymentRequestId), requestHash);
    return this.authorize(merchant, payment, req, features);
  }

  /** Vault record + payment row in one transaction; false when a concurrent twin won the unique key. */
  private async createWithCard(merchant: MerchantIdentity, payment: Payment, card: CollectedCard, req: PayRequestDto): Promise<boolean> {
    try {
      await this.db.transaction(async (tx) => {
        const onFile = wantsCardOnFile(req);
        const stored = await this.cards.store(tx, merchant.id, card, { requireCvv: true, onFile, cvvTtlSeconds: this.config.VAULT_CVV_TTL_SECONDS });
        payment.cardId = stored.cardId;
        if (onFile) payment.paymentResultInfo = { ...payment.paymentResultInfo, cardToken: stored.token };
        await this.payments.insert(tx, payment, { source: 'merchant-api' });
      });
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return false;
      throw e;
    }
  }

  private async authorize(merchant: MerchantIdentity, payment: Payment, req: PayRequestDto, features: FeatureDecision): Promise<Record<string, unknown>> {
    const notifyUrl = `${this.config.publicUrl}/antom/notify`;
    const outcome = await this.vault.withCard(payment.cardId!, (raw) =>
      this.upstream.call<UpstreamPayAnswer>('payments/pay', buildUpstreamPay(req, payment.id, notifyUrl, raw, features)),
    );
    const settled = await this.settlement.applyPayOutcome(payment.id, outcome, 'RESPONSE');
    if (wantsCardOnFile(req)) await this.storedCredentials.recordConsent(settled);
    return payResponse(await this.avsPolicy.apply(merchant, settled));
  }
}

export function checkAmounts(req: PayRequestDto): void {
  if (BigInt(req.paymentAmount.value) <= 0n) throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentAmount.value: must be greater than 0.');
  if (req.order.orderAmount.currency !== req.paymentAmount.currency) {
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter order.orderAmount.currency: must equal paymentAmount.currency.');
  }
}

/** Antom's key fields for pay: amount and payment method (the card by its keyed fingerprint, never the PAN). */
function hashKeyFields(req: PayRequestDto, card: CollectedCard): string {
  const key = [req.paymentAmount.currency, req.paymentAmount.value, 'CARD', card.summary.fingerprint, req.paymentFactor?.captureMode ?? 'AUTOMATIC'];
  return createHash('sha256').update(key.join('|')).digest('hex');
}

function newPayment(merchant: MerchantIdentity, req: PayRequestDto, requestHash: string, card: CollectedCard, features: FeatureDecision): Payment {
  return Object.assign(new Payment(), {
    id: randomUUID(),
    paymentId: `gwp_${randomUUID().replace(/-/g, '')}`,
    merchantId: merchant.id,
    paymentRequestId: req.paymentRequestId,
    requestHash,
    status: 'RECEIVED',
    captureMode: req.paymentFactor?.captureMode ?? 'AUTOMATIC',
    currency: req.paymentAmount.currency,
    amount: BigInt(req.paymentAmount.value),
    authorizedAmount: 0n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    cardBin: card.summary.bin,
    cardLast4: card.summary.last4,
    cardBrand: features.brand,
    paymentResultInfo: {
      cardNo: card.summary.masked, cardBin: card.summary.bin, lastFour: card.summary.last4, cardBrand: features.brand,
      ...(features.creditPayPlan ? { creditPayPlan: features.creditPayPlan } : {}),
    },
    referenceOrderId: req.order.referenceOrderId,
    paymentNotifyUrl: req.paymentNotifyUrl ?? merchant.notifyUrl,
    paymentRedirectUrl: req.paymentRedirectUrl,
    createdAt: new Date(),
    // If this process dies before the answer is stored, reconciliation picks the payment up from here.
    nextReconcileAt: new Date(Date.now() + 60_000),
  } satisfies Partial<Payment>);
}
