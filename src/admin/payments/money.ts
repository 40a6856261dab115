import * as currencyCodes from 'currency-codes';

/** ISO 4217 minor-unit exponent (EUR 2, JPY 0, BHD 3). */
export function exponentOf(currency: string): number {
  const c = currencyCodes.code(currency);
  return c ? c.digits : 2;
}

/** 30000n EUR → "300.00"; exact for any size, no floats. */
export function formatMinor(minor: bigint, currency: string): string {
  const exp = exponentOf(currency);
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString().padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp) || '0';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${exp > 0 ? '.' + digits.slice(-exp) : ''}`;
}

export function formatMoney(minor: bigint, currency: string): string {
  return `${currency} ${formatMinor(minor, currency)}`;
}

export type ParsedAmount = { ok: true; minor: bigint } | { ok: false; error: string };

/**
 * An amount typed in major units, read per currency without guessing:
 * - digits, with at most one decimal separator: "1234.50"; a lone comma before one or two digits is one too ("5,00" is 5.00);
 * - grouping only where it cannot be read otherwise: "1,234.50" and "1.234,50" (both separators, the last one
 *   decimal, groups of three), "1,234,567" (the same separator twice cannot be decimal);
 * - a lone separator before exactly three digits ("1,000", "1.000") is ambiguous (one thousand, or one with three
 *   decimals) and refused — except a comma in a currency without decimals (JPY 1,000), where no decimal reading exists,
 *   and a point in a three-decimal currency (BHD 1.000), which is the console's own way of writing it;
 * - more fraction digits than the currency's ISO 4217 exponent are refused, never rounded.
 * Errors never repeat the input: it might be anything, even a card number.
 */
export function parseAmount(input: string, currency: string): ParsedAmount {
  const exp = exponentOf(currency);
  const s = input.trim();
  const refuse = (why: string): ParsedAmount => ({
    ok: false,
    error: `${why} Write it as ${exampleAmount(currency)} or ${groupedExample(currency)}.`,
  });
  if (s === '') return refuse(`Enter an amount in ${currency}.`);
  // No amount has 40 characters; the cap also keeps the patterns below off megabytes of input.
  if (s.length > 40) return refuse('The amount is too long.');
  if (!/^[0-9.,]+$/.test(s))
    return refuse(`The amount may contain only digits, one decimal separator and thousands separators (no signs, spaces or letters).`);
  const points = count(s, '.');
  const commas = count(s, ',');
  let whole: string;
  let frac = '';
  if (points && commas) {
    // Both: the last separator is the decimal one and appears once; the other groups the whole part.
    const dec = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    const group = dec === '.' ? ',' : '.';
    if (count(s, dec) > 1) return refuse('The amount has more than one decimal separator.');
    const [w, f] = s.split(dec);
    if (!validGroups(w, group)) return refuse(`Thousands separators must separate groups of three digits.`);
    whole = w.split(group).join('');
    frac = f;
  } else if (points + commas > 1) {
    // The same separator twice: grouping only ("1,234,567").
    const group = points ? '.' : ',';
    if (!validGroups(s, group))
      return refuse(`Thousands separators must separate groups of three digits, and a decimal separator may appear only once.`);
    whole = s.split(group).join('');
  } else if (points + commas === 1) {
    const sep = points ? '.' : ',';
    const [w, f] = s.split(sep);
    const threeAfter = f.length === 3 && /^[1-9]\d{0,2}$/.test(w);
    if (threeAfter && sep === ',' && exp === 0) {
      whole = w + f; // JPY 1,000: a comma cannot be a decimal separator where there are no decimals
    } else if (threeAfter && !(sep === '.' && exp === 3)) {
      return refuse(`One separator before exactly three digits is ambiguous (a thousands separator, or three decimals?).`);
    } else {
      whole = w;
      frac = f;
    }
  } else {
    whole = s;
  }
  if (whole === '' || (frac === '' && /[.,]$/.test(s))) return refuse('Digits are needed before and after the decimal separator.');
  if (frac.length > exp) return refuse(exp === 0 ? `${currency} has no decimals.` : `${currency} has ${exp} decimal places, no more.`);
  const digits = whole.replace(/^0+(?=\d)/, '');
  if (digits.length > 18) return refuse('The amount is too large.');
  const minor = BigInt(digits) * 10n ** BigInt(exp) + BigInt(frac.padEnd(exp, '0') || '0');
  if (minor > MAX_BIGINT) return refuse('The amount is too large.'); // 18 digits of BHD are 21 digits of fils: past PostgreSQL's bigint
  return { ok: true, minor };
}

/** parseAmount without the reason: the amount in minor units, or null. */
export function parseMajor(input: string, currency: string): bigint | null {
  const r = parseAmount(input, currency);
  return r.ok ? r.minor : null;
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/** "1,234,567" with ",": a first group of 1–3 digits (not starting with 0), then groups of exactly three. */
function validGroups(s: string, sep: string): boolean {
  const parts = s.split(sep);
  return /^[1-9]\d{0,2}$/.test(parts[0]) && parts.slice(1).every((g) => /^\d{3}$/.test(g));
}

/** PostgreSQL's bigint, where every amount is stored. */
const MAX_BIGINT = 9223372036854775807n;

/** A lifecycle message's "(1999 EUR in minor units)" as "(EUR 19.99)": the console speaks major units only. */
export function inMajorUnits(message: string): string {
  return message.replace(/\b(\d{1,18}) ([A-Z]{3}) in minor units\b/g, (_m, value: string, currency: string) => formatMoney(BigInt(value), currency));
}

/**
 * A '*' setting (threshold, limit) counts smallest units of whatever currency the payment is in:
 * 100000 reads "1,000.00 in any other currency (JPY 100,000; BHD 100.000)".
 */
export function describeAnyCurrency(minor: bigint): string {
  return `${formatMinor(minor, 'USD')} in any other currency (${formatMoney(minor, 'JPY')}; ${formatMoney(minor, 'BHD')})`;
}

/** "12.50" in EUR, "1250" in JPY, "12.500" in BHD: an example the parser accepts for the currency. */
export function exampleAmount(currency: string): string {
  const exp = exponentOf(currency);
  return exp === 0 ? '1250' : `12.${'5'.padEnd(exp, '0')}`;
}

/** "1,234.50" in EUR, "1,234" in JPY, "1,234.500" in BHD: the grouped form the parser accepts. */
export function groupedExample(currency: string): string {
  const exp = exponentOf(currency);
  return exp === 0 ? '1,234' : `1,234.${'5'.padEnd(exp, '0')}`;
}
