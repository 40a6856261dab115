import { replaceCardNumbers } from '../../antom/pan-runs';

/**
 * Last line of defence against card data in logs: structured redaction of known card fields (at any
 * depth), plus a scrub of any Luhn-valid 12–19 digit run in any string or key, however deep it sits.
 * Long values are cut, so nobody can write hundreds of kilobytes into the log through a field that
 * gets logged. Code must never log card data in the first place; this catches the mistake we did not
 * foresee.
 */
export const REDACTED_PATHS = [
  'cardNo',
  'cvv',
  'expiryMonth',
  'expiryYear',
  'pan',
  '*.cardNo',
  '*.cvv',
  '*.expiryMonth',
  '*.expiryYear',
  '*.pan',
  '*.*.cardNo',
  '*.*.cvv',
  '*.*.expiryMonth',
  '*.*.expiryYear',
  // Korean local cards: the first two digits of the card password are as secret as a CVV.
  'cardPasswordDigest',
  '*.cardPasswordDigest',
  '*.*.cardPasswordDigest',
  '*.*.*.cardPasswordDigest',
  'paymentMethodMetaData',
  '*.paymentMethodMetaData',
  '*.*.paymentMethodMetaData',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'body',
];

/** The same field names, censored by scrubDeep at every depth (the paths above stop at a few levels). */
const SENSITIVE_KEYS = new Set([
  'cardno',
  'cvv',
  'cvc',
  'expirymonth',
  'expiryyear',
  'pan',
  'cardpassworddigest',
  'paymentmethodmetadata',
  'authorization',
  'cookie',
]);

/** Longest string value (or key) kept in a log line; the rest is cut and its length noted. */
export const MAX_LOGGED_VALUE = 2048;
/** Values visited in one log object; beyond that the rest is replaced by a marker. */
export const MAX_LOGGED_NODES = 2000;

export function scrubCardNumbers(text: string): string {
  return truncate(replaceCardNumbers(text));
}

function truncate(text: string): string {
  return text.length > MAX_LOGGED_VALUE ? `${text.slice(0, MAX_LOGGED_VALUE)}…[${text.length - MAX_LOGGED_VALUE} more chars cut]` : text;
}

/**
 * A scrubbed copy of `value`: strings and keys scrubbed and cut, sensitive keys censored, any depth
 * (walked without recursion, so no nesting overflows the stack), cycles, repeats and oversized objects
 * marked; dates as ISO text, binary data by its size only.
 */
export function scrubDeep(value: unknown): unknown {
  if (typeof value === 'string') return scrubCardNumbers(value);
  if (value === null || typeof value !== 'object') return value;
  const seen = new WeakSet<object>();
  let nodes = 0;
  const root: { v: unknown } = { v: undefined };
  const work: Array<{ from: object; put: (v: unknown) => void }> = [{ from: value, put: (v) => (root.v = v) }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { from, put } = item;
    if (seen.has(from)) {
      put('[Repeated]');
      continue;
    }
    seen.add(from);
    if (from instanceof Date) {
      put(Number.isNaN(from.getTime()) ? 'Invalid Date' : from.toISOString());
      continue;
    }
    if (ArrayBuffer.isView(from) || from instanceof ArrayBuffer) {
      put(`[binary, ${from.byteLength} bytes]`);
      continue;
    }
    const out: Record<string, unknown> | unknown[] = Array.isArray(from) ? [] : {};
    put(out);
    for (const [k, v] of Object.entries(from)) {
      const key = Array.isArray(out) ? k : scrubCardNumbers(k);
      const set = (x: unknown) => (Array.isArray(out) ? out.push(x) : (out[key] = x));
      if (++nodes > MAX_LOGGED_NODES) {
        set('[more values cut]');
        break;
      }
      if (!Array.isArray(out) && SENSITIVE_KEYS.has(k.toLowerCase()) && v !== null && v !== undefined) set('[REDACTED]');
      else if (typeof v === 'string') set(scrubCardNumbers(v));
      else if (v !== null && typeof v === 'object') {
        const i = Array.isArray(out) ? out.push(undefined) - 1 : -1;
        work.push({ from: v, put: i >= 0 ? (x) => ((out as unknown[])[i] = x) : (x) => ((out as Record<string, unknown>)[key] = x) });
        if (i < 0) (out as Record<string, unknown>)[key] = undefined; // keeps the key order
      } else set(v);
    }
  }
  return root.v;
}
