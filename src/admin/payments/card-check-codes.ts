/**
 * What the acquirer's raw AVS and CVV result codes mean, for the payment page ("Y — address and postcode match").
 * Visa/Mastercard single-letter codes as Antom passes them through (`avsResultRaw`, `cvvResultRaw`); the sandbox
 * answers with the same letters (sandbox/card-decision.ts). A code not in the table is shown raw, never guessed.
 */
export const AVS_CODES: Readonly<Record<string, string>> = {
  A: 'address matches, postcode does not',
  B: 'address matches, postcode not checked',
  C: 'neither address nor postcode checked',
  D: 'address and postcode match (international)',
  E: 'AVS error',
  F: 'address and postcode match (UK)',
  G: 'issuer outside the AVS network: not checked',
  I: 'address not checked (international)',
  M: 'address and postcode match (international)',
  N: 'neither address nor postcode matches',
  P: 'postcode matches, address not checked',
  R: 'issuer unavailable: try again',
  S: 'AVS not supported by the issuer',
  U: 'address information unavailable',
  W: '9-digit ZIP code matches, address does not',
  X: 'address and 9-digit ZIP code match',
  Y: 'address and postcode match',
  Z: 'postcode matches, address does not',
};

export const CVV_CODES: Readonly<Record<string, string>> = {
  M: 'CVV matches',
  N: 'CVV does not match',
  P: 'CVV not processed',
  S: 'CVV should be on the card but was not sent',
  U: 'issuer not certified for CVV, or gave no key',
  Y: 'CVV matches',
};

/** `Y — address and postcode match`; an unknown code as it came; '—' for none. */
export function describeCheckCode(table: Readonly<Record<string, string>>, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') return '—';
  const code = raw.trim();
  const meaning = Object.prototype.hasOwnProperty.call(table, code.toUpperCase()) ? table[code.toUpperCase()] : undefined;
  return meaning ? `${code} — ${meaning}` : `${code} (code not known to the console)`;
}
