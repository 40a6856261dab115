import { scanCardNumbers } from './card-numbers/scan';
import { textLayers } from './card-numbers/text-layers';

/**
 * The product's one card-number detector: merchant free text and identifiers, console filters and user names,
 * log lines and defence documents all ask it. A card number is a run of 12–19 digits that a network could
 * issue (its prefix range and one of its lengths: card-numbers/card-brands.ts) and that passes the Luhn
 * check, found however it is written: grouped by any separators or none, glued to letters, in full-width or
 * other Unicode digits, URL-encoded or as character references, once or twice over (card-numbers/scan.ts,
 * card-numbers/text-layers.ts). Identifiers no network could issue are never taken for cards.
 *
 * Random identifiers are skipped: a UUID or a run of 24+ hex characters with a letter in it is random by
 * construction, and its decimal stretches are not anyone's card.
 *
 * Work is linear in the text (each layer one pass, at most five layers): any input, any size.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// {24} then *, not {24,}: the same runs, but V8 keeps a backtrack entry per character past a {24,} and throws
// RangeError on a run of about 7 million (a 7 MiB hex field, a document's 16 MiB of digits); `*` is a plain loop.
const HEX_RUN = /[0-9a-f]{24}[0-9a-f]*|[0-9A-F]{24}[0-9A-F]*/g;

/** Random identifiers blanked out (same length, so offsets still hold). */
function withoutRandomIds(text: string): string {
  if (text.length < 24) return text;
  const blank = (id: string) => (/[a-f]/i.test(id) ? 'x'.repeat(id.length) : id);
  return text.replace(UUID, blank).replace(HEX_RUN, blank);
}

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

/**
 * ASCII text without '%' or '&' has no other layer than itself (and "+" read as a space: digits unchanged), so it
 * can hold a card number only with 12 ASCII digits or more. Most fields and keys of a request are such text:
 * this one loop answers them without the layers and the scan (measured: ~3.5 µs → ~0.1 µs per string, a pay's
 * ~50 strings of 12+ characters).
 */
function plainWithFewDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f || c === 0x25 /* % */ || c === 0x26 /* & */) return false;
    if (c >= 0x30 && c <= 0x39 && ++digits >= 12) return false;
  }
  return true;
}

/** True when the text holds a card number anywhere, in any of the forms above. */
export function containsCardNumber(text: string): boolean {
  if (typeof text !== 'string' || text.length < 12) return false;
  if (plainWithFewDigits(text)) return false;
  return textLayers(text).some((layer) => scanCardNumbers(withoutRandomIds(layer), true).length > 0);
}

/**
 * Rounds of redaction, at most: each round redacts the numbers of the first layer that holds any and goes on
 * from that layer's text, so a number seen only after more decoding is taken by a later round. Real text needs
 * one round per layer at most (2 + three decodings); a text built to need more ("&amp;amp;…" nested deeper for
 * each of thousands of numbers) would make every round rescan all of it, quadratic: 200 such numbers in 245 KB
 * took 5 s. Past the last round nothing of the value is kept but the marker.
 */
const MAX_REDACTION_ROUNDS = 5;

/**
 * The text with every card number replaced by a marker. When a number is only visible decoded (URL-encoded,
 * character references, compatibility digits), the decoded form is returned with it redacted: a log keeps
 * the meaning, never the number.
 */
export function replaceCardNumbers(text: string, marker = '[PAN REDACTED]'): string {
  if (typeof text !== 'string' || text.length < 12) return text;
  let t = text;
  // Another layer may hold another number: redact until nothing is left (each round removes one or more).
  for (let round = 0; round < MAX_REDACTION_ROUNDS; round++) {
    const out = redactedOnce(t, marker);
    if (out === null) return t;
    t = out;
  }
  return redactedOnce(t, marker) === null ? t : marker;
}

/** The first layer holding a card number, with each of its numbers replaced; null when no layer holds one. */
function redactedOnce(text: string, marker: string): string | null {
  for (const layer of textLayers(text)) {
    const hits = scanCardNumbers(withoutRandomIds(layer));
    if (hits.length === 0) continue;
    let out = '';
    let at = 0;
    for (const h of hits) {
      out += layer.slice(at, h.start) + marker;
      at = h.end;
    }
    return out + layer.slice(at);
  }
  return null;
}
