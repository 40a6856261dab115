import { detectBrands } from './card-brand';
import { checkExpiry } from './expiry';
import { BillingAddress, CardholderName, parseBillingAddress, parseCardholderName } from './holder-fields';

export type { BillingAddress, CardholderName } from './holder-fields';

/*
 * Validation of a raw card (Antom paymentMethodMetaData, ANTOM-CONTRACT §4)
 * before it enters the vault or goes upstream. Input is untrusted JSON, so
 * every field is `unknown` and every outcome is a value, never a throw.
 *
 * Failure messages are fixed strings: they never quote the input, so no PAN,
 * CVV or expiry can reach a log line or an HTTP response through them.
 *
 * `undefined` means absent. Anything else of the wrong type (null included) is
 * refused with the field's own code; a missing cardNo or expiry is
 * PARAM_ILLEGAL (Antom's "missing parameter"), a missing required CVV INVALID_CVV.
 */

export interface RawCardInput {
  cardNo?: unknown;
  cvv?: unknown;
  expiryMonth?: unknown;
  expiryYear?: unknown;
  cardholderName?: unknown;
  billingAddress?: unknown;
}

export type CardValidationCode = 'INVALID_CARD_NUMBER' | 'INVALID_EXPIRATION_DATE' | 'INVALID_CVV' | 'CARD_NOT_SUPPORTED' | 'PARAM_ILLEGAL';

export interface CardCheckFailure {
  ok: false;
  code: CardValidationCode;
  /** Never contains the PAN, CVV or expiry values. */
  message: string;
}

export interface ValidCard {
  ok: true;
  pan: string;
  cvv?: string;
  /** '01'..'12' */
  expiryMonth: string;
  /** two digits */
  expiryYear: string;
  /** Antom CardBrand names, primary first: ['VISA'], or ['VISA', 'CARTES_BANCAIRES'] when co-badged. */
  brands: string[];
  /** First 8 digits if the PAN has 16 or more, else first 6. */
  bin: string;
  last4: string;
  cardholderName?: CardholderName;
  billingAddress?: BillingAddress;
}

export interface ValidateCardOptions {
  now: Date;
  requireCvv: boolean;
}

type Step<T> = { ok: true; value: T } | CardCheckFailure;

export function validateCard(input: RawCardInput, opts: ValidateCardOptions): ValidCard | CardCheckFailure {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('PARAM_ILLEGAL', 'card details must be an object');
  }
  // `=== false`, not `!x.ok`: truthiness narrows these unions only under strictNullChecks.
  const card = checkCardNumber(input.cardNo);
  if (card.ok === false) return card;
  const expiry = checkExpiryFields(input.expiryMonth, input.expiryYear, opts.now);
  if (expiry.ok === false) return expiry;
  const cvv = checkCvv(input.cvv, card.value.cvvLength, opts.requireCvv);
  if (cvv.ok === false) return cvv;
  const name = parseCardholderName(input.cardholderName);
  if (name.ok === false) return fail('PARAM_ILLEGAL', name.message);
  const address = parseBillingAddress(input.billingAddress);
  if (address.ok === false) return fail('PARAM_ILLEGAL', address.message);

  const pan = card.value.pan;
  return {
    ok: true,
    pan,
    ...(cvv.value !== undefined && { cvv: cvv.value }),
    ...expiry.value,
    brands: card.value.brands,
    bin: pan.slice(0, pan.length >= 16 ? 8 : 6),
    last4: pan.slice(-4),
    ...(name.value && { cardholderName: name.value }),
    ...(address.value && { billingAddress: address.value }),
  };
}

/** ISO/IEC 7812 PANs are 12–19 digits (Antom allows up to 32, no scheme issues them); no spaces or dashes. */
function checkCardNumber(cardNo: unknown): Step<{ pan: string; brands: string[]; cvvLength: number }> {
  if (cardNo === undefined) return fail('PARAM_ILLEGAL', 'cardNo is required');
  if (typeof cardNo !== 'string' || cardNo.length < 12 || cardNo.length > 19 || !/^\d+$/.test(cardNo)) {
    return fail('INVALID_CARD_NUMBER', 'cardNo must be a string of 12 to 19 digits');
  }
  if (!luhnValid(cardNo)) return fail('INVALID_CARD_NUMBER', 'cardNo fails the Luhn check');
  const brand = detectBrands(cardNo);
  if (brand.ok === false) {
    return brand.code === 'CARD_NOT_SUPPORTED'
      ? fail('CARD_NOT_SUPPORTED', 'card brand is not supported')
      : fail('INVALID_CARD_NUMBER', 'cardNo length is not valid for its brand');
  }
  return { ok: true, value: { pan: cardNo, brands: brand.brands, cvvLength: brand.cvvLength } };
}

function checkExpiryFields(month: unknown, year: unknown, now: Date): Step<{ expiryMonth: string; expiryYear: string }> {
  if (month === undefined || year === undefined) return fail('PARAM_ILLEGAL', 'expiryMonth and expiryYear are required');
  const expiry = checkExpiry(month, year, now);
  if (expiry.ok === false) {
    return fail('INVALID_EXPIRATION_DATE', 'expiry must be a month 01-12 and a year YY (YYYY is accepted too), not expired, at most 20 years ahead');
  }
  return { ok: true, value: { expiryMonth: expiry.expiryMonth, expiryYear: expiry.expiryYear } };
}

function checkCvv(cvv: unknown, length: number, required: boolean): Step<string | undefined> {
  if (cvv === undefined) return required ? fail('INVALID_CVV', 'cvv is required') : { ok: true, value: undefined };
  if (typeof cvv !== 'string' || cvv.length !== length || !/^\d+$/.test(cvv)) {
    return fail('INVALID_CVV', `cvv must be ${length} digits for this card brand`);
  }
  return { ok: true, value: cvv };
}

function fail(code: CardValidationCode, message: string): CardCheckFailure {
  return { ok: false, code, message };
}

/** Luhn (mod 10) check digit; false for anything that is not a non-empty digit string. */
export function luhnValid(digits: string): boolean {
  if (typeof digits !== 'string' || !/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    const doubled = i % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}
