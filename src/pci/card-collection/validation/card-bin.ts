import { brandsOfBin, detectBrands } from './card-brand';
import { luhnValid } from './card-validation';

export type BinOfCard = { ok: true; bin: string; brands: string[] } | { ok: false; code: 'INVALID_CARD_NUMBER' | 'CARD_NOT_SUPPORTED' };

/**
 * The BIN of a card number (getCardInfo's `cardNo`): the number is checked (digits, length, Luhn, brand)
 * and only its leading digits leave this folder — 8 for a PAN of 16 digits or more, else 6 (PCI DSS
 * permits showing those with the last four; nothing else of the number is kept or returned).
 */
export function binOfCardNumber(cardNo: string): BinOfCard {
  if (!/^\d{12,19}$/.test(cardNo) || !luhnValid(cardNo)) return { ok: false, code: 'INVALID_CARD_NUMBER' };
  const brands = detectBrands(cardNo);
  if (!brands.ok) return { ok: false, code: brands.code };
  return { ok: true, bin: cardNo.slice(0, cardNo.length >= 16 ? 8 : 6), brands: brands.brands };
}

export { brandsOfBin };
