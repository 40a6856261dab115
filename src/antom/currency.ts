/**
 * ISO 4217 codes that are not money a card is charged in: precious metals, bond-market and accounting
 * units, the testing and "no currency" codes, and the fund codes (indexed units and next-day dollars).
 * currency-codes lists them with 0 decimals, so without this XAU 100 would be charged as 100 "gold".
 */
const NOT_CARD_CURRENCIES = new Set([
  'XAU',
  'XAG',
  'XPT',
  'XPD', // metals
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA', // bond-market units, SDR, units of account
  'XTS',
  'XXX', // testing, no currency
  'BOV',
  'CHE',
  'CHW',
  'CLF',
  'COU',
  'MXV',
  'UYI',
  'UYW',
  'USN', // fund codes
]);

export function isCardCurrency(code: string): boolean {
  return !NOT_CARD_CURRENCIES.has(code);
}
