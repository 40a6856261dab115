import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import fc from 'fast-check';

import { masked as sandboxMasked } from '../../../sandbox/card-decision';
import { safeMask } from '../../acquirer-answers/pay-outcome';
import { maskCardNumber, maskFromBinAndLast4, shownBin } from '../../antom/card-mask';
import { containsCardNumber, luhn } from '../../antom/pan-runs';
import { createLogger } from './logger';
import { MAX_LOGGED_VALUE, scrubCardNumbers, scrubDeep } from './redaction';

/** A Luhn-valid number of `length` digits starting with `prefix`. */
function pan(prefix: string, length: number, fill = '0'): string {
  const body = (prefix + fill.repeat(length)).slice(0, length - 1);
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error('unreachable');
}

/** Numbers networks issue: a prefix and one of its lengths (antom/card-numbers/card-brands.ts), the rest random. */
const ISSUED: Array<[string, number]> = [
  ['4', 13],
  ['4', 16],
  ['4', 19],
  ['51', 16],
  ['55', 16],
  ['2221', 16],
  ['2720', 16],
  ['34', 15],
  ['37', 15],
  ['36', 14],
  ['300', 16],
  ['3528', 16],
  ['3589', 19],
  ['6011', 16],
  ['65', 19],
  ['62', 17],
  ['5018', 12],
  ['6759', 18],
  ['1', 15],
];
const panArb = fc.tuple(fc.constantFrom(...ISSUED), fc.stringMatching(/^\d{18}$/)).map(([[prefix, n], rest]) => pan(prefix + rest, n));

function nest(value: unknown, depth: number): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { level: v };
  return v;
}

describe('card numbers in free text', () => {
  it('finds issued Luhn-valid numbers of 12 to 19 digits, bare or grouped by spaces or dashes', () => {
    fc.assert(
      fc.property(panArb, fc.constantFrom('', ' ', '-'), fc.string({ maxLength: 8 }), (p, sep, around) => {
        const typed = sep ? p.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : p;
        expect(containsCardNumber(`x${around.replace(/[\d -]/g, '')}_${typed}_y`)).toBe(true);
        expect(scrubCardNumbers(`order ${typed} paid`)).not.toMatch(/\d{6}/);
      }),
    );
    expect(containsCardNumber('501800000009')).toBe(luhn('501800000009'));
    expect(containsCardNumber(pan('5018', 12))).toBe(true);
    expect(containsCardNumber(`ref 1234 ${pan('4242', 16)}`)).toBe(true);
  });

  it('leaves short runs, failing check digits and longer runs alone', () => {
    expect(containsCardNumber('12345678901')).toBe(false); // 11 digits
    const bad = pan('4242', 16).slice(0, 15) + ((Number(pan('4242', 16).slice(-1)) + 1) % 10);
    expect(containsCardNumber(bad)).toBe(false);
    expect(containsCardNumber('pay_20261126_0001')).toBe(false);
    expect(containsCardNumber('1'.repeat(25))).toBe(false);
  });
});

describe('the log scrubber', () => {
  it('scrubs a PAN at any depth, in values and keys', () => {
    fc.assert(
      fc.property(panArb, fc.integer({ min: 0, max: 200 }), (p, depth) => {
        const out = JSON.stringify(scrubDeep({ top: nest({ note: `card ${p}`, [p]: 1 }, depth) }));
        expect(out).not.toContain(p);
        expect(out).toContain('[PAN REDACTED]');
      }),
      { numRuns: 50 },
    );
  });

  it('walks nesting far deeper than any stack would allow, and marks cycles', () => {
    const deep = nest(pan('4242', 16), 50_000);
    expect(JSON.stringify(scrubDeep(deep))).not.toContain(pan('4242', 16));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(scrubDeep(cyclic)).toEqual({ a: 1, self: '[Repeated]' });
  });

  it('censors card fields at any depth, not only the first levels', () => {
    const out = JSON.stringify(scrubDeep(nest({ cardNo: '4111111111111111', cvv: '123', expiryYear: '2030', cardPasswordDigest: '12' }, 9)));
    expect(out).not.toMatch(/4111|"123"|2030|"12"/);
    expect(out.match(/\[REDACTED\]/g)).toHaveLength(4);
  });

  it('cuts long values and keys, and huge objects', () => {
    const out = scrubDeep({ big: 'a'.repeat(255 * 1024), ['k'.repeat(5000)]: 1, many: Array.from({ length: 100_000 }, (_, i) => i) }) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(out).length).toBeLessThan(40_000);
    expect((out.big as string).length).toBeLessThan(MAX_LOGGED_VALUE + 40);
    expect(scrubCardNumbers('b'.repeat(10_000)).length).toBeLessThan(MAX_LOGGED_VALUE + 40);
  });

  it('writes no PAN from a deep, unsigned body through the real logger, and no line over a few KB', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scrub-')), 'log.jsonl');
    const logger = createLogger({ level: 'info', file, stdout: false });
    const p = pan('5018', 12);
    logger.info({ notify: nest({ detail: `pan ${p}`, cardNo: p }, 8), filler: 'z'.repeat(255 * 1024) }, `message with ${p}`);
    logger.info(`only a message ${'y'.repeat(100_000)}`);
    logger.flush();
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).not.toContain(p);
      expect(l.length).toBeLessThan(8 * 1024);
    }
  });
});

