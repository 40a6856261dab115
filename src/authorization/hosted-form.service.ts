import { Inject, Injectable } from '@nestjs/common';

import { PayRequestDto } from '../antom/requests/pay.dto';
import { PayAnswer } from '../antom/wire';
import { decideCardFeatures } from '../card-features/card-features';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { GatewayAddress } from '../platform/http/gateway-address';
import { PaymentProcessor } from '../upstream/payment-processor';
import { newPaymentRow } from './new-payment';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { upstreamPayEnvelope } from './upstream-pay-request';

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
    private readonly address: GatewayAddress,
    private readonly pipeline: PayPipeline,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  pay(merchant: MerchantIdentity, req: PayRequestDto): Promise<PayAnswer> {
    const features = decideCardFeatures(req, { bin: '', last4: '', brands: ['UNKNOWN'], masked: '', fingerprint: '' }, false);
    const { cardNo: _c, cvv: _v, expiryMonth: _m, expiryYear: _y, mpiData: _mpi, ...meta } = req.paymentMethod.paymentMethodMetaData ?? {};
    const requestHash = payKeyHash(req, 'HOSTED');
    return this.pipeline.run(merchant, req, {
      requestHash,
      readFirst: true,
      payment: () => hostedPayment(merchant, req, requestHash, this.config.RECONCILE_FIRST_DELAY_SECONDS),
      insert: (payment) => this.pipeline.insertPlain(payment, { mode: 'HOSTED_FORM' }),
      forward: (payment) =>
        this.upstream.pay(
          upstreamPayEnvelope(req, payment.id, `${this.address.publicUrl}/antom/notify`, features, {
            paymentMethodType: 'CARD',
            ...(Object.keys(meta).length ? { paymentMethodMetaData: { ...meta, ...features.metaOverrides } } : {}),
            // As on every pay path (buildUpstreamPay): Korean issuer authentication is asked for here, beside the metadata.
            ...(req.paymentMethod.requireIssuerAuthentication !== undefined
              ? { requireIssuerAuthentication: req.paymentMethod.requireIssuerAuthentication }
              : {}),
          }),
          { paymentId: payment.paymentId },
        ),
    });
  }
}

function hostedPayment(merchant: MerchantIdentity, req: PayRequestDto, requestHash: string, firstReconcileSeconds: number): Payment {
  return newPaymentRow(merchant, req, requestHash, { cardId: null, bin: null, last4: null, brand: null, resultInfo: {} }, firstReconcileSeconds);
}
