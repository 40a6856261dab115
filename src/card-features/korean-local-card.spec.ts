import * as fs from 'node:fs';
import * as path from 'node:path';

import { AntomError } from '../antom/antom-error';
import { detectBrands } from '../pci/card-collection/validation/card-brand';
import { parseBinTable } from './bin-table';
import { KOREAN_ISSUERS } from './card-features';
import { checkKoreanNonAuthenticated } from './korean-local-card';

const messageOf = (meta: Record<string, unknown>): string => {
  try {
    checkKoreanNonAuthenticated(meta);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(AntomError);
    return (e as AntomError).result.resultMessage;
  }
};

describe('Korean local cards without issuer authentication', () => {
  it('accepts a date of birth or a business number with the card password digest', () => {
    expect(messageOf({ dateOfBirth: '900131', cardPasswordDigest: '12' })).toBe('accepted');
    expect(messageOf({ businessNo: '1234567890', cardPasswordDigest: '00' })).toBe('accepted');
  });

  it.each([
    [{ cardPasswordDigest: '12' }, /dateOfBirth \(YYMMDD\) or .*businessNo \(10 digits\)/],
    [{ dateOfBirth: '19900131', cardPasswordDigest: '12' }, /Illegal parameter .*dateOfBirth/],
    [{ dateOfBirth: '901331', cardPasswordDigest: '12' }, /Illegal parameter .*dateOfBirth/],
    [{ dateOfBirth: 900131, cardPasswordDigest: '12' }, /Illegal parameter .*dateOfBirth/],
    [{ businessNo: '123-45-67890', cardPasswordDigest: '12' }, /Illegal parameter .*businessNo/],
    [{ dateOfBirth: '900131' }, /need .*cardPasswordDigest/],
    [{ dateOfBirth: '900131', cardPasswordDigest: '1234' }, /Illegal parameter .*cardPasswordDigest/],
  ])('%j is refused precisely', (meta, message) => {
    expect(messageOf(meta)).toMatch(message);
  });

  it('never quotes the card password digest in a message', () => {
    expect(messageOf({ dateOfBirth: '900131', cardPasswordDigest: '9876' })).not.toContain('9876');
  });
});

/** Issue 29: what the compatibility page tells a merchant about Korean cards' brands, checked against the code. */
describe('docs/antom-compatibility.md: Korean cards report VISA / MASTERCARD; domestic brands only via the BIN table', () => {
  const root = path.join(__dirname, '../..');
  it("the page says so, and the seed's own Korean card is a VISA by its scheme range and KR only by the sample BIN table", () => {
    const doc = fs.readFileSync(path.join(root, 'docs/antom-compatibility.md'), 'utf8');
    const row = doc.split('\n').find((l) => l.startsWith('| Korean cards (`paymentMethodRegion: KR`)'));
    expect(row).toEqual(expect.stringMatching(/`VISA` or `MASTERCARD`[\s\S]*`BIN_TABLE_FILE`[\s\S]*41173478/));
    const detected = detectBrands('4117347806156383');
    expect(detected).toMatchObject({ ok: true, brands: ['VISA'] });
    expect(KOREAN_ISSUERS.some((b) => (detected.ok ? detected.brands : []).includes(b))).toBe(false);
    const table = parseBinTable(fs.readFileSync(path.join(root, 'data/bin-table.csv'), 'utf8'));
    expect(table.lookup('41173478')).toMatchObject({ brand: 'VISA', funding: 'DEBIT', issuingCountry: 'KR' });
  });
});
