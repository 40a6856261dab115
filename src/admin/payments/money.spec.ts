import fc from 'fast-check';

import { describeAnyCurrency, exampleAmount, formatMinor, inMajorUnits, parseAmount, parseMajor } from './money';

describe('admin money formatting', () => {
  it('formats by the currency exponent', () => {
    expect(formatMinor(30000n, 'EUR')).toBe('300.00');
    expect(formatMinor(5n, 'EUR')).toBe('0.05');
    expect(formatMinor(9007199254740993n, 'JPY')).toBe('9,007,199,254,740,993');
    expect(formatMinor(1234n, 'BHD')).toBe('1.234');
  });

  it('parses what it formats, exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.constantFrom('EUR', 'JPY', 'BHD'), (n, cur) => {
        expect(parseMajor(formatMinor(n, cur), cur)).toBe(n);
      }),
    );
  });

  it('refuses too many decimals and non-numbers', () => {
    expect(parseMajor('1.234', 'EUR')).toBeNull();
    expect(parseMajor('1.5', 'JPY')).toBeNull();
    expect(parseMajor('-1', 'EUR')).toBeNull();
    expect(parseMajor('1e3', 'EUR')).toBeNull();
    expect(parseMajor('12.3', 'EUR')).toBe(1230n);
    expect(parseMajor('999999999999999999', 'BHD')).toBeNull(); // past bigint in minor units
    expect(parseMajor('9223372036854775.807', 'BHD')).toBe(9223372036854775807n);
  });

  it('rewrites a lifecycle message in minor units into major units', () => {
    expect(inMajorUnits('The capture exceeds the capturable amount (1999 EUR in minor units).')).toBe(
      'The capture exceeds the capturable amount (EUR 19.99).',
    );
    expect(inMajorUnits('The refund exceeds the refundable amount (1234 BHD in minor units).')).toBe(
      'The refund exceeds the refundable amount (BHD 1.234).',
    );
    expect(inMajorUnits('Nothing in minor units here.')).toBe('Nothing in minor units here.');
  });

  it('describes a setting for any other currency by its smallest units', () => {
    expect(describeAnyCurrency(100000n)).toBe('1,000.00 in any other currency (JPY 100,000; BHD 100.000)');
    for (const c of ['EUR', 'JPY', 'BHD']) expect(parseMajor(exampleAmount(c), c)).not.toBeNull();
  });
});

describe('parseAmount: one decimal separator, grouping only where unambiguous', () => {
  const ok = (input: string, cur: string) => {
    const r = parseAmount(input, cur);
    if (!r.ok) throw new Error(`${input} ${cur}: ${r.error}`);
    return r.minor;
  };
  const refused = (input: string, cur: string) => {
    const r = parseAmount(input, cur);
    if (r.ok) throw new Error(`${input} ${cur} was read as ${r.minor}`);
    return r.error;
  };

  it('EUR (2 decimals): a comma before two digits is the decimal separator, never a thousands one', () => {
    expect(ok('5,00', 'EUR')).toBe(500n);
    expect(parseMajor('5,00', 'EUR')).toBe(500n); // was EUR 500.00
    expect(ok('5,5', 'EUR')).toBe(550n);
    expect(ok('5.00', 'EUR')).toBe(500n);
    expect(ok('1,000.50', 'EUR')).toBe(100050n);
    expect(ok('1.000,50', 'EUR')).toBe(100050n);
    expect(ok('1,234,567.89', 'EUR')).toBe(123456789n);
    expect(ok('1.234.567', 'EUR')).toBe(123456700n);
    expect(ok('1000', 'EUR')).toBe(100000n);
    expect(refused('1,000', 'EUR')).toContain('ambiguous');
    expect(refused('1.000', 'EUR')).toContain('ambiguous');
    expect(refused('12.345', 'EUR')).toContain('ambiguous');
    expect(refused('0.123', 'EUR')).toContain('EUR has 2 decimal places');
    expect(refused('5,001', 'EUR')).toContain('ambiguous');
    expect(refused('1,00,000.00', 'EUR')).toContain('groups of three');
    expect(refused('1.000.50', 'EUR')).toContain('groups of three');
    expect(refused('1,000.50.1', 'EUR')).toContain('more than one decimal separator');
    expect(refused('1,000,50', 'EUR')).toContain('groups of three');
    for (const bad of ['', '.5', '5.', '-1', '+1', '1e3', '1 000', '€5', '5,00,', '0x10'])
      expect(refused(bad, 'EUR')).toContain('Write it as 12.50 or 1,234.50');
  });

  it('JPY and KRW (no decimals): a comma groups, any decimal is refused', () => {
    for (const cur of ['JPY', 'KRW']) {
      expect(ok('1,000', cur)).toBe(1000n);
      expect(ok('1,234,567', cur)).toBe(1234567n);
      expect(ok('1250', cur)).toBe(1250n);
      expect(refused('5,00', cur)).toContain(`${cur} has no decimals`);
      expect(refused('12.5', cur)).toContain(`${cur} has no decimals`);
      expect(refused('1.000', cur)).toContain('ambiguous');
      expect(refused('1,000.5', cur)).toContain('no decimals');
      expect(refused('x', cur)).toContain('Write it as 1250 or 1,234');
    }
  });

  it('BHD (3 decimals): a point is decimal as the console writes it; a lone comma before three digits is ambiguous', () => {
    expect(ok('1.000', 'BHD')).toBe(1000n);
    expect(ok('1.5', 'BHD')).toBe(1500n);
    expect(ok('1,5', 'BHD')).toBe(1500n);
    expect(ok('1,234.567', 'BHD')).toBe(1234567n);
    expect(ok('1.234,567', 'BHD')).toBe(1234567n);
    expect(refused('1,000', 'BHD')).toContain('ambiguous');
    expect(refused('1.2345', 'BHD')).toContain('BHD has 3 decimal places');
    expect(ok('1', 'BHD')).toBe(1000n);
  });

  it('never repeats the input in its reason (it might be a card number)', () => {
    const error = refused('4117347806156383.123', 'EUR');
    expect(error).not.toContain('4117');
  });
});
