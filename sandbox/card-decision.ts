import { randomBytes } from 'node:crypto';

import { maskCardNumber } from '../src/antom/card-mask';
import { luhn } from '../src/antom/pan-runs';
import { ResultCode } from '../src/antom/result-codes';
import { Body, captureModeOf, compact, SandboxError, wireBool } from './sandbox-context';
import { brandOf, outcomeFor } from './test-cards';

export type PendingKind = 'THREE_DS' | 'HOSTED' | 'ISSUER';

/** What the (simulated) issuer and scheme decide for one pay. */
export interface Decision {
  code: ResultCode;
  pendingKind?: PendingKind;
  info: Record<string, unknown>;
  /** The dispute test card: a chargeback follows the capture. */
  disputed?: boolean;
}

/** Where card installments exist (payments/pay creditPayPlan; offered by getCardInfo, inquireInstallment, consult). */
export const INSTALLMENT_REGIONS: ReadonlySet<string> = new Set(['BR', 'MX', 'CL', 'KR', 'US']);
/** installmentNum bounds of a plan. */
export const INSTALLMENT_COUNTS = { min: 2, max: 36 } as const;
/** The co-badged test card: Visa / Cartes Bancaires, either brand selectable. */
export const CO_BADGED = '4000002500001001';

/**
 * A card number Antom would take: 12–19 digits passing the Luhn check. Anything else is refused with F
 * INVALID_CARD_NUMBER before any issuer sees it (S2S pay, the hosted card page and getCardInfo alike), as
 * Antom and the gateway (pci/card-collection/validation) refuse it.
 */
export function isCardNumber(cardNo: string): boolean {
  return /^\d{12,19}$/.test(cardNo) && luhn(cardNo);
}

export function masked(cardNo: string): string {
  return maskCardNumber(cardNo);
}

/** Masked, BIN and last four only: the sandbox stores and returns nothing more of the card. */
export function cardSummary(cardNo: string, region: string | null): Record<string, unknown> {
  return {
    cardNo: masked(cardNo),
    cardBrand: brandOf(cardNo),
    cardBin: cardNo.slice(0, cardNo.length >= 16 ? 8 : 6),
    lastFour: cardNo.slice(-4),
    funding: 'CREDIT',
    issuingCountry: region ?? 'US',
  };
}

/**
 * What the issuer says with a decline, as Antom relays it in paymentResultInfo: the scheme's raw response
 * code and text (ISO 8583 / Visa style) and Mastercard's merchant advice code (01 new account information,
 * 02 try again later, 03 do not try again). Declines that are not the issuer's (risk, brand choice) carry none.
 */
export const REFUSALS: Partial<Record<ResultCode, { refusalCodeRaw: string; refusalReasonRaw: string; merchantAdviceCode?: string }>> = {
  DO_NOT_HONOR: { refusalCodeRaw: '05', refusalReasonRaw: 'Do not honor', merchantAdviceCode: '02' },
  USER_BALANCE_NOT_ENOUGH: { refusalCodeRaw: '51', refusalReasonRaw: 'Insufficient funds', merchantAdviceCode: '02' },
  LOST_CARD: { refusalCodeRaw: '41', refusalReasonRaw: 'Lost card, pick up', merchantAdviceCode: '03' },
  STOLEN_CARD: { refusalCodeRaw: '43', refusalReasonRaw: 'Stolen card, pick up', merchantAdviceCode: '03' },
  INVALID_CVV: { refusalCodeRaw: 'N7', refusalReasonRaw: 'Decline for CVV2 failure' },
  INVALID_EXPIRATION_DATE: { refusalCodeRaw: '54', refusalReasonRaw: 'Expired card', merchantAdviceCode: '01' },
  AUTHENTICATION_REQUIRED: { refusalCodeRaw: '1A', refusalReasonRaw: 'Additional customer authentication required' },
};

