/**
 * The decrypted card. Only the vault and card-collection modules may import this type; a test reads
 * the import graph to keep it that way. Its fields refuse to print.
 */
export interface RawCard {
  readonly cardNo: string;
  readonly expiryMonth: string;
  readonly expiryYear: string;
  readonly cvv?: string;
  readonly cardholderName?: Record<string, string>;
}

/** What the rest of the gateway may know about a card. */
export interface MaskedCard {
  cardId: string;
  token: string;
  bin: string;
  last4: string;
  brands: string[];
}
