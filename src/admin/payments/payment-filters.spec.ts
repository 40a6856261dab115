import { parseFilters, parseMaskedCard } from './payment-filters';

describe('payment list filters', () => {
  it('reads masked card forms and refuses full numbers', () => {
    expect(parseMaskedCard('6383')).toEqual({ last4: '6383' });
    expect(parseMaskedCard('41173478')).toEqual({ bin: '41173478' });
    expect(parseMaskedCard('4117 34** **** 6383')).toEqual({ bin: '411734', last4: '6383' });
    expect(parseMaskedCard('4117347806156383')).toBeNull();
  });

  it('never echoes a refused card input back', () => {
    const f = parseFilters({ card: '4117347806156383' });
    expect(f.raw.card).toBeUndefined();
    expect(f.errors).toHaveLength(1);
  });

  it('needs a currency to filter amounts, then reads them in major units', () => {
    expect(parseFilters({ amountMin: '10' }).errors).toEqual(['Choose a currency to filter by amount.']);
    const f = parseFilters({ currency: 'EUR', amountMin: '10.50', amountMax: '300' });
    expect([f.amountMin, f.amountMax, f.errors]).toEqual([1050n, 30000n, []]);
  });

  it('includes the whole "to" day', () => {
    const f = parseFilters({ from: '2026-11-01', to: '2026-11-02' });
    expect(f.from?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(f.to?.toISOString()).toBe('2026-11-03T00:00:00.000Z');
  });
});
