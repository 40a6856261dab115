import * as fc from 'fast-check';

import { maskCardNumber as maskPan } from '../../../antom/card-mask';
import { CardCheckFailure, luhnValid, RawCardInput, validateCard, ValidCard } from './card-validation';

// Fixed clock: 15 June 2025, noon UTC.
const now = new Date('2025-06-15T12:00:00Z');
const opts = { now, requireCvv: true };

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const card = (overrides: RawCardInput = {}): RawCardInput => ({
  cardNo: '4111111111111111',
  cvv: '123',
  expiryMonth: '12',
  expiryYear: '29',
  ...overrides,
});

const valid = (input: RawCardInput, o = opts): ValidCard => {
  const result = validateCard(input, o);
  if (result.ok === false) throw new Error(`expected a valid card, got ${result.code}: ${result.message}`);
  return result;
};

const codeOf = (input: RawCardInput, o = opts): string => {
  const result = validateCard(input, o);
  return result.ok === true ? 'OK' : result.code;
};

describe('validateCard: the sandbox test cards (ANTOM-CONTRACT §7)', () => {
  it.each([
    ['4111111111111111', ['VISA']],
    ['5555555555554444', ['MASTERCARD']],
    ['3530111333300000', ['JCB']],
    ['4000000000000002', ['VISA']],
    ['4000000000009995', ['VISA']],
    ['4000000000009987', ['VISA']],
    ['4000000000009979', ['VISA']],
    ['4000000000000127', ['VISA']],
    ['4000000000000101', ['VISA']],
    ['4000000000000010', ['VISA']],
    ['4000000000000028', ['VISA']],
    ['4000000000000036', ['VISA']],
    ['4000000000000044', ['VISA']],
    ['4000000000003220', ['VISA']],
    ['4000002760003184', ['VISA']],
    ['4000000000004954', ['VISA']],
    ['4000002500001001', ['VISA', 'CARTES_BANCAIRES']],
    ['4117347806156383', ['VISA']],
  ])('%s → %j', (cardNo, brands) => {
    const result = valid(card({ cardNo }));
    expect(result.brands).toEqual(brands);
    expect(result.pan).toBe(cardNo);
    expect(result.bin).toBe(cardNo.slice(0, 8));
    expect(result.last4).toBe(cardNo.slice(-4));
  });

  it('Amex 378282246310005 takes a 4-digit CVV and a 6-digit BIN', () => {
    const result = valid(card({ cardNo: '378282246310005', cvv: '1234' }));
    expect(result.brands).toEqual(['AMEX']);
    expect(result.bin).toBe('378282');
    expect(result.last4).toBe('0005');
    expect(codeOf(card({ cardNo: '378282246310005', cvv: '123' }))).toBe('INVALID_CVV');
  });

  it('the seed request card validates and keeps its optional fields', () => {
    const result = valid({
      cardNo: '4117347806156383',
      cvv: '850',
      expiryMonth: '12',
      expiryYear: '29',
      cardholderName: { firstName: 'Tom', lastName: 'Jay' },
      billingAddress: { zipCode: '310000', address2: 'Xihu', city: 'Hangzhou', address1: 'Wuchang road', state: 'Zhejiang', region: 'CN' },
    });
    expect(result).toEqual({
      ok: true,
      pan: '4117347806156383',
      cvv: '850',
      expiryMonth: '12',
      expiryYear: '29',
      brands: ['VISA'],
      bin: '41173478',
      last4: '6383',
      cardholderName: { firstName: 'Tom', lastName: 'Jay' },
      billingAddress: { region: 'CN', state: 'Zhejiang', city: 'Hangzhou', address1: 'Wuchang road', address2: 'Xihu', zipCode: '310000' },
    });
  });
});

describe('validateCard: brands', () => {
  it.each([
    ['6011111111111117', 'DISCOVER'],
    ['36227206271667', 'DINERS'],
    ['6200000000000005', 'CUP'],
    ['2200000000000004', 'MIR'],
    ['6062826786276634', 'HIPERCARD'],
    ['5066991111111118', 'ELO'],
    ['6304000000000000', 'MAESTRO'],
  ])('%s is %s', (cardNo, brand) => {
    expect(valid(card({ cardNo })).brands).toEqual([brand]);
  });

  it('refuses a Luhn-valid number of no supported brand', () => {
    expect(codeOf(card({ cardNo: '9999999999999995' }))).toBe('CARD_NOT_SUPPORTED');
    expect(codeOf(card({ cardNo: '1000000000000008' }))).toBe('CARD_NOT_SUPPORTED');
  });

  it('refuses a Luhn-valid number whose length its brand never issues', () => {
    const seventeenDigitVisa = withCheckDigit('4111111111111111'); // Visa issues 16, 18 or 19 digits
    expect(luhnValid(seventeenDigitVisa)).toBe(true);
    expect(codeOf(card({ cardNo: seventeenDigitVisa }))).toBe('INVALID_CARD_NUMBER');
  });

  it('takes the 6-digit BIN below 16 digits', () => {
    expect(valid(card({ cardNo: '36227206271667' })).bin).toBe('362272');
  });
});

