import { Inject, Injectable, Optional } from '@nestjs/common';

import { AcquirerCardTokenRepository } from '../acquirer-answers/acquirer-card-token.repository';
import { AcquirerCardToken } from '../acquirer-answers/acquirer-card-tokens';
import { AntomError } from '../antom/antom-error';
import { maskFromBinAndLast4 } from '../antom/card-mask';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { UpstreamPayRequest } from '../antom/upstream-requests';
import { PayAnswer } from '../antom/wire';
import { BinTable, issuingCountryOf } from '../card-features/bin-table';
import { decideCardFeatures, FeatureDecision } from '../card-features/card-features';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { withoutCardFields } from '../pci/vault/wire-card';
import { GatewayAddress } from '../platform/http/gateway-address';
import { PaymentProcessor } from '../upstream/payment-processor';
import { newPaymentRow, planInfo } from './new-payment';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { tokenOf } from './token-payment.service';
import { upstreamPayEnvelope } from './upstream-pay-request';

// Whatever card fields a merchant adds are dropped: the acquirer holds this card, the gateway never did.

/**
 * Paying with the acquirer's own card token (issued when its hosted page collected the card): the token
 * must belong to this merchant; it goes upstream as `paymentMethodId` with `isCardOnFile: true`. The vault
 * is not involved — there is no card to open.
 */
@Injectable()
export class AcquirerTokenPaymentService {
  constructor(
    private readonly address: GatewayAddress,
    private readonly acquirerTokens: AcquirerCardTokenRepository,
    private readonly pipeline: PayPipeline,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    // The BIN table (card-info's, global): the issuing country an installment plan falls back to.
    @Optional() @Inject(BinTable) private readonly bins: BinTable | null = null,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<PayAnswer> {
    const token = await this.resolve(merchant, tokenOf(req));
    const features = decideCardFeatures(
      req,
      { bin: token.bin, last4: token.last4, brands: [token.brand], masked: '', fingerprint: '' },
      false,
      issuingCountryOf(this.bins, token.bin),
    );
    const requestHash = payKeyHash(req, 'ACQUIRER_TOKEN', token.token);
    return this.pipeline.run(merchant, req, {
      requestHash,
      readFirst: true,
      payment: () => newPayment(merchant, req, requestHash, token, features, this.config.RECONCILE_FIRST_DELAY_SECONDS),
      insert: (payment) => this.pipeline.insertPlain(payment, { via: 'acquirer-token' }),
      forward: (payment) => this.upstream.pay(this.upstreamPay(req, payment, token, features), { paymentId: payment.paymentId }),
    });
  }

  /** Another merchant's token is as unknown as a made-up one: no hint that it exists. */
  private async resolve(merchant: MerchantIdentity, id: string): Promise<AcquirerCardToken> {
    const token = await this.acquirerTokens.find(id);
    if (!token || token.merchantId !== merchant.id) throw new AntomError('INVALID_CARD_TOKEN');
    return token;
  }

  private upstreamPay(req: PayRequestDto, payment: Payment, token: AcquirerCardToken, features: FeatureDecision): UpstreamPayRequest {
    const meta = withoutCardFields(req.paymentMethod.paymentMethodMetaData, ['tokenize', 'mpiData']);
    Object.assign(meta, features.metaOverrides, { isCardOnFile: true });
    return upstreamPayEnvelope(req, payment.id, `${this.address.publicUrl}/antom/notify`, features, {
      paymentMethodType: 'CARD',
      paymentMethodId: token.token,
      paymentMethodMetaData: meta,
      ...(req.paymentMethod.requireIssuerAuthentication !== undefined
        ? { requireIssuerAuthentication: req.paymentMethod.requireIssuerAuthentication }
        : {}),
    });
  }
}

function newPayment(
  merchant: MerchantIdentity,
  req: PayRequestDto,
  requestHash: string,
  token: AcquirerCardToken,
  features: FeatureDecision,
  firstReconcileSeconds: number,
): Payment {
  const masked = token.bin && token.last4 ? maskFromBinAndLast4(token.bin, token.last4) : undefined;
  return newPaymentRow(
    merchant,
    req,
    requestHash,
    {
      cardId: null,
      bin: token.bin || null,
      last4: token.last4 || null,
      brand: features.brand,
      resultInfo: {
        ...(masked ? { cardNo: masked, cardBin: token.bin, lastFour: token.last4 } : {}),
        cardBrand: features.brand,
        cardToken: token.token,
        ...planInfo(features.creditPayPlan),
      },
    },
    firstReconcileSeconds,
  );
}
