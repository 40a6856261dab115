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

/**
 * The longest IIN pattern credit-card-type matches on, in digits (a unit spec holds it against the library's
 * table), and the co-badge prefixes' length. A card number of at least this many digits is typed by its first
 * `BRAND_PREFIX` digits alone: the library compares each pattern with the number's first pattern-length digits.
 */
export const BRAND_PREFIX = 8;

/**
 * Brand results by BIN (the first `BRAND_PREFIX` digits) and length: never a whole card number, which is
 * not kept in memory beyond its request. credit-card-type tries every scheme's patterns and clones the
 * matching type's record through JSON on each call: 15–25 µs, once a pay (issue 27: 0.8 % of the
 * gateway's CPU in a `--cpu-prof` of the bench); a lookup here is well under 1 µs. Cleared when full: the
 * BINs a gateway sees are many fewer than this in a working day of most merchants, and a miss is only slower.
 */
const byBin = new Map<string, BrandResult>();
const BY_BIN_MAX = 10_000;

/** Expects a Luhn-checked digit string. The primary brand comes first in `brands`. */
export function detectBrands(pan: string): BrandResult {
  if (pan.length < BRAND_PREFIX) return detectBrandsUncached(pan);
  const key = `${pan.length}:${pan.slice(0, BRAND_PREFIX)}`;
  let r = byBin.get(key);
  if (r === undefined) {
    if (byBin.size >= BY_BIN_MAX) byBin.clear();
    r = detectBrandsUncached(pan);
    byBin.set(key, r);
  }
  return r.ok ? { ok: true, brands: [...r.brands], cvvLength: r.cvvLength } : { ok: false, code: r.code };
}

/** `detectBrands` without the BIN table (exported for the spec that holds the two equal). */
export function detectBrandsUncached(pan: string): BrandResult {
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
