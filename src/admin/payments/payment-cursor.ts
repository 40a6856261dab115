/**
 * The payments list's keyset cursor: where a page starts, carried in the next / previous links instead of an
 * OFFSET (an OFFSET reads and throws away every row before the page: at 1,000,000 payments, 3 s for the list).
 *
 * A cursor names the segment of the sort order the row is in (`all`; for "expiring first" `cap` then `rest`;
 * for "largest amount first" the currency) and the row's values of that segment's order columns, as
 * PostgreSQL printed them (timestamps to the microsecond, which a JS Date would round). It travels as
 * base64url JSON; anything that does not decode to that shape is refused as a damaged link.
 */
export interface Cursor {
  /** The segment: 'all', 'cap', 'rest', or a currency code. */
  seg: string;
  /** The order columns' values as text, in order. */
  values: string[];
}

export const MAX_CURSOR_LENGTH = 400;
const SEGMENT = /^(all|cap|rest|[A-Z]{3})$/;
/** Order-column values: a timestamp (or 'infinity'), a uuid, or an integer amount. */
const VALUE =
  /^(infinity|-?\d{1,19}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?)$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.seg, ...c.values]), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this list made. */
export function decodeCursor(text: string): Cursor | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length < 3 || parsed.length > 4 || !parsed.every((v) => typeof v === 'string')) return null;
  const [seg, ...values] = parsed as string[];
  if (!SEGMENT.test(seg) || !values.every((v) => VALUE.test(v))) return null;
  return { seg, values };
}