describe('validateCard: card number', () => {
  it.each([
    ['Luhn-invalid', '4111111111111112'],
    ['too short', '42424242424'],
    ['too long', '41111111111111111111'],
    ['spaces', '4111 1111 1111 1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['letters', '411111111111111a'],
    ['full-width digits', '４１１１１１１１１１１１１１１１'],
    ['empty', ''],
    ['a number', 4111111111111111],
    ['null', null],
    ['an array', ['4111111111111111']],
    ['an object', { value: '4111111111111111' }],
    ['a boolean', true],
  ])('%s → INVALID_CARD_NUMBER', (_label, cardNo) => {
    expect(codeOf(card({ cardNo }))).toBe('INVALID_CARD_NUMBER');
  });

  it('missing → PARAM_ILLEGAL', () => {
    expect(codeOf(card({ cardNo: undefined }))).toBe('PARAM_ILLEGAL');
  });
});

describe('validateCard: expiry (now = 2025-06-15)', () => {
  it.each([
    ['06', '25', '06', '25'],
    ['6', '25', '06', '25'],
    ['1', '2026', '01', '26'],
    ['6', '2045', '06', '45'], // exactly 20 years ahead
    ['05', '45', '05', '45'],
  ])('%s/%s is valid → %s/%s', (expiryMonth, expiryYear, month, year) => {
    const result = valid(card({ expiryMonth, expiryYear }));
    expect([result.expiryMonth, result.expiryYear]).toEqual([month, year]);
  });

  it.each([
    ['last month', '05', '25'],
    ['last year', '12', '24'],
    ['2024 in 4 digits', '12', '2024'],
    ['more than 20 years ahead', '07', '45'],
    ['far ahead', '01', '99'],
    ['month 00', '00', '29'],
    ['month 13', '13', '29'],
    ['month 001', '001', '29'],
    ['3-digit year', '12', '029'],
    ['1-digit year', '12', '9'],
    ['month with a space', ' 1', '29'],
    ['numeric month', 12, '29'],
    ['numeric year', '12', 29],
    ['null month', null, '29'],
    ['array year', '12', ['29']],
    ['object month', { m: 12 }, '29'],
  ])('%s → INVALID_EXPIRATION_DATE', (_label, expiryMonth, expiryYear) => {
    expect(codeOf(card({ expiryMonth, expiryYear }))).toBe('INVALID_EXPIRATION_DATE');
  });

  it('missing → PARAM_ILLEGAL', () => {
    expect(codeOf(card({ expiryMonth: undefined }))).toBe('PARAM_ILLEGAL');
    expect(codeOf(card({ expiryYear: undefined }))).toBe('PARAM_ILLEGAL');
  });

  it('a card is valid through the end of its expiry month, in the last time zone to reach it', () => {
    const at = (iso: string) => codeOf(card({ expiryMonth: '06', expiryYear: '25' }), { ...opts, now: new Date(iso) });
    expect(at('2025-06-30T23:59:59Z')).toBe('OK');
    expect(at('2025-07-01T11:59:59Z')).toBe('OK'); // still 30 June in UTC−12
    expect(at('2025-07-01T12:00:00Z')).toBe('INVALID_EXPIRATION_DATE');
  });

  it('reads two-digit years in the right century near a century boundary', () => {
    const in2095 = { ...opts, now: new Date('2095-03-01T00:00:00Z') };
    expect(valid(card({ expiryYear: '01' }), in2095).expiryYear).toBe('01');
    expect(codeOf(card({ expiryYear: '94' }), in2095)).toBe('INVALID_EXPIRATION_DATE');
  });
});

describe('validateCard: CVV', () => {
  it.each([
    ['too short', '12'],
    ['4 digits on a Visa', '1234'],
    ['letters', '12a'],
    ['empty', ''],
    ['a number', 123],
    ['null', null],
    ['an array', ['123']],
    ['an object', { cvv: '123' }],
  ])('%s → INVALID_CVV', (_label, cvv) => {
    expect(codeOf(card({ cvv }))).toBe('INVALID_CVV');
    expect(codeOf(card({ cvv }), { ...opts, requireCvv: false })).toBe('INVALID_CVV');
  });

  it('is required only when asked', () => {
    expect(codeOf(card({ cvv: undefined }))).toBe('INVALID_CVV');
    const result = valid(card({ cvv: undefined }), { ...opts, requireCvv: false });
    expect('cvv' in result).toBe(false);
  });
});

describe('validateCard: cardholderName and billingAddress', () => {
  it.each<[string, RawCardInput]>([
    ['name null', { cardholderName: null }],
    ['name a string', { cardholderName: 'Tom Jay' }],
    ['name an array', { cardholderName: ['Tom'] }],
    ['name part a number', { cardholderName: { firstName: 7 } }],
    ['name part too long', { cardholderName: { fullName: 'x'.repeat(65) } }],
    ['name part with a newline', { cardholderName: { lastName: 'Jay\nINFO forged log line' } }],
    ['address null', { billingAddress: null }],
    ['address a string', { billingAddress: 'CN' }],
    ['address without region', { billingAddress: { city: 'Hangzhou' } }],
    ['region lower case', { billingAddress: { region: 'cn' } }],
    ['region alpha-3', { billingAddress: { region: 'CHN' } }],
    ['region a number', { billingAddress: { region: 86 } }],
    ['zipCode a number', { billingAddress: { region: 'CN', zipCode: 310000 } }],
    ['address1 too long', { billingAddress: { region: 'CN', address1: 'x'.repeat(257) } }],
  ])('%s → PARAM_ILLEGAL', (_label, overrides) => {
    expect(codeOf(card(overrides))).toBe('PARAM_ILLEGAL');
  });

  it('keeps only the known keys', () => {
    const result = valid(
      card({
        cardholderName: { fullName: 'Tom Jay', nickname: 'TJ' },
        billingAddress: { region: 'FR', city: 'Paris', extra: { deep: true } },
      }),
    );
    expect(result.cardholderName).toEqual({ fullName: 'Tom Jay' });
    expect(result.billingAddress).toEqual({ region: 'FR', city: 'Paris' });
  });
});

describe('validateCard: never throws, never leaks', () => {
  it.each([null, undefined, 42, 'card', [], [card()]])('a non-object input (%p) → PARAM_ILLEGAL', (input) => {
    expect(codeOf(input as RawCardInput)).toBe('PARAM_ILLEGAL');
  });

  it('never throws on arbitrary values in any field', () => {
    const field = fc.oneof(fc.anything(), fc.stringMatching(/^\d{0,20}$/));
    fc.assert(
      fc.property(
        fc.record(
          { cardNo: field, cvv: field, expiryMonth: field, expiryYear: field, cardholderName: field, billingAddress: field },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        (input, requireCvv) => {
          const result = validateCard(input, { now, requireCvv });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });

  it('random digit strings never throw, and failure messages quote no 12-digit run of the input', () => {
    fc.assert(
      fc.property(digits(0, 24), digits(0, 5), digits(0, 3), digits(0, 5), (cardNo, cvv, expiryMonth, expiryYear) => {
        const result = validateCard({ cardNo, cvv, expiryMonth, expiryYear }, opts);
        if (result.ok === true) return;
        for (let i = 0; i + 12 <= cardNo.length; i++) expect(result.message).not.toContain(cardNo.slice(i, i + 12));
        if (cvv.length >= 3) expect(result.message).not.toContain(cvv);
        if (expiryYear.length >= 2) expect(result.message).not.toContain(`${expiryMonth}/${expiryYear}`);
      }),
    );
  });

  it('Luhn-valid PANs of a supported brand pass; failures name no digits of them', () => {
    const luhnCompleted = digits(11, 18).map(withCheckDigit);
    fc.assert(
      fc.property(luhnCompleted, (cardNo) => {
        expect(luhnValid(cardNo)).toBe(true);
        const result = validateCard(card({ cardNo, cvv: undefined }), { now, requireCvv: false });
        if (result.ok === true) {
          expect(result.pan).toBe(cardNo);
        } else {
          expect(['CARD_NOT_SUPPORTED', 'INVALID_CARD_NUMBER']).toContain((result as CardCheckFailure).code);
          expect(result.message).not.toMatch(/\d{5,}/);
        }
      }),
    );
  });
});

describe('luhnValid', () => {
  it('accepts the test cards and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111121')).toBe(false);
  });

  it('detects every single-digit error (property)', () => {
    fc.assert(
      fc.property(digits(11, 18).map(withCheckDigit), fc.nat(), fc.integer({ min: 1, max: 9 }), (pan, at, delta) => {
        const i = at % pan.length;
        const changed = pan.slice(0, i) + String((Number(pan[i]) + delta) % 10) + pan.slice(i + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });

  it('is false for non-digit or empty input', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
    expect(luhnValid(4111111111111111 as unknown as string)).toBe(false);
  });
});

describe('maskPan', () => {
  it('shows at most the first 6 and last 4 and never more than half the digits, keeping the length', () => {
    expect(maskPan('4111111111111111')).toBe('4111********1111');
    expect(maskPan('378282246310005')).toBe('378********0005');
    expect(maskPan('6304000000000000000')).toBe('63040**********0000');
    expect(maskPan('501800000009')).toBe('50******0009');
  });

  it('masks everything in anything shorter than a PAN', () => {
    expect(maskPan('12345678901')).toBe('***********');
    expect(maskPan('')).toBe('');
  });
});

/** Appends the Luhn check digit to a digit string. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
