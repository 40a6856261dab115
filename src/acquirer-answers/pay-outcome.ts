import { Static } from '@sinclair/typebox';

import { UpstreamPayAnswer } from '../antom/answers';
import { maskCardNumber } from '../antom/card-mask';
import { ResultCode, upstreamUnknownCode } from '../antom/result-codes';
import { inquireAdvice, retryAdvice } from '../antom/unknown-advice';
import { AcquirerInfo, ChallengeActionForm, PaymentResultInfo } from '../antom/wire/models';
import { interpretChecks } from '../card-features/avs-checks';
import { Payment } from '../payments/payment.entity';
import { PaymentStatus } from '../payments/payment-status';
import { UpstreamOutcome } from '../upstream/antom-client';

export type { UpstreamPayAnswer } from '../antom/answers';

/**
 * Fields of Antom's PaymentResultInfo model not taken as the acquirer sends them. Card data: the masked
 * number, BIN and last four the merchant sees are the gateway's own (stored when the payment was made, or
 * `safeMask`ed from a hosted page's cardInfo); expiry, holder name and account number are not passed on at
 * all. `acquirerInfo` is taken field by field (`acquirerInfoOf`).
 */
const NOT_TAKEN_AS_SENT = new Set(['cardNo', 'cardBin', 'lastFour', 'expiryMonth', 'expiryYear', 'cardholderName', 'accountNo', 'acquirerInfo']);

/**
 * The result-info fields kept from the acquirer: the whole of Antom's card PaymentResultInfo model but the
 * card data (refusal codes, issuer, RRN, card category, exemption, credential type, the `*Available`
 * flags, …). A field the model does not name is dropped: what else the acquirer echoes could carry card data.
 */
export const KEPT_RESULT_INFO = Object.keys(PaymentResultInfo.properties).filter((k) => !NOT_TAKEN_AS_SENT.has(k));

/** AcquirerInfo as Antom's model names it, but the acquirer's own card token (the merchant pays with the gateway's). */
const KEPT_ACQUIRER_INFO = Object.keys(AcquirerInfo.properties).filter((k) => k !== 'acquirerCardToken');

export interface MappedPayResult {
  status: PaymentStatus;
  changes: Partial<Payment>;
  /** Whether the card's CVV can be destroyed now (the authorization is over, one way or the other). */
  authorizationOver: boolean;
}

/**
 * How the gateway learnt what it applies. It decides a U answer's advice (src/antom/unknown-advice.ts): a U
 * in a response (no answer, or the acquirer's own U) may mean the request never arrived — retry with the
 * same id; a U learnt by inquiry means the acquirer has the payment and is processing it — inquire.
 */
export type LearntBy = 'RESPONSE' | 'INQUIRY' | 'NOTIFICATION' | 'RECONCILIATION';

export function mapPayOutcome(p: Payment, outcome: UpstreamOutcome<UpstreamPayAnswer>, learntBy: LearntBy = 'RESPONSE'): MappedPayResult {
  if (outcome.kind === 'no-answer') return unknown(retryAdvice('payment'));
  const a = outcome.body;
  const r = a.result ?? {};
  // The masked card view was stored at creation; the acquirer adds AVS, CVV, 3DS and network results.
  // Object.assign, not spreads, in this function: on Node 20 a spread that merges two objects or adds keys takes
  // V8's slow path, ~1 µs each (16 µs a call with spreads, issue 27). Same own keys in the same order; the sources
  // are the gateway's own stored view and `pick`s of model-named keys, so no `__proto__` key reaches a setter.
  const info: Record<string, unknown> = Object.assign({}, p.paymentResultInfo, pick(a.paymentResultInfo ?? {}, KEPT_RESULT_INFO));
  keepEmptyChecks(info, a.paymentResultInfo);
  const acquirerInfo = acquirerInfoOf(p, a.paymentResultInfo?.acquirerInfo ?? a.acquirerInfo);
  if (acquirerInfo) info.acquirerInfo = acquirerInfo;
  Object.assign(info, hostedCardView(a.cardInfo ?? a.paymentResultInfo, info));
  // Korean issuer-authenticated results carry `threeDSResult: {cavv: "", eci: ""}` (no 3DS happened): passed
  // on as sent, like the seed's Korean example, empty strings included (issue 29).
  // The merchant pays with the gateway's vault token; an acquirer token never replaces it.
  if (typeof p.paymentResultInfo?.cardToken === 'string') info.cardToken = p.paymentResultInfo.cardToken;
  if (info.avsResultRaw !== undefined || info.cvvResultRaw !== undefined) info.checks = interpretChecks(info.avsResultRaw, info.cvvResultRaw);
  const base: Partial<Payment> = Object.assign(maskedColumns(p, info), {
    upstreamPaymentId: typeof a.paymentId === 'string' ? a.paymentId.slice(0, 64) : null,
    resultCode: String(r.resultCode ?? 'UNKNOWN_EXCEPTION').slice(0, 64),
    resultMessage: String(r.resultMessage ?? '').slice(0, 256),
    paymentResultInfo: info,
  });
  if (r.resultStatus === 'S') {
    const status: PaymentStatus = p.captureMode === 'MANUAL' ? 'AUTHORIZED' : 'SUCCEEDED';
    return {
      status,
      authorizationOver: true,
      changes: Object.assign({}, base, {
        resultStatus: 'S' as const,
        authorizedAmount: p.amount,
        paymentTime: date(a.paymentTime) ?? new Date(),
        authExpiryTime: date(a.authExpiryTime),
      }),
    };
  }
  if (r.resultStatus === 'F') return { status: 'FAILED', authorizationOver: true, changes: Object.assign({}, base, { resultStatus: 'F' as const }) };
  if (r.resultCode === 'PAYMENT_IN_PROCESS') {
    const action = {
      normalUrl: typeof a.normalUrl === 'string' ? a.normalUrl : undefined,
      redirectActionForm: a.redirectActionForm,
      challengeActionForm: isObject(a.challengeActionForm) ? pick(a.challengeActionForm, Object.keys(ChallengeActionForm.properties)) : undefined,
    };
    return { status: 'PENDING_ACTION', authorizationOver: false, changes: Object.assign({}, base, { resultStatus: 'U' as const, action }) };
  }
  // Antom's other U codes (REQUEST_TRAFFIC_EXCEED_LIMIT) reach the merchant as sent; the rest read UNKNOWN_EXCEPTION.
  const advice = learntBy === 'INQUIRY' ? inquireAdvice('payment') : retryAdvice('payment');
  return unknown(advice, base, upstreamUnknownCode('pay', r.resultCode));
}

