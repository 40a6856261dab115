import { AntomError } from '../../antom/antom-error';

/** The fields of Antom's CardPaymentMethodDetail that carry the card to vault (the validator's input). */
const CARD_FIELDS = ['cardNo', 'expiryMonth', 'expiryYear', 'cvv', 'cardholderName', 'billingAddress'] as const;

/** The card fields as sent, before the card validator has read them (so each may be anything). */
export type UncheckedCardFields = {
  cardNo?: unknown;
  expiryMonth?: unknown;
  expiryYear?: unknown;
  cvv?: unknown;
  cardholderName?: unknown;
  billingAddress?: unknown;
};

/** Empty string and null count as absent, as for the request DTOs' refused fields. */
const absent = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The card of `vaults/vaultPaymentMethod` (`paymentMethodDetail.card`) as the card validator's input.
 * Every other CardPaymentMethodDetail field is refused with PARAM_ILLEGAL naming it (the vault stores a
 * card; 3DS, MPI data, a second brand, a token or answer-only fields such as maskedCardNo have no meaning
 * in a vaulting request here); `is3DSAuthentication` false, Antom's default, is fine. Messages never quote a value.
 */
export function vaultingCardInput(card: unknown): UncheckedCardFields {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodDetail.card: is required.');
  }
  const input: { [field: string]: unknown } = {};
  for (const [key, value] of Object.entries(card)) {
    if ((CARD_FIELDS as readonly string[]).includes(key)) {
      input[key] = value;
    } else if (key === 'is3DSAuthentication') {
      if (value === true || value === 'true') {
        throw new AntomError(
          'PARAM_ILLEGAL',
          'Illegal parameter paymentMethodDetail.card.is3DSAuthentication: is not supported: the gateway vaults without 3DS; authenticate on the first payment.',
        );
      }
      if (!absent(value) && value !== false && value !== 'false') {
        throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodDetail.card.is3DSAuthentication: must be a boolean value.');
      }
    } else if (!absent(value)) {
      throw new AntomError('PARAM_ILLEGAL', `Illegal parameter paymentMethodDetail.card.${safeKey(key)}: is not supported in a vaulting request.`);
    }
  }
  return input;
}

/** A field name is the merchant's text: only a plain identifier is echoed. */
function safeKey(key: string): string {
  return /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(key) ? key : '(unknown field)';
}
