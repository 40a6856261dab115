import fc from 'fast-check';
import { formatMinor, parseMajor } from './money';

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
  });
});
