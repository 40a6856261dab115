/**
 * The forms a card number hides in, undone: the text as written, its Unicode compatibility form (NFKC: circled,
 * superscript and mathematical digits), and up to MAX_ROUNDS rounds of URL decoding (%34%31…, "+" as space)
 * and HTML/XML character references (&#52; &#x34; &amp;#52;) — double-encoded values are undone by the second
 * round. Each layer is scanned on its own; every step is one linear regular-expression pass (no nested or
 * overlapping quantifiers), so a layer costs O(length) and there are at most 2 + MAX_ROUNDS of them.
 */
const MAX_ROUNDS = 3;

const CHAR_REF = /&#(?:[xX]([0-9A-Fa-f]{1,6})|(\d{1,7}));?|&(nbsp|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * NFKC of a text in Unicode's Stream-Safe Text Format (UAX #15 §13): a combining grapheme joiner (U+034F, which
 * changes nothing a reader sees) after each 30 marks in a row. ICU puts a run of combining marks in canonical
 * order by insertion, quadratic in the run's length (160,000 marks of mixed classes: 55 s); real text never has
 * 30 in a row (UAX #15), and text without 31 marks in a row is normalized exactly as before. Every non-starter is a mark (\p{M}), or ﾞ ﾟ
 * (U+FF9E/F), which NFKC turns into one. {30}, not {31,}: no run is read whole, so V8's backtrack stack stays small.
 */
const THIRTY_MARKS = /[\p{M}\uFF9E\uFF9F]{30}(?=[\p{M}\uFF9E\uFF9F])/gu;

function nfkc(text: string): string {
  return text.replace(THIRTY_MARKS, '$&\u034F').normalize('NFKC');
}

/**
 * "+" as a space and each run of %XX as the UTF-8 it encodes, in one hand-written pass (a regular expression over a
 * megabyte-long run of %XX overflows V8's backtrack stack).
 */
function percentDecoded(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  const parts: string[] = [];
  let bytes: number[] = [];
  let plainFrom = 0; // where the plain text not yet copied starts
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      if (plainFrom < i) parts.push(text.slice(plainFrom, i)); // only when no bytes are pending
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
      plainFrom = i;
      continue;
    }
    if (bytes.length) {
      parts.push(Buffer.from(bytes).toString('utf8'));
      bytes = [];
    }
    if (c === 0x2b) {
      if (plainFrom < i) parts.push(text.slice(plainFrom, i));
      parts.push(' ');
      plainFrom = i + 1;
    }
    i++;
  }
  if (bytes.length) parts.push(Buffer.from(bytes).toString('utf8'));
  if (plainFrom < text.length) parts.push(text.slice(plainFrom));
  return parts.join('');
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function referencesDecoded(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHAR_REF, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name];
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** The distinct forms of `text` worth scanning, the text itself first. */
export function textLayers(text: string): string[] {
  const layers = [text];
  // eslint-disable-next-line no-control-regex -- \x00-\x7f is ASCII: only text outside it needs NFKC
  if (/[^\x00-\x7f]/.test(text)) {
    const normalized = nfkc(text);
    if (normalized !== text) layers.push(normalized);
  }
  let t = layers[layers.length - 1];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = percentDecoded(referencesDecoded(t));
    if (next === t) break;
    // eslint-disable-next-line no-control-regex -- \x00-\x7f is ASCII: only text outside it needs NFKC
    t = /[^\x00-\x7f]/.test(next) ? nfkc(next) : next;
    layers.push(t);
  }
  return layers;
}
