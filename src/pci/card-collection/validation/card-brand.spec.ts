import creditCardType = require('credit-card-type');
import * as fc from 'fast-check';

import { BRAND_PREFIX, detectBrands, detectBrandsUncached } from './card-brand';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('detectBrands (kept by BIN and length)', () => {
  it('no IIN pattern of credit-card-type is longer than BRAND_PREFIX digits (what makes the BIN table exact)', () => {
    const patterns = creditCardType('').flatMap((t) => t.patterns.flat());
    expect(patterns.length).toBeGreaterThan(50);
    for (const p of patterns) expect(String(p).length).toBeLessThanOrEqual(BRAND_PREFIX);
  });

  it('answers as the library does, for any number, again and again (random leads over every scheme’s ranges)', () => {
    const leads = [
      '4',
      '5',
      '2',
      '34',
      '37',
      '36',
      '30',
      '6011',
      '65',
      '35',
      '62',
      '81',
      '50',
      '60',
      '63',
      '67',
      '220',
      '9792',
      '40000025',
      '4011',
      '5067',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...leads), digits(0, 19), (lead, rest) => {
        const pan = (lead + rest).slice(0, 19);
        const expected = detectBrandsUncached(pan);
        expect(detectBrands(pan)).toEqual(expected);
        expect(detectBrands(pan)).toEqual(expected); // the kept answer
      }),
      { numRuns: 3000 },
    );
  });

  it('a caller changing its answer does not change the next one', () => {
    const first = detectBrands('4000002500001001');
    if (first.ok) first.brands.push('X');
    expect(detectBrands('4000002500001001')).toEqual({ ok: true, brands: ['VISA', 'CARTES_BANCAIRES'], cvvLength: 3 });
  });
});
