import { csvLine } from './csv';

describe('csvLine', () => {
  it('quotes every field and doubles quotes', () => {
    expect(csvLine(['a', 'b "c", d', null, 5])).toBe('"a","b ""c"", d","","5"\r\n');
  });
  it('keeps a spreadsheet from running a field as a formula', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', 'ok=1'])).toBe(
      `"'=HYPERLINK(""x"")","'+1","'-2","'@SUM(A1)","'\tx","ok=1"\r\n`,
    );
  });
});
