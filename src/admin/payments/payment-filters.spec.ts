import { likeLiteral } from './admin-payments.service';
import { encodeCursor } from './payment-cursor';
import { looksLikeCardNumber, parseFilters, parseMaskedCard } from './payment-filters';

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

describe('payment list filter validation', () => {
  it('treats a Luhn-valid 13–19 digit run anywhere as a card number and echoes none of the request', () => {
    expect(looksLikeCardNumber('4117347806156383')).toBe(true);
    expect(looksLikeCardNumber('ref 4117-3478-0615-6383')).toBe(true);
    expect(looksLikeCardNumber('gwp_0a4117347806156383ff00aa11bb22cc')).toBe(false); // inside a random hex id: not a card number
    expect(looksLikeCardNumber('4117347806156384')).toBe(false);
    const f = parseFilters({ merchant: 'acme', referenceOrderId: 'x 4117347806156383' });
    expect(f.cardNumberRefused).toBe(true);
    expect(f.raw).toEqual({});
  });

  it('refuses control characters, over-long values, unknown statuses and repeated fields', () => {
    expect(parseFilters({ id: '\u0000' }).errors).toEqual(['Payment / request id: control characters cannot be searched for.']);
    expect(parseFilters({ id: '\u0000' }).raw).toEqual({});
    expect(parseFilters({ merchant: 'm'.repeat(129) }).errors).toEqual(['Merchant: at most 128 characters.']);
    expect(parseFilters({ status: ['AUTHORIZED', 'NOPE'] }).errors[0]).toMatch(/^Status: choose from the list/);
    expect(parseFilters({ id: ['a', 'b'] }).errors).toEqual(['Payment / request id was given more than once.']);
    expect(parseFilters({ after: 'abc' }).errors).toEqual(['Next page: the link is damaged; start again from the first page.']);
  });

  it('takes several statuses and a sort order', () => {
    const f = parseFilters({ status: ['AUTHORIZED', 'CAPTURED', 'AUTHORIZED'], sort: 'expiry' });
    expect([f.statuses, f.sort, f.errors]).toEqual([['AUTHORIZED', 'CAPTURED'], 'expiry', []]);
    expect(parseFilters({}).sort).toBe('newest');
  });

  it('takes a page cursor that fits the sort order, and refuses one that does not', () => {
    const newest = encodeCursor({ seg: 'all', values: ['2026-03-01 10:00:00.123456+00', '0b7e1d2c-1f4a-4c3e-9d51-6a0f3b2c1d4e'] });
    expect(parseFilters({ after: newest }).after).toEqual({
      seg: 'all',
      values: ['2026-03-01 10:00:00.123456+00', '0b7e1d2c-1f4a-4c3e-9d51-6a0f3b2c1d4e'],
    });
    expect(parseFilters({ before: newest, sort: 'oldest' }).before?.seg).toBe('all');
    expect(parseFilters({ after: newest, sort: 'amount' }).errors).toEqual(['Next page: the link is damaged; start again from the first page.']);
    const eur = encodeCursor({ seg: 'EUR', values: ['1050', '2026-03-01 10:00:00+00', '0b7e1d2c-1f4a-4c3e-9d51-6a0f3b2c1d4e'] });
    expect(parseFilters({ after: eur, sort: 'amount' }).errors).toEqual([]);
    expect(parseFilters({ after: eur, sort: 'amount', currency: 'USD' }).errors).toHaveLength(1);
    expect(parseFilters({ after: newest, before: newest }).errors).toEqual(['A page link has either a next or a previous cursor, not both.']);
  });

  it('makes LIKE wildcards literal', () => {
    expect(likeLiteral('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
