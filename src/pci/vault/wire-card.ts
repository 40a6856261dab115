import { AntomError } from '../../antom/antom-error';
import { UpstreamCardMetaData } from '../../antom/upstream-requests';
import { Secret } from './crypto/secret';
import { RawCard } from './raw-card';

/** Card fields a merchant may send in paymentMethodMetaData: never copied through; the vault refills them. */
const CARD_FIELDS: ReadonlySet<string> = new Set(['cardNo', 'cvv', 'expiryMonth', 'expiryYear', 'cardholderName']);

/**
 * A CVV the merchant sent with a card token, sealed from the moment it is read (a `Secret`: it prints,
 * logs and serialises as [REDACTED]); authorization carries it to the vault's callback unread.
 */
export class MerchantCvv extends Secret<string> {
  private constructor(value: string) {
    super(value);
  }

  /** From the pay request's metadata: absent, or 3–4 digits of the card's brand length (AMEX 4, else 3). */
  static from(meta: Record<string, unknown> | undefined, brands: string[]): MerchantCvv | undefined {
    const v = meta?.cvv;
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !/^\d{3,4}$/.test(v)) throw new AntomError('INVALID_CVV', 'cvv must be 3 or 4 digits for this card brand');
    const expected = brands[0] === 'AMEX' ? 4 : 3;
    if (v.length !== expected) throw new AntomError('INVALID_CVV', `cvv must be ${expected} digits for this card brand`);
    return new MerchantCvv(v);
  }
}

/** The merchant's metadata without card fields (and without `also`): what may be copied through upstream. */
// Record: the merchant's own paymentMethodMetaData fields, whatever they are, passed through (Antom's model is open).
export function withoutCardFields(meta: Record<string, unknown> | undefined, also: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta ?? {})) if (!CARD_FIELDS.has(k) && !also.includes(k)) out[k] = v;
  return out;
}

/** The card in the upstream pay's paymentMethodMetaData (Antom's card fields; cardholderName its UserName). */
export interface WireCardFields extends UpstreamCardMetaData {
  cardNo: string;
  expiryMonth: string;
  expiryYear: string;
  cvv?: string;
  cardholderName?: { firstName?: string; middleName?: string; lastName?: string; fullName?: string };
}

/**
 * The upstream request's card fields, from the vault's card (and a sealed merchant CVV): used only inside
 * the vault's `withCard` / `withCollectedCard` callback, and the result is never stored or logged.
 * `buyerPresent` false (a merchant-initiated payment): no CVV at all.
 */
export function cardWireFields(card: RawCard, cvv?: MerchantCvv, buyerPresent = true): WireCardFields {
  // A merchant-initiated payment never carries a CVV, not even one the vault still holds within its TTL.
  const c = !buyerPresent ? undefined : cvv ? cvv.reveal() : card.cvv;
  return {
    cardNo: card.cardNo,
    expiryMonth: card.expiryMonth,
    expiryYear: card.expiryYear,
    ...(c ? { cvv: c } : {}),
    ...(card.cardholderName ? { cardholderName: card.cardholderName } : {}),
  };
}
