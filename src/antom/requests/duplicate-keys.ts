/*
 * Duplicate member names in a JSON text. JSON.parse keeps the last of `{"paymentAmount":…,"paymentAmount":…}`,
 * while another reader (a log viewer, a proxy, the merchant's own code) may keep the first: the gateway would
 * act on a value that is not the one seen elsewhere (issue 23: the second paymentAmount was charged). RFC 8259
 * leaves the meaning open ("names within an object SHOULD be unique"), so a body that repeats one is refused.
 */

/** The first repeated name, and where: `paymentAmount`, `order.goods[2].goodsName` (names and array indexes). */
export interface DuplicateKey {
  name: string;
  /** From the root: the names and indexes leading to the object that repeats `name`, then `name`. */
  segments: Array<string | number>;
}

/** One open container: the names seen so far in an object (null for an array), and the child being read. */
interface Frame {
  names: Set<string> | null;
  /** Object: the last name read; array: the index of the current element. */
  at: string | number;
  /** Object only: the next string is a name (after `{` or `,`), not a value. */
  expectName: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Scans `text`, which JSON.parse has already accepted (this does not validate; on other input it still ends,
 * with a meaningless answer), in one forward pass: every character is read once, a name with escapes once more
 * to decode it (JSON.parse of that name alone), and each name is looked up in its object's Set, which is
 * dropped when the object closes. Time and memory are linear in the text, with
 * no backtracking and no recursion (10,000 levels of nesting are a 10,000-entry array, not a call stack).
 */
export function duplicateKey(text: string): DuplicateKey | null {
  const open: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      const top = open[open.length - 1];
      if (top?.names && top.expectName) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.names.has(name)) return { name, segments: [...open.slice(0, -1).map((f) => f.at), name] };
        top.names.add(name);
        top.at = name;
        top.expectName = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */) open.push({ names: new Set(), at: '', expectName: true });
    else if (c === 0x5b /* [ */) open.push({ names: null, at: 0, expectName: false });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) open.pop();
    else if (c === 0x2c /* , */) {
      const top = open[open.length - 1];
      if (top?.names) top.expectName = true;
      else if (top) top.at = (top.at as number) + 1;
    }
    i++;
  }
  return null;
}

/** The index of the quote that ends the string opening at `start` (a backslash always escapes the next character). */
function closingQuote(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j;
    j += c === BACKSLASH ? 2 : 1;
  }
  return text.length; // unterminated: not JSON (the precondition); ends the scan instead of looping
}

/** A field name plain enough to quote back: letters, digits and `_`, no run of six digits (never a card number). */
const QUOTABLE = /^(?!.*\d{6})[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The refusal's message: names the field's path when every name on it is plain, else says only that one repeats. */
export function duplicateKeyMessage(d: DuplicateKey): string {
  if (d.segments.length > 16 || !d.segments.every((s) => typeof s === 'number' || QUOTABLE.test(s)))
    return 'The request body names a field more than once.';
  const path = d.segments.map((s, k) => (typeof s === 'number' ? `[${s}]` : k === 0 ? s : `.${s}`)).join('');
  return `The request body names the field ${path} more than once.`;
}
