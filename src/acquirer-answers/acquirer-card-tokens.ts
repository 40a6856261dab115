/** A card token the acquirer issued for a card its hosted page collected: the masked view only. */
export interface AcquirerCardToken {
  token: string;
  merchantId: string;
  bin: string;
  last4: string;
  brand: string;
}

/** The gateway's own vault tokens; anything else a merchant pays with is the acquirer's (acquirer-card-token.repository.ts keeps them). */
export const isVaultToken = (token: string) => token.startsWith('tok_');
