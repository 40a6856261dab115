import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../../antom/antom-error';
import { GatewayConfig } from '../../config/gateway-config';
import { TokenCard } from '../vault/token-card';
import { VaultService } from '../vault/vault.service';
import { CardCollectionService } from './card-collection.service';
import { CollectedCard } from './collected-card';

export interface StoreCardInput {
  meta: Record<string, unknown>;
  onFile: boolean;
  buyerEnv?: Record<string, unknown>;
}

/** The merchant-facing masked view of a stored card (POST /v1/cards, the hosted page). */
export interface StoredCardView {
  cardToken: string;
  cardBin: string;
  lastFour: string;
  cardBrand: string;
  cardBrands: string[];
  onFile: boolean;
  tokenExpiryTime?: string;
}

/**
 * Token lifecycle. One-time tokens (no consent) live VAULT_TOKEN_TTL_SECONDS and are spent by the first
 * payment; on-file tokens (the buyer consented, `isCardOnFile`) live until the merchant deletes them or
 * the card expires. A token only ever works for the merchant it was issued to.
 */
@Injectable()
export class CardTokensService {
  constructor(
    private readonly db: DataSource,
    private readonly cards: CardCollectionService,
    private readonly vault: VaultService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  async store(merchantId: string, input: StoreCardInput): Promise<StoredCardView> {
    const collected = this.cards.collect(merchantId, input.meta, false);
    return (await this.db.transaction((tx) => this.storeCollected(tx, merchantId, collected, input.onFile, input.buyerEnv))).view;
  }

  /** Validates the card (nothing written when it fails), for `storeCollected` in the caller's transaction. */
  collect(merchantId: string, meta: Record<string, unknown>): CollectedCard {
    return this.cards.collect(merchantId, meta, false);
  }

  /** Stores a validated card in the caller's transaction (a vaulting writes its own row with it). */
  async storeCollected(
    tx: EntityManager,
    merchantId: string,
    collected: CollectedCard,
    onFile: boolean,
    buyerEnv?: Record<string, unknown>,
  ): Promise<{ cardId: string; view: StoredCardView }> {
    const tokenTtlSeconds = onFile ? undefined : this.config.VAULT_TOKEN_TTL_SECONDS;
    const stored = await this.cards.store(tx, merchantId, collected, {
      requireCvv: false,
      onFile,
      cvvTtlSeconds: this.config.VAULT_CVV_TTL_SECONDS,
      tokenTtlSeconds,
      buyerEnv,
    });
    const view: StoredCardView = {
      cardToken: stored.token,
      cardBin: stored.bin,
      lastFour: stored.last4,
      cardBrand: stored.brands[0] ?? 'UNKNOWN',
      cardBrands: stored.brands,
      onFile,
      ...(tokenTtlSeconds && { tokenExpiryTime: new Date(Date.now() + tokenTtlSeconds * 1000).toISOString().replace('Z', '+00:00') }),
    };
    return { cardId: stored.cardId, view };
  }

  /**
   * The token's card if this merchant may pay with it now. Unknown and foreign tokens get the same code:
   * telling them apart would confirm to one merchant that another merchant's token exists.
   */
  async resolve(merchantId: string, token: string): Promise<TokenCard> {
    const card = typeof token === 'string' && token.startsWith('tok_') ? await this.vault.findToken(token) : null;
    if (!card || card.merchantId !== merchantId) throw new AntomError('INVALID_CARD_TOKEN');
    if (card.tokenExpiresAt && card.tokenExpiresAt.getTime() <= Date.now()) throw new AntomError('CARD_TOKEN_EXPIRED');
    if (!card.onFile && card.consumedAt) throw new AntomError('CARD_TOKEN_USED');
    return card;
  }

  /** Crypto-shreds the card. A foreign or unknown token is INVALID_CARD_TOKEN, as for pay. */
  async delete(merchantId: string, token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '') throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter cardToken: must be a non-empty string.');
    if (!(await this.vault.shred(merchantId, token))) throw new AntomError('INVALID_CARD_TOKEN');
  }
}
