import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { newPaymentRow, planInfo } from './new-payment';
import { DataSource } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { CardCollectionService } from '../pci/card-collection/card-collection.service';
import { CollectedCard } from '../pci/card-collection/collected-card';
import { GatewayConfig } from '../config/gateway-config';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { PaymentProcessor } from '../upstream/payment-processor';
import { VaultService } from '../pci/vault/vault.service';
import { isTokenPayment, TokenPaymentService } from './token-payment.service';
import { buildUpstreamPay } from './upstream-pay-request';
import { cardWireFields } from '../pci/vault/wire-card';
import { UpstreamPayAnswer } from '../settlement/pay-outcome';
import { FeatureDecision, decideCardFeatures } from '../card-features/card-features';
import { AvsPolicyService } from '../settlement/avs-policy.service';
import { HostedFormService, isHostedForm } from './hosted-form.service';
import { PayIdempotency } from './pay-idempotency';
import { StoredCredentialsService, wantsCardOnFile } from '../pci/vault/stored-credentials.service';
import { SettlementService } from '../settlement/settlement.service';
import { isVaultToken } from '../settlement/acquirer-card-tokens';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';
import { crashPoint } from '../platform/crash-hook';
import { isCardCurrency } from '../antom/currency';


/**
 * The pay flow: validate → vault + payment row (one statement) → upstream → result + CVV destruction +
 * merchant notice (one statement) → answer. Two round trips to PostgreSQL on the hot path.
 */
@Injectable()
export class AuthorizationService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly cards: CardCollectionService,
    private readonly vault: VaultService,
    private readonly upstream: PaymentProcessor,
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
    const payment = newPayment(merchant, req, requestHash, card, features, this.config.RECONCILE_FIRST_DELAY_SECONDS);
    const twin = await this.idempotency.insertOrReplay(merchant.id, req.paymentRequestId, requestHash, () => this.createWithCard(merchant, payment, card, req));
    if (twin) return twin;
    return this.authorize(merchant, payment, card, req, features);
  }

  /** Vault rows + payment row + its timeline row in ONE statement (a twin request loses on the unique key). */
  private async createWithCard(merchant: MerchantIdentity, payment: Payment, card: CollectedCard, req: PayRequestDto): Promise<void> {
    const onFile = wantsCardOnFile(req);
    const prepared = this.cards.prepare(merchant.id, card, { requireCvv: true, onFile, cvvTtlSeconds: this.config.VAULT_CVV_TTL_SECONDS });
    payment.cardId = prepared.card.cardId;
    if (onFile) payment.paymentResultInfo = { ...payment.paymentResultInfo, cardToken: prepared.card.token };
    await this.payments.insert(this.db, payment, { source: 'merchant-api' }, prepared.rows);
  }

  private async authorize(merchant: MerchantIdentity, payment: Payment, card: CollectedCard, req: PayRequestDto, features: FeatureDecision): Promise<Record<string, unknown>> {
    const notifyUrl = `${this.config.publicUrl}/antom/notify`;
    const outcome = await this.vault.withCollectedCard(card, (raw) =>
      this.upstream.pay(buildUpstreamPay(req, payment.id, notifyUrl, cardWireFields(raw), features), { paymentId: payment.paymentId }),
    );
    crashPoint('after-upstream-pay'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const settled = await this.settlement.applyFreshPayOutcome(payment, outcome, (next) => this.avsPolicy.willVoid(merchant, next));
    if (wantsCardOnFile(req)) await this.storedCredentials.recordConsent(settled);
    return payResponse(await this.avsPolicy.apply(merchant, settled));
  }
}

export function checkAmounts(req: PayRequestDto): void {
  const currency = req.paymentAmount.currency;
  if (!isCardCurrency(currency)) throw new AntomError('CURRENCY_NOT_SUPPORT', `${currency} is not a currency cards are charged in.`);
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

function newPayment(merchant: MerchantIdentity, req: PayRequestDto, requestHash: string, card: CollectedCard, features: FeatureDecision, firstReconcileSeconds: number): Payment {
  const c = card.summary;
  return newPaymentRow(merchant, req, requestHash, {
    cardId: null, bin: c.bin, last4: c.last4, brand: features.brand,
    resultInfo: { cardNo: c.masked, cardBin: c.bin, lastFour: c.last4, cardBrand: features.brand, ...planInfo(features.creditPayPlan) },
  }, firstReconcileSeconds);
}