/** A decision the issuer declined, with its refusal codes. */
export function declined(code: ResultCode, info: Record<string, unknown>): Decision {
  return { code, info: { ...info, ...(REFUSALS[code] ?? {}) } };
}

/**
 * What the issuer and scheme say of any authorization (Antom's card paymentResultInfo), in the SDK models'
 * JSON types (wire-types.ts): the *Available flags are booleans, as Go, Java and .NET decode them.
 */
export function issuerFacts(cardNo: string, paymentId: string): Record<string, unknown> {
  const rrn = paymentId
    .replace(/[^0-9]/g, '')
    .padEnd(12, '0')
    .slice(0, 12);
  return {
    issuerName: `SANDBOX ${brandOf(cardNo)} ISSUER`,
    cardCategory: 'CONSUMER',
    credentialTypeUsed: 'PAN',
    // Twelve digits, never Luhn-valid: a card-number scanner must not take the reference for a PAN.
    rrn: luhn(rrn) ? rrn.slice(0, 11) + String((Number(rrn[11]) + 1) % 10) : rrn,
    incrementalAuthorizationAvailable: false,
    extendedAuthorizationAvailable: false,
    refundOnAuthorizationAvailable: false,
  };
}

export function newCardToken(): string {
  return `sbxtok_${randomBytes(16).toString('hex')}`;
}

export function regionOf(pm: Body, meta: Body): string | null {
  const r = meta.paymentMethodRegion ?? pm.paymentMethodRegion;
  return typeof r === 'string' ? r.toUpperCase() : null;
}

/** The contract's §7 test cards plus 3DS, Korean cards, co-badging and installments. */
export function decideCard(body: Body, cardNo: string, paymentId: string, on: { hostedPage?: boolean } = {}): Decision {
  const pm = (body.paymentMethod ?? {}) as Body;
  const meta = (pm.paymentMethodMetaData ?? {}) as Body;
  const region = regionOf(pm, meta);
  const captureMode = captureModeOf(body);
  const outcome = outcomeFor(cardNo);
  const info: Record<string, unknown> = {
    ...cardSummary(cardNo, region),
    avsResultRaw: meta.billingAddress ? outcome.avs : 'U',
    cvvResultRaw: meta.cvv ? outcome.cvv : 'P',
    networkTransactionId: `ntx${paymentId.slice(4, 24)}`,
    authorizationCode: paymentId.slice(-6).toUpperCase(),
    ...issuerFacts(cardNo, paymentId),
  };
  if (region) info.paymentMethodRegion = region;
  if (expired(meta)) return declined('INVALID_EXPIRATION_DATE', info);
  const plan = installments(body, region, info);
  if (plan) info.creditPayPlan = plan;
  // A manual-capture authorization can be raised (payments/updateAmount); an installment plan cannot.
  if (captureMode === 'MANUAL' && !plan) info.incrementalAuthorizationAvailable = true;
  if (cardNo === CO_BADGED) {
    const chosen = typeof meta.selectedCardBrand === 'string' ? meta.selectedCardBrand : 'VISA';
    if (!['VISA', 'CARTES_BANCAIRES'].includes(chosen)) return { code: 'SELECTED_CARD_BRAND_NOT_AVAILABLE', info };
    info.cardBrand = chosen;
  }
  if (region === 'KR' && wireBool(pm.requireIssuerAuthentication ?? meta.requireIssuerAuthentication)) {
    if (captureMode === 'MANUAL')
      throw new SandboxError(
        'PARAM_ILLEGAL',
        'Korean issuer-authenticated cards support automatic capture only (captureMode MANUAL is not allowed).',
      );
    return { code: 'PAYMENT_IN_PROCESS', pendingKind: 'ISSUER', info };
  }
  // On the hosted page the acquirer asks the buyer for the identity itself (not simulated here).
  if (meta.paymentMethodRegion === 'KR' && !on.hostedPage) checkKoreanIdentity(meta);
  if (outcome.status === 'F' && !(outcome.needsAuthentication && wireBool(meta.enableAuthenticationUpgrade))) {
    return declined(outcome.code as ResultCode, info);
  }
  if (outcome.status === 'CHALLENGE' || outcome.needsAuthentication) return { code: 'PAYMENT_IN_PROCESS', pendingKind: 'THREE_DS', info };
  const threeDS = frictionless(meta);
  if (threeDS) info.threeDSResult = threeDS;
  else if (isLowValue(body)) info.exemptionRequested = 'LOW_VALUE'; // PSD2: no 3DS for a small EUR amount
  return { code: 'SUCCESS', info, ...(outcome.disputed ? { disputed: true } : {}) };
}