function unknown(message: string, base: Partial<Payment> = {}, code: ResultCode = 'UNKNOWN_EXCEPTION'): MappedPayResult {
  return {
    status: 'UNKNOWN',
    authorizationOver: false,
    changes: Object.assign({}, base, { resultStatus: 'U' as const, resultCode: code, resultMessage: message }),
  };
}

// Record: the named fields of one of the acquirer's open models (paymentResultInfo, acquirerInfo, cardInfo), as it sent them.
function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') out[k] = o[k];
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The acquirer's AcquirerInfo (inside paymentResultInfo or beside it), with the fields Antom's model
 * names; its `referenceRequestId` is the request id the acquirer was sent — the gateway's own — so the
 * merchant reads its paymentRequestId there.
 */
function acquirerInfoOf(p: Payment, v: unknown): Static<typeof AcquirerInfo> | undefined {
  if (!isObject(v)) return undefined;
  const kept = pick(v, KEPT_ACQUIRER_INFO);
  if (kept.referenceRequestId !== undefined) kept.referenceRequestId = p.paymentRequestId;
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * The acquirer's AVS and CVV codes as sent, an empty string included: Antom answers `avsResultRaw: ""` and
 * `cvvResultRaw: ""` when no check ran (the seed's Korean example), and a merchant's parser keyed on the
 * example's fields must find them. Never over a code already known (an empty echo says nothing new).
 */
function keepEmptyChecks(info: Record<string, unknown>, sent: Record<string, unknown> | undefined): void {
  for (const k of ['avsResultRaw', 'cvvResultRaw']) if (sent?.[k] === '' && info[k] === undefined) info[k] = '';
}

function date(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Keeps at most BIN and last 4 of whatever the acquirer echoes, even if it sent more. */
export function safeMask(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^[0-9*]{12,19}$/.test(v)) return undefined;
  return maskCardNumber(v);
}

// Record: fields merged into the stored paymentResultInfo (a jsonb of the acquirer's open model), typed when answered (payment-view.ts).
function hostedCardView(cardInfo: Record<string, unknown> | undefined, info: Record<string, unknown>): Record<string, unknown> {
  if (!cardInfo || info.cardNo) return {};
  const masked = safeMask(cardInfo.cardNo);
  return {
    ...pick(cardInfo, ['cardBrand', 'cardToken', 'issuingCountry', 'funding']),
    ...(masked ? { cardNo: masked, cardBin: binOf(cardInfo.cardBin, masked), lastFour: masked.slice(-4) } : {}),
  };
}

function maskedColumns(p: Payment, info: Record<string, unknown>): Partial<Payment> {
  if (p.cardBin || typeof info.cardBin !== 'string') return {};
  return { cardBin: info.cardBin, cardLast4: String(info.lastFour ?? ''), cardBrand: typeof info.cardBrand === 'string' ? info.cardBrand : null };
}

/** The acquirer's cardBin, kept to 6 digits as before, when it agrees with the masked number; else the masked number's lead. */
function binOf(bin: unknown, masked: string): string {
  const lead = masked.slice(0, Math.max(0, masked.indexOf('*')));
  return typeof bin === 'string' && /^\d{6,8}$/.test(bin) && bin.startsWith(lead) ? bin.slice(0, 6) : lead;
}
