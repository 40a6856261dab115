import { AntomResult, antomResult } from '../antom/result-codes';
import { ACQUIRER_INFO, asAntomModel, CARD_INFO, CHALLENGE_ACTION_FORM, PAYMENT_RESULT_INFO, REDIRECT_ACTION_FORM } from './antom-output-types';
import { Payment } from './payment.entity';
import { toAntomPaymentStatus } from './payment-status';

/** The merchant-facing pay response, rebuilt from the stored row: an idempotent replay gives the same answer. */
export function payResponse(p: Payment): Record<string, unknown> {
  return compact({
    result: resultOf(p),
    ...paymentFields(p),
    ...(p.status === 'PENDING_ACTION' ? actionFields(p) : {}),
  });
}

export function inquiryResponse(p: Payment): Record<string, unknown> {
  return compact({
    result: antomResult('SUCCESS'), // the inquiry itself succeeded; the payment's own outcome is paymentStatus
    paymentStatus: toAntomPaymentStatus(p.status),
    paymentResultCode: p.resultCode ?? undefined,
    paymentResultMessage: p.resultMessage ?? undefined,
    ...paymentFields(p),
    paymentResultInfo: liveResultInfo(p),
    redirectActionForm: p.status === 'PENDING_ACTION' ? actionFields(p).redirectActionForm : undefined,
    cardInfo: cardInfoOf(p),
  });
}

/**
 * Antom's CardInfo of the payment (inquiryPayment, notifyPayment; the seed: "异步通知中的 cardInfo 字段包含卡令牌"):
 * the masked card, brand, the token the merchant pays with again (the gateway's vault token when it
 * holds the card, else the acquirer's from its hosted page), funding, issuing country, region and the 3DS
 * result, as far as they are known; never more of the card than the mask.
 */
export function cardInfoOf(p: Payment): Record<string, unknown> | undefined {
  const i = p.paymentResultInfo ?? {};
  const view = asAntomModel({
    cardNo: i.cardNo, cardBrand: p.cardBrand ?? i.cardBrand, cardToken: i.cardToken, issuingCountry: i.issuingCountry, funding: i.funding,
    paymentMethodRegion: i.paymentMethodRegion, threeDSResult: i.threeDSResult,
    // Not in the SDKs' CardInfo models (they ignore them), but in the seed's Korean notification.
    avsResultRaw: i.avsResultRaw, cvvResultRaw: i.cvvResultRaw,
  }, CARD_INFO);
  return view && Object.keys(view).length ? view : undefined;
}

/** What the pay answer and the inquiry both say of the payment itself. */
function paymentFields(p: Payment): Record<string, unknown> {
  return {
    paymentRequestId: p.paymentRequestId,
    paymentId: p.paymentId,
    paymentAmount: { currency: p.currency, value: p.amount.toString() },
    paymentCreateTime: iso(p.createdAt),
    paymentTime: iso(p.paymentTime),
    // What the buyer was charged (Antom's actualPaymentAmount; a card payment has no promotion, so the amount itself).
    actualPaymentAmount: p.resultStatus === 'S' ? { currency: p.currency, value: p.amount.toString() } : undefined,
    authExpiryTime: iso(p.authExpiryTime),
    // Typed as Antom's PaymentResultInfo model: the acquirer may send "3" where the SDKs decode an int.
    paymentResultInfo: asAntomModel(p.paymentResultInfo, PAYMENT_RESULT_INFO),
    // Antom sends AcquirerInfo beside paymentResultInfo too; the SDK models read it in both places.
    acquirerInfo: asAntomModel(p.paymentResultInfo?.acquirerInfo, ACQUIRER_INFO),
  };
}

/**
 * The result info as it stands now: the acquirer's `incrementalAuthorizationAvailable` holds only while
 * the authorization can still be raised (authorized, nothing captured, no cancel asked for). The pay
 * answer keeps the flag as first answered (a replay answers the same).
 */
function liveResultInfo(p: Payment): Record<string, unknown> | undefined {
  const info = asAntomModel(p.paymentResultInfo, PAYMENT_RESULT_INFO);
  const raisable = p.status === 'AUTHORIZED' && p.capturedAmount === 0n && !p.cancelRequestedAt && p.resultStatus !== 'F';
  if (info && info.incrementalAuthorizationAvailable === true && !raisable) info.incrementalAuthorizationAvailable = false;
  return info;
}

/** What a payment waiting for the buyer tells the merchant to do, in the SDK models' types. */
function actionFields(p: Payment): Record<string, unknown> {
  const a = p.action ?? {};
  return compact({
    ...a, normalUrl: typeof a.normalUrl === 'string' ? a.normalUrl : undefined, redirectActionForm: asAntomModel(a.redirectActionForm, REDIRECT_ACTION_FORM),
    challengeActionForm: asAntomModel(a.challengeActionForm, CHALLENGE_ACTION_FORM),
  });
}

function resultOf(p: Payment): AntomResult {
  return { resultCode: p.resultCode ?? 'UNKNOWN_EXCEPTION', resultStatus: p.resultStatus ?? 'U', resultMessage: p.resultMessage ?? 'The result is unknown; inquire later.' };
}

/** Antom's time format: ISO 8601 with an explicit +00:00 offset. */
export function iso(d: Date | null | undefined): string | undefined {
  return d ? d.toISOString().replace('Z', '+00:00') : undefined;
}

/** Antom omits nulls on output. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}