/** A Korean local card without issuer authentication: the issuer checks identity and the card password digest. */
function checkKoreanIdentity(meta: Body): void {
  const identified =
    (typeof meta.dateOfBirth === 'string' && /^\d{6}$/.test(meta.dateOfBirth)) ||
    (typeof meta.businessNo === 'string' && /^\d{10}$/.test(meta.businessNo));
  if (!identified || typeof meta.cardPasswordDigest !== 'string' || !/^\d{2}$/.test(meta.cardPasswordDigest)) {
    throw new SandboxError(
      'PARAM_ILLEGAL',
      'Korean local cards without issuer authentication need dateOfBirth or businessNo, and cardPasswordDigest.',
    );
  }
}

function isLowValue(body: Body): boolean {
  const a = body.paymentAmount as Body | undefined;
  return a?.currency === 'EUR' && /^\d+$/.test(String(a.value)) && Number(a.value) <= 3000;
}

function expired(meta: Body): boolean {
  const m = Number(meta.expiryMonth);
  const y = Number(meta.expiryYear);
  if (!Number.isInteger(m) || !Number.isInteger(y) || m < 1 || m > 12) return false;
  const year = y < 100 ? 2000 + y : y;
  const now = new Date();
  return year < now.getUTCFullYear() || (year === now.getUTCFullYear() && m < now.getUTCMonth() + 1);
}

/** installmentNum 2–36 in the regions where card installments exist; echoed in paymentResultInfo (int32 in the SDK models). */
function installments(body: Body, region: string | null, info: Record<string, unknown>): Record<string, unknown> | null {
  const plan = body.creditPayPlan as Body | undefined;
  if (!plan) return null;
  const n = Number(plan.installmentNum);
  const where = region ?? String(info.issuingCountry);
  if (!Number.isInteger(n) || n < INSTALLMENT_COUNTS.min || n > INSTALLMENT_COUNTS.max)
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter creditPayPlan.installmentNum: 2 to 36.');
  if (!INSTALLMENT_REGIONS.has(where)) throw new SandboxError('PARAM_ILLEGAL', `Card installments are not available for region ${where}.`);
  return compact({ installmentNum: n, interval: plan.interval, creditPayFeeType: plan.creditPayFeeType, feePercentage: plan.feePercentage });
}

/** A requested 3DS that needs no challenge, or the merchant's own MPI result echoed back. */
function frictionless(meta: Body): Record<string, unknown> | null {
  const mpi = meta.mpiData as Body | undefined;
  if (mpi)
    return compact({ threeDSVersion: mpi.threeDSVersion, eci: mpi.eci, cavv: mpi.cavv, dsTransactionId: mpi.dsTransactionId, challenged: false });
  if (!wireBool(meta.is3DSAuthentication)) return null;
  return threeDSResult(false, true);
}

export function threeDSResult(challenged: boolean, authenticated: boolean): Record<string, unknown> {
  return {
    threeDSVersion: '2.2.0',
    eci: authenticated ? '05' : '07',
    cavv: authenticated ? randomBytes(20).toString('base64') : undefined,
    dsTransactionId: `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-a${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}`,
    challenged,
  };
}
