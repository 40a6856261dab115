import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UpstreamPayAnswer } from '../acquirer-answers/pay-outcome';
import { AntomError } from '../antom/antom-error';
import { maskFromBinAndLast4 } from '../antom/card-mask';
import { EnvDto } from '../antom/requests/common.dto';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { ResultCode } from '../antom/result-codes';
import { PayAnswer } from '../antom/wire';
import { BinTable, issuingCountryOf } from '../card-features/bin-table';
import { decideCardFeatures, FeatureDecision } from '../card-features/card-features';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardTokensService } from '../pci/card-collection/card-tokens.service';
import { StoredCredentialsService } from '../pci/vault/stored-credentials.service';
import { TokenCard } from '../pci/vault/token-card';
import { VaultService } from '../pci/vault/vault.service';
import { CardExpiredError, CardNotFoundError, VaultIntegrityError, VaultKeyError } from '../pci/vault/vault-errors';
import { cardWireFields, MerchantCvv } from '../pci/vault/wire-card';
import { GatewayAddress } from '../platform/http/gateway-address';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { tokenPayDecision } from './card-on-file';
import { newPaymentRow, planInfo } from './new-payment';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { buildUpstreamPay } from './upstream-pay-request';

/** `paymentMethod.paymentMethodId` carries a card token (the vault's `tok_…` or the acquirer's) and no raw card is sent. */
export function isTokenPayment(req: PayRequestDto): boolean {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  return typeof req.paymentMethod.paymentMethodId === 'string' && meta.cardNo === undefined;
}

/** The token a token pay names (`isTokenPayment` said there is one). */
export function tokenOf(req: PayRequestDto): string {
  const token = req.paymentMethod.paymentMethodId;
  if (typeof token !== 'string')
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodId: required for a token payment.');
  return token;
}

/**
 * Paying with a vault token: resolve the token (owner, lifetime, one-time use) → payment row, spending a
 * one-time token in the same transaction → open the card inside the vault callback and forward it → map,
 * destroying the CVV once the authorization is over. A card the vault cannot open (tampered bytes, a
 * retired key, an expired card) fails the payment with a precise code; nothing goes upstream.
 */
