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

/** "300", "300.5", "1,300.00" in EUR → 130000n; null when not a valid amount for the currency. */
export function parseMajor(input: string, currency: string): bigint | null {
  const s = input.trim().replace(/,/g, '');
  const exp = exponentOf(currency);
  const m = /^(\d{1,18})(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp) return null;
  const minor = BigInt(m[1]) * 10n ** BigInt(exp) + BigInt(frac.padEnd(exp, '0') || '0');
  return minor <= MAX_BIGINT ? minor : null; // 18 digits of BHD are 21 digits of fils: past PostgreSQL's bigint
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
