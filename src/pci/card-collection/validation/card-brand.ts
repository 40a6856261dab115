import creditCardType = require('credit-card-type');

/*
 * Brand detection: credit-card-type (braintree) knows the scheme IIN ranges
 * and valid lengths; this file maps its ids to Antom's CardBrand names and adds
 * co-badging, which no open IIN table covers.
 */

/** credit-card-type id → Antom CardBrand. Anything not listed (naranja, verve, hiper) is not supported. */
const ANTOM_BRAND: Readonly<Record<string, string>> = {
  visa: 'VISA',
  mastercard: 'MASTERCARD',
  'american-express': 'AMEX',
  jcb: 'JCB',
  'diners-club': 'DINERS',
  discover: 'DISCOVER',
  unionpay: 'CUP',
  maestro: 'MAESTRO',
  elo: 'ELO',
  hipercard: 'HIPERCARD',
  mir: 'MIR',
  troy: 'TROY',
};

/**
 * Domestic schemes co-badged on international cards, by BIN prefix. The
 * cardholder may pick either brand (EU Interchange Fee Regulation 2015/751,
 * art. 8), hence Antom's selectedCardBrand.
 *
 * Where real ranges come from: Cartes Bancaires BIN ranges are not public; GIE
 * CB distributes them to members and acquirers, and commercial BIN databases
 * resell them. In production co-badging should come from the acquirer's BIN
 * data (or a licensed BIN table loaded at start), not from this list, which
 * only holds the sandbox's test range (ANTOM-CONTRACT §7: 4000002500001001).
 */
const CO_BADGE_RANGES: readonly { prefix: string; primary: string; coBrand: string }[] = [
  { prefix: '40000025', primary: 'VISA', coBrand: 'CARTES_BANCAIRES' },
];

/** Every brand a card can pay with here: the schemes detected, then the co-badged brands a buyer may select. */
export const SUPPORTED_CARD_BRANDS: readonly string[] = [...new Set([...Object.values(ANTOM_BRAND), ...CO_BADGE_RANGES.map((r) => r.coBrand)])];

export type BrandResult = { ok: true; brands: string[]; cvvLength: number } | { ok: false; code: 'CARD_NOT_SUPPORTED' | 'INVALID_CARD_NUMBER' };

/** Expects a Luhn-checked digit string. The primary brand comes first in `brands`. */
export function detectBrands(pan: string): BrandResult {
  const supported = creditCardType(pan).filter((type) => ANTOM_BRAND[type.type] !== undefined);
  if (supported.length === 0) return { ok: false, code: 'CARD_NOT_SUPPORTED' };
  // A known brand but a length it never issues: the number is wrong, not the brand.
  const fitting = supported.find((type) => type.lengths.includes(pan.length));
  if (!fitting) return { ok: false, code: 'INVALID_CARD_NUMBER' };
  const primary = ANTOM_BRAND[fitting.type] as string;
  return { ok: true, brands: [primary, ...coBrands(pan, primary)], cvvLength: cvvLength(primary) };
}

function coBrands(pan: string, primary: string): string[] {
  return CO_BADGE_RANGES.filter((r) => r.primary === primary && pan.startsWith(r.prefix)).map((r) => r.coBrand);
}

/** Amex prints a 4-digit CID on the front; every other supported scheme a 3-digit code. */
function cvvLength(primary: string): number {
  return primary === 'AMEX' ? 4 : 3;
}

/**
 * Brands of a BIN alone (6–8 leading digits, no length to check): the scheme ranges credit-card-type
 * knows, primary first, plus co-badging. Empty when no supported scheme issues it.
 */
export function brandsOfBin(bin: string): string[] {
  const supported = creditCardType(bin).filter((type) => ANTOM_BRAND[type.type] !== undefined);
  if (supported.length === 0) return [];
  const primary = ANTOM_BRAND[supported[0].type] as string;
  return [primary, ...coBrands(bin.padEnd(8, '0'), primary)];
}
