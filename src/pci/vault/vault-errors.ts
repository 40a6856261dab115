/*
 * What can go wrong when the vault opens a card, as types the callers map to Antom codes. Messages name
 * records and key versions only, never card data. Integrity and key errors come from ./crypto/errors.
 */
export { VaultIntegrityError, VaultKeyError } from './crypto/errors';

export class CardNotFoundError extends Error {
  constructor(message = 'card not found') {
    super(message);
    this.name = 'CardNotFoundError';
  }
}

/** The stored card's expiry month is over: on-file tokens die with the card. */
export class CardExpiredError extends Error {
  constructor() {
    super('the stored card has expired');
    this.name = 'CardExpiredError';
  }
}
