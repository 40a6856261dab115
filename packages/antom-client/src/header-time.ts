/*
 * The Response-Time of an answer and the Request-Time of a notification, read to bound replays. Both are
 * covered by Antom's signature (`POST <path>\n<client-id>.<time>.<body>`), so a fresh time on a verified
 * message was put there by the signer, not by whoever relays it. Antom's SDKs disagree on the format: epoch
 * milliseconds (Java, Go), ISO 8601 with `+00:00` (Python, the gateway), `+0000` (PHP), seven fractional
 * digits and `Z` (.NET). Anything ambiguous (a local time without an offset, loose date strings) is null:
 * its freshness cannot be told. The client's own copy (it is another party, with no dependency on the gateway).
 */

/** Below this a digits-only value is epoch seconds: as milliseconds it would be before 1973-03-03. */
const SECONDS_CUTOFF = 1e11;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Five minutes each way: Antom's and the gateway's own replay window for requests. */
export const DEFAULT_TIME_WINDOW_MS = 5 * 60 * 1000;

/** Epoch ms/s or ISO 8601 with an explicit offset, as epoch milliseconds; otherwise null. */
export function parseHeaderTime(value: string | undefined): number | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    if (v.length > 16) return null;
    const n = Number(v);
    return n < SECONDS_CUTOFF ? n * 1000 : n;
  }
  const m = ISO_8601.exec(v);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const offset = offsetMinutes(m[8]);
  if (offset === null || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0);
  const check = new Date(utc); // Date.UTC rolls 2026-02-30 into March and maps years 0–99 to 19xx
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return utc - offset * 60_000;
}

/**
 * Why a signed time is not fresh (unreadable, or more than `windowMs` before or after `now`), or null when it
 * is. A window of `Infinity` turns the check off (the header must still be present: the signature covers it).
 */
export function staleness(value: string | undefined, windowMs: number, now = Date.now()): string | null {
  if (windowMs === Infinity) return null;
  const at = parseHeaderTime(value);
  if (at === null) return 'an unreadable time';
  if (at < now - windowMs) return `a time ${Math.round((now - at) / 1000)} s in the past (window ${Math.round(windowMs / 1000)} s)`;
  if (at > now + windowMs) return `a time ${Math.round((at - now) / 1000)} s in the future (window ${Math.round(windowMs / 1000)} s)`;
  return null;
}

/** `Z`, `+hh`, `+hhmm` or `+hh:mm` as minutes east of UTC, or null when out of range. */
function offsetMinutes(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