describe('masking: one rule everywhere', () => {
  const maskers: Array<[string, (p: string) => string | undefined]> = [
    ['maskCardNumber', maskCardNumber],
    ['upstream safeMask', safeMask],
    ['sandbox masked', sandboxMasked],
  ];

  it.each(maskers)('%s shows at most BIN 6 + last 4 and never more than half the digits, keeping the length', (_name, mask) => {
    fc.assert(
      fc.property(panArb, (p) => {
        const m = mask(p)!;
        expect(m).toHaveLength(p.length);
        const shown = m.replace(/\*/g, '').length;
        expect(shown).toBeLessThanOrEqual(Math.min(10, Math.floor(p.length / 2)));
        expect(m.slice(-4)).toBe(p.slice(-4));
        expect(p.startsWith(m.slice(0, m.indexOf('*')))).toBe(true);
        expect(m).toMatch(/^\d*\*+\d{4}$/);
      }),
    );
  });

  it('masks a 12-digit Maestro card as 2 + 4, a 16-digit card as 4 + 4, a 19-digit card as 5 + 4', () => {
    expect(maskCardNumber('501800000009')).toBe('50******0009');
    expect(maskCardNumber('4111111111111111')).toBe('4111********1111');
    expect(maskCardNumber('6304000000000000000')).toBe('63040**********0000');
    expect(maskCardNumber('12345678901')).toBe('***********');
  });

  it('builds a masked view from BIN and last 4 alone within the rule for the shortest PAN of that BIN length', () => {
    expect(maskFromBinAndLast4('41111111', '1111')).toBe('4111********1111');
    expect(maskFromBinAndLast4('501800', '0009')).toBe('50******0009');
    expect(shownBin('41111111')).toBe('4111');
    expect(shownBin('501800')).toBe('50');
  });
});

describe('card numbers in merchant identifiers', () => {
  it('takes no UUID or hex id for a card, however its digits fall', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[0-9a-f]{32}$/), (u, hex) => {
        expect(containsCardNumber(`PAY_${u}`)).toBe(false);
        expect(containsCardNumber(`gwp_${hex}x`)).toBe(false);
      }),
      { numRuns: 5000 },
    );
    expect(containsCardNumber('12345678-1234-5678-9012-123456789012')).toBe(false);
  });

  it('finds a card number wherever it stands: after an underscore, a dash, a space or "=", or glued to letters', () => {
    for (const p of ['4111111111111111', '4111-1111-1111-1111', '4242 4242 4242 4242', '501800000009']) {
      for (const text of [`PAY_${p}`, `ORD-${p}`, `card ${p} thanks`, `https://x/?c=${p}`, p]) expect(containsCardNumber(text)).toBe(true);
      expect(containsCardNumber(`x${p.replace(/\D/g, '')}y`)).toBe(true);
    }
  });
});

describe('merchant ids made of timestamps and dates', () => {
  it('takes no epoch-millisecond, date or counter id for a card, Luhn-valid or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 2_200_000_000_000 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1e9 }),
        (ms, d, n) => {
          const ymd = d.toISOString().replace(/\D/g, '').slice(0, 14);
          for (const id of [`PAY_HOSTED_${ms}`, `ORDER_${ymd}`, `INV-${String(n).padStart(12, '0')}`, `${ms}`])
            expect(containsCardNumber(id)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
