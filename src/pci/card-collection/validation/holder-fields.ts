/*
 * Optional cardholder name and billing address (AVS input). Only the known
 * keys are kept, so unexpected properties never travel further. Length limits
 * are ours and generous; control characters are refused because these strings
 * end up in logs, HTML pages and upstream requests.
 */

export interface CardholderName {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  fullName?: string;
}

export interface BillingAddress {
  region: string;
  state?: string;
  city?: string;
  address1?: string;
  address2?: string;
  zipCode?: string;
}

type Parsed<T> = { ok: true; value?: T } | { ok: false; message: string };

const NAME_LIMITS = { firstName: 64, middleName: 64, lastName: 64, fullName: 64 };
const ADDRESS_LIMITS = { state: 64, city: 64, address1: 256, address2: 256, zipCode: 32 };
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function parseCardholderName(input: unknown): Parsed<CardholderName> {
  if (input === undefined) return { ok: true };
  if (!isPlainObject(input)) return { ok: false, message: 'cardholderName must be an object' };
  const value = pickStrings(input, NAME_LIMITS);
  if (!value) return { ok: false, message: 'cardholderName parts must be strings of at most 64 characters' };
  return { ok: true, value };
}

export function parseBillingAddress(input: unknown): Parsed<BillingAddress> {
  if (input === undefined) return { ok: true };
  if (!isPlainObject(input)) return { ok: false, message: 'billingAddress must be an object' };
  const region = input.region;
  if (typeof region !== 'string' || !/^[A-Z]{2}$/.test(region)) {
    return { ok: false, message: 'billingAddress.region must be an ISO 3166 alpha-2 code' };
  }
  const rest = pickStrings(input, ADDRESS_LIMITS);
  if (!rest) return { ok: false, message: 'billingAddress fields must be strings within their length limits' };
  return { ok: true, value: { region, ...rest } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The listed keys that are present, if every one is a clean string within its limit; undefined otherwise. */
function pickStrings(input: Record<string, unknown>, limits: Record<string, number>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, max] of Object.entries(limits)) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > max || CONTROL_CHARS.test(value)) return undefined;
    out[key] = value;
  }
  return out;
}
