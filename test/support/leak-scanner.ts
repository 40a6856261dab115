/** Finds card data in text: any Luhn-valid 13–19 digit run, the known test PANs, and CVV-bearing keys. */
export const TEST_PANS = [
  '4117347806156383',
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '3530111333300000',
  '4000000000000002',
  '4000000000009995',
  '4000000000009987',
  '4000000000009979',
  '4000000000000127',
  '4000000000000101',
  '4000000000000010',
  '4000000000000028',
  '4000000000000036',
  '4000000000000044',
  '4000000000003220',
  '4000002760003184',
  '4000000000004954',
  '4000002500001001',
];

export interface LeakHit {
  source: string;
  kind: 'known-pan' | 'luhn-run' | 'cvv-field' | 'expiry-field' | 'password-field';
  excerpt: string;
}

// Bounded by non-alphanumerics: a digit run inside a hex hash or base64 blob is not a card number, nor is a
// negative number (the hostile-input suite sends ids like -9223372036854775808). The known test PANs are
// still searched for everywhere, unbounded.
const DIGIT_RUN = /(?<![0-9A-Za-z+/-])\d{13,19}(?![0-9A-Za-z+/])/g;
const CVV_FIELD = /"(cvv|cvc|cvv2|securityCode)"\s*:\s*"?\d{3,4}/gi;
const EXPIRY_FIELD = /"(expiryMonth|expiryYear)"\s*:\s*"?\d{1,4}/gi;
// Korean local cards: the first two digits of the card password, forwarded to the acquirer and kept nowhere.
const PASSWORD_FIELD = /"cardPasswordDigest"\s*:\s*"?\d{2}/gi;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function scanText(source: string, text: string): LeakHit[] {
  const hits: LeakHit[] = [];
  const around = (i: number) => text.slice(Math.max(0, i - 40), i + 40).replace(/\d{6,}/g, (d) => `${d.slice(0, 6)}…(${d.length})`);
  for (const pan of TEST_PANS) {
    const i = text.indexOf(pan);
    if (i >= 0) hits.push({ source, kind: 'known-pan', excerpt: around(i) });
  }
  for (const m of text.matchAll(DIGIT_RUN)) {
    if (luhn(m[0]) && !isTimestampLike(m[0])) hits.push({ source, kind: 'luhn-run', excerpt: around(m.index ?? 0) });
  }
  for (const m of text.matchAll(CVV_FIELD)) hits.push({ source, kind: 'cvv-field', excerpt: around(m.index ?? 0) });
  for (const m of text.matchAll(EXPIRY_FIELD)) hits.push({ source, kind: 'expiry-field', excerpt: around(m.index ?? 0) });
  for (const m of text.matchAll(PASSWORD_FIELD)) hits.push({ source, kind: 'password-field', excerpt: around(m.index ?? 0) });
  return hits;
}

/** Epoch milliseconds (13 digits starting 17/18) pass Luhn one time in ten; they are not card numbers. */
function isTimestampLike(run: string): boolean {
  return run.length === 13 && /^1[78]\d{11}$/.test(run);
}
