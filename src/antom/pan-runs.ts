/**
 * Card numbers hidden in free text: a run of 12 to 19 digits (optionally grouped by single spaces or
 * dashes, as people type them) that passes the Luhn check. 12 is the shortest PAN in use (Maestro);
 * ISO/IEC 7812 allows up to 19. A run is checked whole and group by group, so "order 1234 4242424242424242"
 * is caught by its second group.
 */
const RUN = /\d(?:[ -]?\d)*/g;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isPan(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && luhn(digits);
}

/**
 * A number a card network could have issued: Mastercard 2-series (2221–2720), 3 (Amex, Diners, JCB),
 * 4 (Visa), 5 (Mastercard, Maestro), 6 (Discover, Maestro, UnionPay), or a 15-digit UATP (1). Leaves
 * out what merchants' ids are made of: epoch milliseconds (17…), dates (20…), zero-padded counters.
 */
function issuable(digits: string): boolean {
  const d = digits[0];
  if (d >= '3' && d <= '6') return true;
  if (d === '2') return /^(222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(digits);
  return d === '1' && digits.length === 15;
}

export interface PanSearch {
  /**
   * Only runs standing apart from letters and digits count ("ORD-4111…", "PAY_4111…", "card 4111…",
   * not "a4111…b"), and UUIDs are skipped: for merchant identifiers, where random hex must not be
   * taken for a card; the run must also start like a number a card network issues (no timestamps,
   * dates or zero-padded counters). Without it (logs, user names) any run counts, whatever touches it.
   */
  bounded?: boolean;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ALNUM = /[A-Za-z0-9]/;

/** True when the text holds what looks like a card number anywhere in it. */
export function containsCardNumber(text: string, opts: PanSearch = {}): boolean {
  if (typeof text !== 'string' || text.length < 12) return false;
  const t = opts.bounded ? text.replace(UUID, (u) => '_'.repeat(u.length)) : text;
  for (const m of t.matchAll(RUN)) {
    const run = m[0];
    if (run.length < 12) continue;
    if (opts.bounded && (ALNUM.test(t.charAt(m.index - 1)) || ALNUM.test(t.charAt(m.index + run.length)))) continue;
    const pan = opts.bounded ? (x: string) => isPan(x) && issuable(x) : isPan;
    if (pan(run.replace(/[ -]/g, ''))) return true;
    if (/[ -]/.test(run) && run.split(/[ -]/).some(pan)) return true;
  }
  return false;
}

/** The text with every such card number replaced by a marker. */
export function replaceCardNumbers(text: string, marker = '[PAN REDACTED]'): string {
  if (text.length < 12) return text;
  return text.replace(RUN, (run) => {
    if (run.length < 12) return run;
    if (isPan(run.replace(/[ -]/g, ''))) return marker;
    return /[ -]/.test(run) ? run.replace(/\d+/g, (g) => (isPan(g) ? marker : g)) : run;
  });
}
