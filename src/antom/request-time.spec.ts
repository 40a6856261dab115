import * as fc from 'fast-check';
import { readFileSync } from 'fs';
import * as path from 'path';

import { formatResponseTime, parseRequestTime } from './request-time';

const T = Date.UTC(2026, 4, 20, 10, 30, 45); // 2026-05-20T10:30:45Z

describe('parseRequestTime', () => {
  it.each([
    ['epoch ms (Java, Go SDKs)', '1685599933871', 1685599933871],
    ['epoch seconds (10 digits)', '1685599933', 1685599933000],
    ['ISO +00:00 (Python SDK)', '2026-05-20T10:30:45+00:00', T],
    ['ISO +0000 (PHP SDK)', '2026-05-20T10:30:45+0000', T],
    ['ISO 7 fractional digits + Z (.NET SDK)', '2026-05-20T10:30:45.1234567Z', T + 123],
    ['ISO 6 fractional digits (Python isoformat)', '2026-05-20T10:30:45.123456+00:00', T + 123],
    ['ISO ms + Z (JavaScript)', '2026-05-20T10:30:45.120Z', T + 120],
    ['ISO 1 fractional digit', '2026-05-20T10:30:45.5Z', T + 500],
    ['positive offset', '2026-05-20T12:30:45+02:00', T],
    ['negative offset without colon', '2026-05-20T03:30:45-0700', T],
    ['half-hour offset', '2026-05-20T16:00:45+05:30', T],
    ['hour-only offset', '2026-05-20T11:30:45+01', T],
    ['lower-case z', '2026-05-20T10:30:45z', T],
    ['surrounding whitespace', ' 1685599933871 ', 1685599933871],
    ['leap day', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s: %p', (_name, value, expected) => {
    expect(parseRequestTime(value)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    '   ',
    'abc',
    'now',
    '-1685599933871',
    '1685599933871.5',
    '1e12',
    '0x1885c7e3b2f',
    '12345678901234567',
    '2026-05-20',
    '2026-05-20T10:30:45', // no offset: local time of an unknown zone
    '2026-05-20 10:30:45+00:00',
    '2026-05-20T10:30Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-05-20T24:00:00Z',
    '2026-05-20T10:60:00Z',
    '2026-05-20T10:30:60Z',
    '2026-05-20T10:30:45+24:00',
    '2026-05-20T10:30:45+01:60',
    '2026-05-20T10:30:45.Z',
    '2026-05-20T10:30:45ZZ',
    '0099-05-20T10:30:45Z', // Date.UTC would map this to 1999
    'Wed, 20 May 2026 10:30:45 GMT',
  ])('returns null for %p', (value) => {
    expect(parseRequestTime(value)).toBeNull();
  });

  it('does not read a short digit string as a calendar year (Date.parse("1") is 2001 in V8)', () => {
    expect(parseRequestTime('1')).toBe(1000);
  });

  it('parses every Request-Time in the signature vectors', () => {
    const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../test/fixtures/antom/antom-signatures.json'), 'utf8')) as {
      vectors: Array<{ time: string }>;
    };
    for (const v of file.vectors) {
      expect(parseRequestTime(v.time)).toEqual(expect.any(Number));
    }
  });

  it('agrees with Date for arbitrary ms values and ISO strings', () => {
    const dates = fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2200-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, (d) => {
        expect(parseRequestTime(String(d.getTime()))).toBe(d.getTime());
        expect(parseRequestTime(d.toISOString())).toBe(d.getTime());
        expect(parseRequestTime(formatResponseTime(d))).toBe(d.getTime());
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseRequestTime(s);
        return r === null || Number.isFinite(r);
      }),
    );
  });
});

describe('formatResponseTime', () => {
  it('is ISO-8601 with +00:00 instead of Z (Python SDK style)', () => {
    expect(formatResponseTime(new Date(T + 123))).toBe('2026-05-20T10:30:45.123+00:00');
  });

  it('defaults to now', () => {
    const before = Date.now();
    const parsed = parseRequestTime(formatResponseTime());
    expect(parsed).toBeGreaterThanOrEqual(before);
    expect(parsed).toBeLessThanOrEqual(Date.now());
  });
});