@Injectable()
export class TokenPaymentService {
  constructor(
    private readonly address: GatewayAddress,
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly tokens: CardTokensService,
    private readonly vault: VaultService,
    private readonly upstream: PaymentProcessor,
    private readonly storedCredentials: StoredCredentialsService,
    private readonly pipeline: PayPipeline,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    // The BIN table (card-info's, global): the issuing country an installment plan falls back to.
    @Optional() @Inject(BinTable) private readonly bins: BinTable | null = null,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<PayAnswer> {
    const token = tokenOf(req);
    const requestHash = payKeyHash(req, 'CARD_TOKEN', token);
    // A repeat is replayed before the token is resolved: a spent one-time token still replays its payment
    // (and a payment left U is resent with the card it was made with).
    const existing = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
    if (existing) return this.pipeline.replay(merchant, existing, { requestHash, forward: (p) => this.resend(merchant, req, token, p) });
    const card = await this.tokens.resolve(merchant.id, token);
    const use = await this.prepare(req, card);
    return this.pipeline.run(merchant, req, {
      requestHash,
      readFirst: false, // read above
      payment: () => newPayment(merchant, req, requestHash, card, use.features, this.config.RECONCILE_FIRST_DELAY_SECONDS),
      insert: (payment) => this.create(payment, card),
      forward: (payment) => this.forward(payment, req, card, use.cvv, use.features, !use.stored.mit),
      afterSettle: async (settled) => {
        if (!use.stored.mit && use.stored.metaOverrides.isCardOnFile) await this.storedCredentials.recordConsent(settled);
      },
    });
  }

  /** What a pay with this card sends besides the card: the merchant's CVV, the card features, the stored-credential fields. */
  private async prepare(req: PayRequestDto, card: TokenCard) {
    const cvv = MerchantCvv.from(req.paymentMethod.paymentMethodMetaData, card.brands);
    const features = decideCardFeatures(
      req,
      { bin: card.bin, last4: card.last4, brands: card.brands, masked: '', fingerprint: card.fingerprint },
      true,
      issuingCountryOf(this.bins, card.bin),
    );
    const stored = await this.storedCredentials.forTokenPay(tokenPayDecision(req), card);
    Object.assign(features.metaOverrides, stored.metaOverrides);
    return { cvv, features, stored };
  }

  /**
   * A re-drive's resend of a payment left U: the card the payment was made with (its one-time token is
   * spent by then, so it is looked up, not resolved), sent as the first call sent it. A card deleted since
   * is a final F, as in `forward`: nothing goes upstream.
   */
  private async resend(merchant: MerchantIdentity, req: PayRequestDto, token: string, p: Payment): Promise<UpstreamOutcome<UpstreamPayAnswer>> {
    const card = await this.vault.findToken(token);
    if (!card || card.merchantId !== merchant.id || card.cardId !== p.cardId) return vaultRefusal('INVALID_CARD_TOKEN');
    const use = await this.prepare(req, card);
    return this.forward(p, req, card, use.cvv, use.features, !use.stored.mit);
  }

  /** Payment row (and the one-time token spent) in one transaction; a twin request loses on the unique key. */
  private create(payment: Payment, card: TokenCard): Promise<void> {
    return this.db.transaction(async (tx) => {
      if (!card.onFile && !(await this.vault.consumeOneTime(tx, card.cardId))) throw new AntomError('CARD_TOKEN_USED');
      await this.payments.insert(tx, payment, { source: 'merchant-api', via: 'card-token' });
    });
  }

  /** The card opened inside the vault callback and forwarded; a card the vault cannot open is a final F (nothing went upstream). */
  private async forward(
    payment: Payment,
    req: PayRequestDto,
    card: TokenCard,
    cvv: MerchantCvv | undefined,
    features: FeatureDecision,
    buyerPresent: boolean,
  ): Promise<UpstreamOutcome<UpstreamPayAnswer>> {
    const upstreamReq: PayRequestDto = { ...req, env: mergeEnv(card.buyerEnv, req.env ?? req.order.env) } as PayRequestDto;
    const notifyUrl = `${this.address.publicUrl}/antom/notify`;
    try {
      return await this.vault.withCard(card.cardId, (raw) =>
        this.upstream.pay(buildUpstreamPay(upstreamReq, payment.id, notifyUrl, cardWireFields(raw, cvv, buyerPresent), features), {
          paymentId: payment.paymentId,
        }),
      );
    } catch (e) {
      const code = vaultFailure(e);
      if (!code) throw e;
      return vaultRefusal(code);
    }
  }
}

function vaultRefusal(code: ResultCode): UpstreamOutcome<UpstreamPayAnswer> {
  return { kind: 'answer', body: { result: { resultStatus: 'F', resultCode: code, resultMessage: new AntomError(code).result.resultMessage } } };
}

/** Vault failures are final and precise: the card was never sent anywhere. */
function vaultFailure(e: unknown): ResultCode | null {
  if (e instanceof VaultIntegrityError) return 'CARD_DATA_INTEGRITY_ERROR';
  if (e instanceof VaultKeyError) return 'CARD_KEY_UNAVAILABLE';
  if (e instanceof CardExpiredError) return 'CARD_EXPIRED';
  if (e instanceof CardNotFoundError) return 'INVALID_CARD_TOKEN'; // deleted between resolve and use
  return null;
}

/** The merchant's env wins field by field; the hosted page's browserInfo / clientIp fill the gaps (both Antom's Env fields: the DTO's, buyer-env.ts's). */
function mergeEnv(stored: Record<string, unknown> | null, sent: object | undefined): EnvDto | undefined {
  if (!stored && !sent) return undefined;
  const out: Record<string, unknown> = { ...(stored ?? {}) };
  for (const [k, v] of Object.entries(sent ?? {})) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function newPayment(
  merchant: MerchantIdentity,
  req: PayRequestDto,
  requestHash: string,
  card: TokenCard,
  features: FeatureDecision,
  firstReconcileSeconds: number,
): Payment {
  return newPaymentRow(
    merchant,
    req,
    requestHash,
    {
      cardId: card.cardId,
      bin: card.bin,
      last4: card.last4,
      brand: features.brand,
      resultInfo: {
        cardNo: maskFromBinAndLast4(card.bin, card.last4),
        cardBin: card.bin,
        lastFour: card.last4,
        cardBrand: features.brand,
        cardToken: card.token,
        ...planInfo(features.creditPayPlan),
      },
    },
    firstReconcileSeconds,
  );
}
