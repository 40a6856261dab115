import { fillCardFacts, parseBinTable } from './bin-table';

describe('BIN table file', () => {
  const table = (rows: string) => parseBinTable(`# comment\nbin,brand,funding,card_category,issuing_country\n${rows}`);

  it('answers the longest matching prefix; empty cells are unknown', () => {
    const t = table('4000,VISA,,,\n400000,VISA,CREDIT,CONSUMER,US\n40000025,VISA,DEBIT,,FR\n');
    expect(t.lookup('40000025')).toEqual({ bin: '40000025', brand: 'VISA', funding: 'DEBIT', issuingCountry: 'FR' });
    expect(t.lookup('40000099')).toMatchObject({ bin: '400000', issuingCountry: 'US' });
    expect(t.lookup('40001111')).toMatchObject({ bin: '4000', funding: undefined });
    expect(t.lookup('51111111')).toBeUndefined();
  });

  it.each([
    ['41111,VISA,CREDIT,CONSUMER', /line 3: 5 columns/],
    ['41x111,VISA,CREDIT,CONSUMER,US', /line 3: bin must be 4 to 8 digits/],
    ['411111,VISA,GOLD,CONSUMER,US', /line 3: funding must be one of/],
    ['411111,VISA,CREDIT,PERSONAL,US', /line 3: card_category/],
    ['411111,VISA,CREDIT,CONSUMER,USA', /line 3: issuing_country/],
    ['411111,VISA,,,\n411111,VISA,,,', /line 4: bin 411111 is listed twice/],
  ])('refuses a malformed line with its number: %s', (rows, message) => {
    expect(() => table(rows)).toThrow(message);
  });

  it('requires the header', () => {
    expect(() => parseBinTable('411111,VISA,CREDIT,CONSUMER,US')).toThrow(/header/);
    expect(() => parseBinTable('# nothing\n')).toThrow(/empty/);
  });
});

describe('fillCardFacts', () => {
  const t = parseBinTable('bin,brand,funding,card_category,issuing_country\n411111,VISA,DEBIT,CONSUMER,GB\n');
  it('fills what the acquirer left out, never what it said', () => {
    const none: Record<string, unknown> = { cardBrand: 'VISA' };
    fillCardFacts(none, '41111111', t);
    expect(none).toEqual({ cardBrand: 'VISA', funding: 'DEBIT', issuingCountry: 'GB' });
    const said: Record<string, unknown> = { funding: 'CREDIT', issuingCountry: 'US' };
    fillCardFacts(said, '41111111', t);
    expect(said).toEqual({ funding: 'CREDIT', issuingCountry: 'US' });
    const unknown: Record<string, unknown> = {};
    fillCardFacts(unknown, '55555555', t);
    fillCardFacts(unknown, null, t);
    expect(unknown).toEqual({});
  });
});
