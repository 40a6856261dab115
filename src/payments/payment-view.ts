import { Static } from '@sinclair/typebox';

import { AntomResult, antomResult } from '../antom/result-codes';
import { asAntomModel } from '../antom/wire/coerce';
import { AcquirerInfo, CardInfo, ChallengeActionForm, PaymentResultInfo, RedirectActionForm } from '../antom/wire/models';
import { InquiryPaymentAnswer, PayAnswer, PAYMENT_FIELDS } from '../antom/wire/payment-answers';
import { Payment } from './payment.entity';
import { toAntomPaymentStatus } from './payment-status';

/** The merchant-facing pay response, rebuilt from the stored row: an idempotent replay gives the same answer. */
export function payResponse(p: Payment): PayAnswer {
  return compact({
    result: resultOf(p),
    ...paymentFields(p),
    ...(p.status === 'PENDING_ACTION' ? actionFields(p) : {}),
  });
}

export function inquiryResponse(p: Payment): InquiryPaymentAnswer {
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
export function cardInfoOf(p: Payment): Static<typeof CardInfo> | undefined {
  const i = p.paymentResultInfo ?? {};
  const view = asAntomModel(
    {
      cardNo: i.cardNo,
      cardBrand: p.cardBrand ?? i.cardBrand,
      cardToken: i.cardToken,
      issuingCountry: i.issuingCountry,
      funding: i.funding,
      paymentMethodRegion: i.paymentMethodRegion,
      threeDSResult: i.threeDSResult,
      // Not in the SDKs' CardInfo models (they ignore them), but in the seed's Korean notification.
      avsResultRaw: i.avsResultRaw,
      cvvResultRaw: i.cvvResultRaw,
    },
    CardInfo,
  );
  return view && Object.keys(view).length ? view : undefined;
}

/** The fields of PAYMENT_FIELDS (payment-answers.ts): what the pay answer and the inquiry both say of the payment itself. */
type PaymentFields = { [K in keyof typeof PAYMENT_FIELDS]?: Static<(typeof PAYMENT_FIELDS)[K]> };

function paymentFields(p: Payment): PaymentFields {
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
    paymentResultInfo: asAntomModel(p.paymentResultInfo, PaymentResultInfo),
    // Antom sends AcquirerInfo beside paymentResultInfo too; the SDK models read it in both places.
    acquirerInfo: asAntomModel(p.paymentResultInfo?.acquirerInfo, AcquirerInfo),
  };
}

/**
 * The result info as it stands now: the acquirer's `incrementalAuthorizationAvailable` holds only while
 * the authorization can still be raised (authorized, nothing captured, no cancel asked for). The pay
 * answer keeps the flag as first answered (a replay answers the same).
 */
function liveResultInfo(p: Payment): Static<typeof PaymentResultInfo> | undefined {
  const info = asAntomModel(p.paymentResultInfo, PaymentResultInfo);
  const raisable = p.status === 'AUTHORIZED' && p.capturedAmount === 0n && !p.cancelRequestedAt && p.resultStatus !== 'F';
  if (info && info.incrementalAuthorizationAvailable === true && !raisable) info.incrementalAuthorizationAvailable = false;
  return info;
}

/** What a payment waiting for the buyer tells the merchant to do (the stored action's three fields), in the SDK models' types. */
function actionFields(p: Payment): Pick<PayAnswer, 'normalUrl' | 'redirectActionForm' | 'challengeActionForm'> {
  const a = p.action ?? {};
  return compact({
    normalUrl: typeof a.normalUrl === 'string' ? a.normalUrl : undefined,
    redirectActionForm: asAntomModel(a.redirectActionForm, RedirectActionForm),
    challengeActionForm: asAntomModel(a.challengeActionForm, ChallengeActionForm),
  });
}

function resultOf(p: Payment): AntomResult {
  return {
    resultCode: p.resultCode ?? 'UNKNOWN_EXCEPTION',
    resultStatus: p.resultStatus ?? 'U',
    resultMessage: p.resultMessage ?? 'The result is unknown; inquire later.',
  };
}

/** Antom's time format: ISO 8601 with an explicit +00:00 offset. */
export function iso(d: Date | null | undefined): string | undefined {
  return d ? d.toISOString().replace('Z', '+00:00') : undefined;
}

/** Antom omits nulls on output. */
export function compact<T extends object>(o: T): T {
  const fields = o as Record<string, unknown>;
  for (const k of Object.keys(fields)) if (fields[k] === undefined || fields[k] === null) delete fields[k];
  return o;
}
