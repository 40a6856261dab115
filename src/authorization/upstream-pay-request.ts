import { PayRequestDto } from '../merchant-api/dto/pay.dto';
import { FeatureDecision } from './card-features';
import { upstreamEnv } from './upstream-env';

/** Card fields the merchant sent; stripped from what we copy through and refilled from the vault. */
// `tokenize` too: the gateway's vault keeps the card; the acquirer need not store it again.
const CARD_FIELDS = new Set(['cardNo', 'cvv', 'expiryMonth', 'expiryYear', 'cardholderName', 'tokenize']);

export interface ForwardedCard {
  readonly cardNo: string;
  readonly expiryMonth: string;
  readonly expiryYear: string;
  readonly cvv?: string;
  readonly cardholderName?: Record<string, string>;
}

/**
 * Builds the upstream pay: the merchant's request with our own request id and notify URL, and the card
 * from the vault. Called only inside `vault.withCard`, and the result is never stored or logged.
 */
export function buildUpstreamPay(req: PayRequestDto, upstreamRequestId: string, notifyUrl: string, card: ForwardedCard, features: FeatureDecision): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.paymentMethod.paymentMethodMetaData ?? {})) if (!CARD_FIELDS.has(k)) meta[k] = v;
  Object.assign(meta, features.metaOverrides, {
    cardNo: card.cardNo,
    expiryMonth: card.expiryMonth,
    expiryYear: card.expiryYear,
    ...(card.cvv ? { cvv: card.cvv } : {}),
    ...(card.cardholderName ? { cardholderName: card.cardholderName } : {}),
  });
  return upstreamPayEnvelope(req, upstreamRequestId, notifyUrl, features, {
    paymentMethodType: 'CARD',
    paymentMethodMetaData: meta,
    ...(req.paymentMethod.requireIssuerAuthentication !== undefined ? { requireIssuerAuthentication: req.paymentMethod.requireIssuerAuthentication } : {}),
  });
}

/**
 * Everything an upstream pay carries besides its payment method, the same on every pay path: the
 * merchant's order and amounts, our own request id (the payment row's id) and our notify URL.
 */
export function upstreamPayEnvelope(req: PayRequestDto, upstreamRequestId: string, notifyUrl: string, features: FeatureDecision, paymentMethod: Record<string, unknown>): Record<string, unknown> {
  return {
    productCode: req.productCode,
    paymentRequestId: upstreamRequestId,
    order: req.order,
    paymentAmount: req.paymentAmount,
    paymentMethod,
    paymentFactor: { isAuthorization: true, captureMode: req.paymentFactor?.captureMode ?? 'AUTOMATIC' },
    env: upstreamEnv(req.env ?? req.order.env),
    paymentRedirectUrl: req.paymentRedirectUrl,
    paymentNotifyUrl: notifyUrl,
    settlementStrategy: req.settlementStrategy,
    paymentExpiryTime: req.paymentExpiryTime,
    creditPayPlan: features.creditPayPlan,
  };
}
