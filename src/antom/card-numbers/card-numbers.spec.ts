import fc from 'fast-check';

import { containsCardNumber, luhn, replaceCardNumbers } from '../pan-runs';
import { isIssuable } from './card-brands';
import { scanCardNumbers } from './scan';
import { textLayers } from './text-layers';

/** A Luhn-valid number of `length` digits starting with `prefix`. */
function pan(prefix: string, length: number, fill = '0'): string {
  const body = prefix + fill.repeat(length - prefix.length - 1);
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error('unreachable');
}

const VISA = '4111111111111111';

describe('the card-number detector', () => {
  it.each([
    ['glued to letters', `ORD${VISA}`],
    ['glued on both sides', `ref${VISA}end`],
    ['split by dots', '4111.1111.1111.1111'],
    ['split by underscores', '4111_1111_1111_1111'],
    ['split by slashes', '4111/1111/1111/1111'],
    ['split by tabs', '4111\t1111\t1111\t1111'],
    ['split by NBSP', '4111\u00a01111\u00a01111\u00a01111'],
    ['split by double spaces', '4111  1111  1111  1111'],
    ['split by zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['in full-width digits', '４１１１１１１１１１１１１１１１'],
    ['in circled or mathematical digits (NFKC)', '𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏'],
    ['URL-encoded', '%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31'],
    ['double URL-encoded', '%2534%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531%2531'],
    ['as form encoding', 'card=4111+1111+1111+1111'],
    ['as character references', '&#52;&#49;&#49;&#49;&#x31;&#x31;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;'],
    ['as double-encoded references', '&amp;#52;&amp;#49;&amp;#49;&amp;#49;1111 1111 1111'],
    ['after other numbers', `order 1234 ${VISA}`],
    ['an Amex 4-6-5', '3782 822463 10005'],
    ['a 19-digit UnionPay', pan('6212', 19)],
    ['a 12-digit Maestro', pan('5018', 12)],
    ['a Mastercard 2-series', pan('2221', 16)],
    ['inside an all-digit UUID shape', '41111111-1111-1111-1111-000000000000'],
  ])('finds a card number %s', (_how, text) => {
    expect(containsCardNumber(text)).toBe(true);
    expect(replaceCardNumbers(text)).toContain('[PAN REDACTED]');
    expect(replaceCardNumbers(`x ${text} y`)).not.toMatch(/4111.?1111.?1111/);
  });

  /** Identifiers merchants use: none is a number a network issues. */
  const realisticIds = (): string[] => {
    const ids = [
      '300120241132',
      '61202412071548',
      'PAY-61202412071548-0001',
      'REFUND-345309538816',
      '345309538816',
      'pay_20261126_0001',
      '1'.repeat(25),
    ];
    const start = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 20000; i++) {
      const t = new Date(start + i * 7_919_000); // every ~2.2 hours over 5 years
      const ms = String(t.getTime());
      const ymd = t.toISOString().slice(0, 10).replace(/-/g, '');
      const ymdhms = t.toISOString().slice(0, 19).replace(/\D/g, '');
      const snowflake = ((BigInt(t.getTime() - 1288834974657) << 22n) | BigInt(i % 4096)).toString();
      ids.push(
        ms,
        String(Math.floor(t.getTime() / 1000)),
        `ORD-${ymd}-${String(i).padStart(6, '0')}`,
        `${ymdhms}${String(i % 1000).padStart(4, '0')}`,
        `PAY-${ymdhms}-${String(i).padStart(4, '0')}`,
        snowflake,
        `INV/${ymd}/${i}`,
        `A${ms}`,
        `${ymd}.${i}`,
        String(i).padStart(12, '0'),
        t.toISOString(),
        `order ${i} of ${ymd}`,
      );
    }
    return ids;
  };

  it('refuses none of 240,000 realistic identifiers (timestamps, dates, sequences, snowflakes, prefixed forms)', () => {
    const refused = realisticIds().filter(containsCardNumber);
    expect(refused).toEqual([]);
  });

  it('skips random identifiers: UUIDs and long hex with letters', () => {
    fc.assert(fc.property(fc.uuid(), (u) => !containsCardNumber(`PAY_${u}`)));
    expect(containsCardNumber('gwp_601898417483421e4111111111111111aa')).toBe(false);
  });

  it('knows who issues what: prefix and length, then Luhn', () => {
    expect(isIssuable('300120241132')).toBe(false); // Diners is 14–19 digits
    expect(isIssuable(pan('300', 14))).toBe(true);
    expect(isIssuable(pan('6120', 16))).toBe(false); // no network's range
    expect(isIssuable(pan('6011', 16))).toBe(true);
    expect(isIssuable(pan('34', 12))).toBe(false); // Amex is 15
    expect(isIssuable(pan('34', 15))).toBe(true);
    expect(isIssuable(pan('17', 13))).toBe(false); // epoch milliseconds
    expect(isIssuable(pan('1', 15))).toBe(true); // UATP
    expect(containsCardNumber('4111111111111112')).toBe(false); // fails Luhn
    expect(containsCardNumber('12345678901')).toBe(false);
  });

  it('never cuts a digit group: a card must be whole groups', () => {
    expect(containsCardNumber(`9${VISA}`)).toBe(false); // 17 digits in one group, not a Visa
    expect(containsCardNumber(`9 ${VISA}`)).toBe(true);
    expect(scanCardNumbers(`a ${VISA} b 5555555555554444 c`)).toEqual([
      { start: 2, end: 18 },
      { start: 21, end: 37 },
    ]);
  });

  it('redacts a number in each layer, and of a text built to need more rounds than real text keeps only the marker', () => {
    // Raw, URL-encoded, then double-encoded: three rounds, each from the layer the last one redacted.
    const encoded = (card: string, prefix: string) =>
      card
        .split('')
        .map((d) => `${prefix}${d.charCodeAt(0).toString(16)}`)
        .join('');
    const layered = `a ${VISA} b ${encoded(VISA, '%')} c ${encoded('5555555555554444', '%25')}`;
    expect(replaceCardNumbers(layered)).toBe('a [PAN REDACTED] b [PAN REDACTED] c [PAN REDACTED]');
    // Each number's last digit three "&amp;" deeper than the one before: a round per number, each a rescan of it all.
    const nested = Array.from({ length: 8 }, (_, k) => `411111111111111${'&' + 'amp;'.repeat(3 * k)}#49;`).join(' x ');
    expect(containsCardNumber(nested)).toBe(true);
    expect(replaceCardNumbers(nested)).toBe('[PAN REDACTED]');
  });

  it('normalizes a long run of combining marks without the quadratic reordering, and still finds what follows', () => {
    // 100,000 marks of mixed classes: ~20 s of canonical reordering without the stream-safe joiners.
    const bold = '𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏'; // mathematical digits: a card only once NFKC has run
    expect(containsCardNumber(`${'\u0301\u0316'.repeat(50_000)} ${bold}`)).toBe(true);
    // A short run is normalized as before: reordered (220 before 230) and composed.
    expect(replaceCardNumbers(`e\u0301\u0316 ${bold}`)).toBe('\u00e9\u0316 [PAN REDACTED]');
  });

  it('skips a hex run of 8 million characters (past where V8 ran out of regex stack on {24,})', () => {
    expect(containsCardNumber('a'.repeat(8 * 1024 * 1024))).toBe(false);
    expect(containsCardNumber(`${'a'.repeat(8 * 1024 * 1024)} ${VISA}`)).toBe(true);
  }, 60_000);

  it('does linear work on the worst inputs of 16 MB (a candidate at every digit, every kind of separator)', () => {
    for (const unit of ['4 ', '4', '<', '4<', '%34', '&#52;', '1.', '\u00a04']) {
      const text = unit.repeat(Math.ceil((16 * 1024 * 1024) / unit.length / 4));
      expect(typeof containsCardNumber(text)).toBe('boolean');
    }
  }, 120_000);

  it('the short cut for plain ASCII with fewer than 12 digits agrees with the layers and the scan', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'0123456789 -._/+xyzXYZ#?'.split('')), minLength: 12, maxLength: 60 });
    fc.assert(
      fc.property(ascii, (text) => {
        const full = textLayers(text).some((layer) => scanCardNumbers(layer, true).length > 0);
        expect(containsCardNumber(text)).toBe(full);
      }),
      { numRuns: 3000 },
    );
  });

  it('the scan keeps no state between calls (shared buffers)', () => {
    expect(scanCardNumbers(`x ${VISA} y`)).toHaveLength(1);
    expect(scanCardNumbers('1234 5678 9012')).toHaveLength(0);
    expect(scanCardNumbers(`${VISA.slice(0, 8)} ${VISA.slice(8)}`)).toHaveLength(1);
  });
});
