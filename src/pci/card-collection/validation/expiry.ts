/*
 * Card expiry: "MM/YY" means valid through the last day of that month. The
 * gateway refuses obviously expired cards before going upstream, but must not
 * refuse a card that is still valid where the buyer is, so "now" is taken in
 * the westernmost time zone (UTC−12), the last place where a month ends.
 */

const LAST_TIMEZONE_OFFSET_MS = 12 * 60 * 60 * 1000;
const MAX_MONTHS_AHEAD = 20 * 12;

export type ExpiryResult = { ok: true; expiryMonth: string; expiryYear: string } | { ok: false };

/** Month "1".."12" or "01".."12"; year "YY" or "YYYY". Output normalised to two digits each. */
export function checkExpiry(month: unknown, year: unknown, now: Date): ExpiryResult {
  if (Number.isNaN(now.getTime())) throw new TypeError('checkExpiry: opts.now is not a valid date');
  if (typeof month !== 'string' || !/^(0?[1-9]|1[0-2])$/.test(month)) return { ok: false };
  if (typeof year !== 'string' || !/^(\d{2}|\d{4})$/.test(year)) return { ok: false };
  const current = monthIndex(new Date(now.getTime() - LAST_TIMEZONE_OFFSET_MS));
  const expires = fullYear(year, now) * 12 + (Number(month) - 1);
  if (expires < current || expires - current > MAX_MONTHS_AHEAD) return { ok: false };
  return { ok: true, expiryMonth: month.padStart(2, '0'), expiryYear: year.slice(-2) };
}

function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/**
 * "YY" is read in the current century unless that lands more than 50 years
 * back, then in the next one (so in 2095, "01" is 2101). Either way the
 * range check above decides; this only avoids a wrong century.
 */
function fullYear(year: string, now: Date): number {
  if (year.length === 4) return Number(year);
  const thisYear = now.getUTCFullYear();
  const candidate = thisYear - (thisYear % 100) + Number(year);
  return candidate < thisYear - 50 ? candidate + 100 : candidate;
}
