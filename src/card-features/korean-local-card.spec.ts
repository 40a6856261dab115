import { AntomError } from '../antom/antom-error';
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
