import type { ValidCard } from './validation/card-validation';

/** What the rest of the gateway may see of a card that passed validation. */
export interface CardSummary {
  bin: string;
  last4: string;
  brands: string[];
  masked: string;
  fingerprint: string;
}

const secrets = new WeakMap<CollectedCard, ValidCard>();

/**
 * A validated card on its way into the vault. The PAN and CVV sit in a module-private WeakMap, so code
 * outside card-collection and the vault can carry the object but cannot read (or accidentally log) them.
 */
export class CollectedCard {
  constructor(
    card: ValidCard,
    readonly summary: CardSummary,
  ) {
    secrets.set(this, card);
  }
  toJSON() {
    return this.summary;
  }
}

/** For the vault only (the import-graph test enforces it). */
export function revealCollectedCard(c: CollectedCard): ValidCard {
  const card = secrets.get(c);
  if (!card) throw new Error('not a collected card');
  return card;
}
