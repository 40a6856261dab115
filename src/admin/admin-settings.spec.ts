import { parseThresholds } from './admin-settings';

describe('four-eyes threshold spec', () => {
  it('reads one number for every currency', () => {
    expect(parseThresholds('100000')).toEqual(new Map([['*', 100000n]]));
  });
  it('reads per-currency values with a fallback', () => {
    expect(parseThresholds('EUR:50000,JPY:500000,*:1')).toEqual(new Map([['EUR', 50000n], ['JPY', 500000n], ['*', 1n]]));
  });
});
