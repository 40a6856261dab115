import { PayRequestDto } from '../antom/requests/pay.dto';
import { UpstreamCardMetaData, UpstreamPaymentMethod, UpstreamPayRequest } from '../antom/upstream-requests';
import { FeatureDecision } from '../card-features/card-features';
import { withoutCardFields } from '../pci/vault/wire-card';
import { upstreamEnv } from './upstream-env';

/**
 * Builds the upstream pay: the merchant's request with our own request id and notify URL, and the card
 * fields the vault made (`cardWireFields`). Called only inside the vault's card callback, and the result
 * is never stored or logged. `tokenize` is not copied through: the gateway's vault keeps the card.
 */
export function buildUpstreamPay(
  req: PayRequestDto,
  upstreamRequestId: string,
  notifyUrl: string,
  cardFields: UpstreamCardMetaData,
  features: FeatureDecision,
): UpstreamPayRequest {
  const meta: UpstreamCardMetaData = withoutCardFields(req.paymentMethod.paymentMethodMetaData, ['tokenize']);
  Object.assign(meta, features.metaOverrides, cardFields);
  return upstreamPayEnvelope(req, upstreamRequestId, notifyUrl, features, {
    paymentMethodType: 'CARD',
    paymentMethodMetaData: meta,
    ...(req.paymentMethod.requireIssuerAuthentication !== undefined
      ? { requireIssuerAuthentication: req.paymentMethod.requireIssuerAuthentication }
      : {}),
  });
}

/**
 * Everything an upstream pay carries besides its payment method, the same on every pay path: the
 * merchant's order and amounts, our own request id (the payment row's id) and our notify URL.
 */
export function upstreamPayEnvelope(
  req: PayRequestDto,
  upstreamRequestId: string,
  notifyUrl: string,
  features: FeatureDecision,
  paymentMethod: UpstreamPaymentMethod,
): UpstreamPayRequest {
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
    merchantRegion: req.merchantRegion,
    userRegion: req.userRegion,
    extendInfo: req.extendInfo,
  };
}
