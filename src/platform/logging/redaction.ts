/**
 * Last line of defence against card data in logs: structured redaction of known card fields, plus a
 * scrub of any Luhn-valid 13–19 digit run in any string. Code must never log card data in the first
 * place; this catches the mistake we did not foresee.
 */
export const REDACTED_PATHS = [
  'cardNo', 'cvv', 'expiryMonth', 'expiryYear', 'pan',
  '*.cardNo', '*.cvv', '*.expiryMonth', '*.expiryYear', '*.pan',
  '*.*.cardNo', '*.*.cvv', '*.*.expiryMonth', '*.*.expiryYear',
  // Korean local cards: the first two digits of the card password are as secret as a CVV.
  'cardPasswordDigest', '*.cardPasswordDigest', '*.*.cardPasswordDigest', '*.*.*.cardPasswordDigest',
  'paymentMethodMetaData', '*.paymentMethodMetaData', '*.*.paymentMethodMetaData',
  'req.headers.authorization', 'req.headers.cookie', 'req.body', 'body',
];

const DIGIT_RUN = /\d[\d -]{11,22}\d/g;

export function scrubCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhn(digits) ? '[PAN REDACTED]' : run;
  });
}

export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCardNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

function luhn(digits: string): boolean {
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
