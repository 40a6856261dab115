import { AVS_CODES, CVV_CODES, describeCheckCode } from './card-check-codes';

describe('AVS/CVV result codes', () => {
  it('names each code with its meaning', () => {
    expect(describeCheckCode(AVS_CODES, 'Y')).toBe('Y — address and postcode match');
    expect(describeCheckCode(AVS_CODES, 'N')).toBe('N — neither address nor postcode matches');
    expect(describeCheckCode(CVV_CODES, 'M')).toBe('M — CVV matches');
    expect(describeCheckCode(CVV_CODES, 'P')).toBe('P — CVV not processed');
  });

  it('shows an unknown code raw, and nothing as a dash', () => {
    expect(describeCheckCode(AVS_CODES, '7')).toBe('7 (code not known to the console)');
    expect(describeCheckCode(CVV_CODES, 'toString')).toBe('toString (code not known to the console)');
    expect(describeCheckCode(AVS_CODES, '')).toBe('—');
    expect(describeCheckCode(CVV_CODES, undefined)).toBe('—');
    expect(describeCheckCode(CVV_CODES, 3)).toBe('—');
  });

  it('holds one-letter codes only, each with words', () => {
    for (const table of [AVS_CODES, CVV_CODES])
      for (const [code, meaning] of Object.entries(table)) {
        expect(code).toMatch(/^[A-Z]$/);
        expect(meaning.length).toBeGreaterThan(5);
      }
  });
});
