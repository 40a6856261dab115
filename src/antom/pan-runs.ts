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
const HEX_RUN = /[0-9a-f]{24,}|[0-9A-F]{24,}/g;

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

/** True when the text holds a card number anywhere, in any of the forms above. */
export function containsCardNumber(text: string): boolean {
  if (typeof text !== 'string' || text.length < 12) return false;
  return textLayers(text).some((layer) => scanCardNumbers(withoutRandomIds(layer), true).length > 0);
}

/**
 * The text with every card number replaced by a marker. When a number is only visible decoded (URL-encoded,
 * character references, compatibility digits), the decoded form is returned with it redacted: a log keeps
 * the meaning, never the number.
 */
export function replaceCardNumbers(text: string, marker = '[PAN REDACTED]'): string {
  if (typeof text !== 'string' || text.length < 12) return text;
  for (const layer of textLayers(text)) {
    const hits = scanCardNumbers(withoutRandomIds(layer));
    if (hits.length === 0) continue;
    let out = '';
    let at = 0;
    for (const h of hits) {
      out += layer.slice(at, h.start) + marker;
      at = h.end;
    }
    out += layer.slice(at);
    // Another layer may hold another number: redact until nothing is left (each round removes one or more).
    return containsCardNumber(out) ? replaceCardNumbers(out, marker) : out;
  }
  return text;
}
