import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AntomError } from '../../antom/antom-error';
import { maskCardNumber } from '../../antom/card-mask';
import { MaskedCard } from '../vault/raw-card';
import { PreparedCard, VaultService } from '../vault/vault.service';
import { CollectedCard } from './collected-card';
import { validateCard } from './validation/card-validation';

export interface CollectOptions {
  requireCvv: boolean;
  onFile: boolean;
  cvvTtlSeconds: number;
  tokenTtlSeconds?: number;
  buyerEnv?: Record<string, unknown>;
}

/** Validates raw card input (Luhn, brand, expiry, CVV) and hands it to the vault. */
@Injectable()
export class CardCollectionService {
  constructor(private readonly vault: VaultService) {}

  collect(merchantId: string, meta: Record<string, unknown>, requireCvv: boolean): CollectedCard {
    const checked = validateCard(meta, { now: new Date(), requireCvv });
    if (!checked.ok) throw new AntomError(checked.code, checked.message);
    return new CollectedCard(checked, {
      bin: checked.bin,
      last4: checked.last4,
      brands: checked.brands,
      masked: maskCardNumber(checked.pan),
      fingerprint: this.vault.fingerprint(checked.pan, merchantId),
    });
  }

  /** The vault rows of a collected card, for the caller to write inside its own statement. */
  prepare(merchantId: string, card: CollectedCard, opts: CollectOptions): PreparedCard {
    return this.vault.prepareCollected(merchantId, card, opts);
  }

  store(tx: EntityManager, merchantId: string, card: CollectedCard, opts: CollectOptions): Promise<MaskedCard> {
    return this.vault.storeCollected(tx, merchantId, card, opts);
  }
}
