import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { isVaultToken } from '../acquirer-answers/acquirer-card-tokens';
import { AntomError } from '../antom/antom-error';
import { isCardCurrency } from '../antom/currency';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { PayAnswer } from '../antom/wire';
import { BinTable, issuingCountryOf } from '../card-features/bin-table';
import { decideCardFeatures, FeatureDecision } from '../card-features/card-features';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardCollectionService } from '../pci/card-collection/card-collection.service';
import { CollectedCard } from '../pci/card-collection/collected-card';
import { StoredCredentialsService } from '../pci/vault/stored-credentials.service';
import { VaultService } from '../pci/vault/vault.service';
import { cardWireFields } from '../pci/vault/wire-card';
import { GatewayAddress } from '../platform/http/gateway-address';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';
import { rawCardMit, wantsCardOnFile } from './card-on-file';
import { HostedFormService, isHostedForm } from './hosted-form.service';
import { newPaymentRow, planInfo } from './new-payment';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { isTokenPayment, tokenOf, TokenPaymentService } from './token-payment.service';
import { buildUpstreamPay } from './upstream-pay-request';

/**
 * The pay dispatcher: checks the amounts, picks the card source (vault token, acquirer token, hosted
 * form, raw card) and runs it through the one pipeline (`PayPipeline`). The raw card is this file's own
 * source: vault + payment row (one statement) → upstream → result + CVV destruction + merchant notice
 * (one statement) → answer. Two round trips to PostgreSQL on the hot path.
 */
@Injectable()
export class AuthorizationService {
  constructor(
    private readonly address: GatewayAddress,
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly cards: CardCollectionService,
    private readonly vault: VaultService,
    private readonly upstream: PaymentProcessor,
    private readonly hosted: HostedFormService,
    private readonly pipeline: PayPipeline,
    private readonly storedCredentials: StoredCredentialsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    private readonly tokenPay: TokenPaymentService,
    private readonly acquirerTokenPay: AcquirerTokenPaymentService,
    // The BIN table (card-info's, global): the issuing country an installment plan falls back to.
    @Optional() @Inject(BinTable) private readonly bins: BinTable | null = null,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<PayAnswer> {
    checkAmounts(req);
    if (isTokenPayment(req)) {
      // `tok_…` is the gateway's vault; any other token can only be one the acquirer issued to this merchant.
      return isVaultToken(tokenOf(req)) ? this.tokenPay.pay(merchant, req) : this.acquirerTokenPay.pay(merchant, req);
    }
    const meta = req.paymentMethod.paymentMethodMetaData;
    if (isHostedForm(req)) return this.hosted.pay(merchant, req);
    if (!meta) {
      throw new AntomError('PARAM_ILLEGAL', 'paymentMethod.paymentMethodMetaData with the card is required.');
    }
    const mit = rawCardMit(req);
    const card = this.cards.collect(merchant.id, meta, !mit);
    const features = decideCardFeatures(req, card.summary, true, issuingCountryOf(this.bins, card.summary.bin));
    if (mit) Object.assign(features.metaOverrides, mit);
    const requestHash = payKeyHash(req, 'CARD', card.summary.fingerprint);
    return this.pipeline.run(merchant, req, {
      requestHash,
      // No read-before-insert: a repeated paymentRequestId loses on the unique key and is replayed from
      // there, which saves a round trip on every first pay (measured by `npm run bench`).
      readFirst: false,
      payment: () => newPayment(merchant, req, requestHash, card, features, this.config.RECONCILE_FIRST_DELAY_SECONDS),
      insert: (payment) => this.createWithCard(merchant, payment, card, req, !mit),
      forward: (payment) =>
        this.vault.withCollectedCard(card, (raw) =>
          this.upstream.pay(buildUpstreamPay(req, payment.id, `${this.address.publicUrl}/antom/notify`, cardWireFields(raw), features), {
            paymentId: payment.paymentId,
          }),
        ),
      afterSettle: async (settled) => {
        if (wantsCardOnFile(req)) await this.storedCredentials.recordConsent(settled);
      },
    });
  }

  /** Vault rows + payment row + its timeline row in ONE statement (a twin request loses on the unique key). */
  private async createWithCard(
    merchant: MerchantIdentity,
    payment: Payment,
    card: CollectedCard,
    req: PayRequestDto,
    requireCvv: boolean,
  ): Promise<void> {
    const onFile = wantsCardOnFile(req);
    const prepared = this.cards.prepare(merchant.id, card, { requireCvv, onFile, cvvTtlSeconds: this.config.VAULT_CVV_TTL_SECONDS });
    payment.cardId = prepared.card.cardId;
    if (onFile) payment.paymentResultInfo = { ...payment.paymentResultInfo, cardToken: prepared.card.token };
    await this.payments.insert(this.db, payment, { source: 'merchant-api' }, prepared.rows);
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

function newPayment(
  merchant: MerchantIdentity,
  req: PayRequestDto,
  requestHash: string,
  card: CollectedCard,
  features: FeatureDecision,
  firstReconcileSeconds: number,
): Payment {
  const c = card.summary;
  return newPaymentRow(
    merchant,
    req,
    requestHash,
    {
      cardId: null,
      bin: c.bin,
      last4: c.last4,
      brand: features.brand,
      resultInfo: { cardNo: c.masked, cardBin: c.bin, lastFour: c.last4, cardBrand: features.brand, ...planInfo(features.creditPayPlan) },
    },
    firstReconcileSeconds,
  );
}
