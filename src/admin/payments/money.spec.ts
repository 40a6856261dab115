import fc from 'fast-check';
import { describeAnyCurrency, exampleAmount, formatMinor, inMajorUnits, parseMajor } from './money';

describe('admin money formatting', () => {
  it('formats by the currency exponent', () => {
    expect(formatMinor(30000n, 'EUR')).toBe('300.00');
    expect(formatMinor(5n, 'EUR')).toBe('0.05');
    expect(formatMinor(9007199254740993n, 'JPY')).toBe('9,007,199,254,740,993');
    expect(formatMinor(1234n, 'BHD')).toBe('1.234');
  });

  it('parses what it formats, exactly', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.constantFrom('EUR', 'JPY', 'BHD'), (n, cur) => {
      expect(parseMajor(formatMinor(n, cur), cur)).toBe(n);
    }));
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
    expect(inMajorUnits('The capture exceeds the capturable amount (1999 EUR in minor units).')).toBe('The capture exceeds the capturable amount (EUR 19.99).');
    expect(inMajorUnits('The refund exceeds the refundable amount (1234 BHD in minor units).')).toBe('The refund exceeds the refundable amount (BHD 1.234).');
    expect(inMajorUnits('Nothing in minor units here.')).toBe('Nothing in minor units here.');
  });

  it('describes a setting for any other currency by its smallest units', () => {
    expect(describeAnyCurrency(100000n)).toBe('1,000.00 in any other currency (JPY 100,000; BHD 100.000)');
    for (const c of ['EUR', 'JPY', 'BHD']) expect(parseMajor(exampleAmount(c), c)).not.toBeNull();
  });
});
