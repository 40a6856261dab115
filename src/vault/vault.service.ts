import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CardRecord, CardSecret } from './card.entity';
import { Keyring } from './crypto/keyring';
import { decryptField, encryptField, fingerprint, newDataKey, newToken, unwrapDataKey, wrapDataKey } from './crypto/envelope';
import { MaskedCard, RawCard } from './raw-card';
import { CollectedCard, revealCollectedCard } from '../card-collection/collected-card';

export interface CardToStore {
  pan: string;
  cvv?: string;
  expiryMonth: string;
  expiryYear: string;
  cardholderName?: Record<string, string>;
  brands: string[];
  bin: string;
  last4: string;
}

export interface StoreOptions {
  onFile: boolean;
  /** How long the CVV may live if the authorization never completes (a crash, 3DS in flight). */
  cvvTtlSeconds: number;
  tokenTtlSeconds?: number;
}

export class CardNotFoundError extends Error {}

/**
 * The narrow vault interface: store a card, use it inside a callback, destroy its CVV. Nothing
 * outside this class sees ciphertext, keys or (except inside `withCard`) the plaintext card.
 */
@Injectable()
export class VaultService {
  constructor(private readonly db: DataSource, private readonly keyring: Keyring) {}

  fingerprint(pan: string, merchantId: string): string {
    return fingerprint(pan, this.keyring.fingerprintKey(), merchantId);
  }

  storeCollected(tx: EntityManager, merchantId: string, collected: CollectedCard, opts: StoreOptions): Promise<MaskedCard> {
    const c = revealCollectedCard(collected);
    const card: CardToStore = {
      pan: c.pan, cvv: c.cvv, expiryMonth: c.expiryMonth, expiryYear: c.expiryYear,
      cardholderName: c.cardholderName as Record<string, string> | undefined, brands: c.brands, bin: c.bin, last4: c.last4,
    };
    return this.store(tx, merchantId, card, opts, collected.summary.fingerprint);
  }

  async store(tx: EntityManager, merchantId: string, card: CardToStore, opts: StoreOptions, knownFingerprint?: string): Promise<MaskedCard> {
    const id = randomUUID();
    const kek = this.keyring.active();
    const dek = newDataKey();
    const aad = (field: string) => ({ recordId: id, field, keyVersion: kek.version });
    const record: Partial<CardRecord> = {
      id,
      token: newToken(),
      merchantId,
      kekVersion: kek.version,
      wrappedDek: wrapDataKey(dek, kek, id),
      panEnc: encryptField(Buffer.from(card.pan), dek, aad('pan')),
      expiryEnc: encryptField(Buffer.from(`${card.expiryMonth}/${card.expiryYear}`), dek, aad('expiry')),
      holderEnc: card.cardholderName ? encryptField(Buffer.from(JSON.stringify(card.cardholderName)), dek, aad('holder')) : null,
      fingerprint: knownFingerprint ?? this.fingerprint(card.pan, merchantId),
      bin: card.bin,
      last4: card.last4,
      brands: card.brands,
      onFile: opts.onFile,
      tokenExpiresAt: opts.tokenTtlSeconds ? new Date(Date.now() + opts.tokenTtlSeconds * 1000) : null,
    };
    await tx.insert(CardRecord, record);
    if (card.cvv) {
      await tx.insert(CardSecret, {
        cardId: id,
        cvvEnc: encryptField(Buffer.from(card.cvv), dek, aad('cvv')),
        expiresAt: new Date(Date.now() + opts.cvvTtlSeconds * 1000),
      });
    }
    dek.fill(0);
    return { cardId: id, token: record.token!, bin: card.bin, last4: card.last4, brands: card.brands };
  }

  /** Decrypts the card for the duration of `use` only. The callback must not keep or log it. */
  async withCard<T>(cardId: string, use: (card: RawCard) => Promise<T>): Promise<T> {
    const record = await this.db.getRepository(CardRecord).findOneBy({ id: cardId });
    if (!record) throw new CardNotFoundError('card not found');
    const secret = await this.db.getRepository(CardSecret).findOneBy({ cardId });
    const dek = unwrapDataKey(record.wrappedDek, this.keyring.get(record.kekVersion), record.id);
    try {
      const open = (blob: Buffer, field: string) =>
        decryptField(blob, dek, { recordId: record.id, field, keyVersion: record.kekVersion }).toString();
      const [expiryMonth, expiryYear] = open(record.expiryEnc, 'expiry').split('/');
      const card: RawCard = {
        cardNo: open(record.panEnc, 'pan'),
        expiryMonth,
        expiryYear,
        cvv: secret && secret.expiresAt > new Date() ? open(secret.cvvEnc, 'cvv') : undefined,
        cardholderName: record.holderEnc ? JSON.parse(open(record.holderEnc, 'holder')) : undefined,
      };
      return await use(card);
    } finally {
      dek.fill(0);
    }
  }

  /** PCI DSS 3.3.1: the CVV is destroyed, ciphertext included, once the authorization completes. */
  async destroyCvv(tx: EntityManager, cardId: string): Promise<void> {
    await tx.delete(CardSecret, { cardId });
  }

  /** Sweeps CVVs a crash or an abandoned 3DS challenge left behind. */
  async purgeExpiredCvvs(): Promise<number> {
    const res = await this.db.query(`DELETE FROM card_secret WHERE expires_at < now()`);
    return Array.isArray(res) ? Number(res[1] ?? 0) : 0;
  }
}
