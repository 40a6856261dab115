/** What the rest of the gateway may know about a tokenized card: masked view and lifecycle, no card data. */
export interface TokenCard {
  cardId: string;
  token: string;
  merchantId: string;
  bin: string;
  last4: string;
  brands: string[];
  fingerprint: string;
  onFile: boolean;
  tokenExpiresAt: Date | null;
  consumedAt: Date | null;
  /** browserInfo, clientIp etc. gathered by the hosted page, for `env` when the merchant sends none. */
  buyerEnv: Record<string, unknown> | null;
  /** A CVV ciphertext exists and is within its TTL. */
  hasCvv: boolean;
}
