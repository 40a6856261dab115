/*
 * Request-Time parsing (contract §1). The official SDKs disagree on the format:
 * epoch ms (Java, Go), ISO-8601 `+00:00` (Python), `+0000` (PHP), 7 fractional
 * digits + `Z` (.NET). The value is opaque to the signature; we parse it only
 * to enforce the replay window, so anything ambiguous is rejected (null).
 */

/** Below this a digits-only value is epoch seconds: as ms it would be before 1973-03-03. */
const SECONDS_CUTOFF = 1e11;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

function parseEpoch(digits: string): number | null {
  // Longer than 16 digits cannot be a plausible time and would lose precision.
  if (digits.length > 16) return null;
  const n = Number(digits);
  return n < SECONDS_CUTOFF ? n * 1000 : n;
}

/** `Z`, `+hh`, `+hhmm` or `+hh:mm` → minutes east of UTC, or null when out of range. */
function offsetMinutes(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Fractions beyond ms (Python 6 digits, .NET 7) are truncated, not rounded. */
function fractionMs(fraction: string | undefined): number {
  return fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
}

function parseIso(value: string): number | null {
  const m = ISO_8601.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const offset = offsetMinutes(m[8]);
  if (offset === null || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, fractionMs(m[7]));
  // Date.UTC rolls 2026-02-30 over to March and maps years 0–99 to 19xx; a round trip catches both.
  const check = new Date(utc);
  const sameDate = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
  if (!sameDate) return null;
  return utc - offset * 60_000;
}

/**
 * Epoch ms/seconds or ISO-8601 with an explicit offset → epoch ms; otherwise null.
 * A local time without offset is rejected: its meaning depends on the sender's zone.
 * Date.parse is not used: it accepts loose strings (e.g. "1") and varies by engine.
 */
export function parseRequestTime(value: string | undefined): number | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return parseEpoch(trimmed);
  return parseIso(trimmed);
}

/** Python-SDK style (`+00:00` instead of `Z`): every official SDK can parse it. */
export function formatResponseTime(d: Date = new Date()): string {
  return d.toISOString().replace(/Z$/, '+00:00');
}
