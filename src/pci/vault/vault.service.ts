import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Sql } from '../../platform/database/sql';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { CollectedCard, revealCollectedCard } from '../card-collection/collected-card';
import { CardRecord, CardSecret, CvvKey } from './card.entity';
import { CardRepository, SealedCardRow, SealedExpiryRow } from './card.repository';
import { decryptField, encryptField, fingerprint, newDataKey, newToken, unwrapDataKey, wrapDataKey } from './crypto/envelope';
import { KeyEncryptionKey, Keyring } from './crypto/keyring';
import { MaskedCard, RawCard } from './raw-card';
import { TokenCard } from './token-card';
import { CardExpiredError, CardNotFoundError } from './vault-errors';

export { CardNotFoundError, CardExpiredError } from './vault-errors';

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
  /** browserInfo / clientIp from the hosted page; no card data. */
  buyerEnv?: Record<string, unknown>;
}

/*
 * Key versions and AAD. A record has two versions:
 *  - field_key_version: named in the AAD of every field ciphertext (pan, expiry, holder, cvv); set once
 *    when the record is written, to the KEK version active then, and never changed;
 *  - kek_version: the KEK that wraps the data key now; rotation re-wraps the DEK and moves this forward.
 * We chose this over re-encrypting every field under a fresh DEK on rotation: a re-wrap touches 60 bytes
 * per record and never decrypts the PAN or the CVV, and the fields stay bound to their record and field
 * by the AAD either way. The DEK's own AAD binds record id and the wrapping version, so a wrapped DEK
 * cannot be moved to another record or relabelled to another version.
 */
@Injectable()
export class VaultService {
  constructor(
    private readonly cards: CardRepository,
    private readonly keyring: Keyring,
    private readonly metrics: MetricsService,
  ) {}

  /** `gateway_vault_operations_total`: the outcome of one vault operation, errors by class name only. */
  private async counted<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      const out = await run();
      this.metrics.countVault(operation, 'ok');
      return out;
    } catch (e) {
      this.metrics.countVault(operation, 'error');
      throw e;
    }
  }

  fingerprint(pan: string, merchantId: string): string {
    return fingerprint(pan, this.keyring.fingerprintKey(), merchantId);
  }

  storeCollected(tx: EntityManager, merchantId: string, collected: CollectedCard, opts: StoreOptions): Promise<MaskedCard> {
    return this.store(tx, merchantId, toStore(collected), opts, collected.summary.fingerprint);
  }

  async store(tx: EntityManager, merchantId: string, card: CardToStore, opts: StoreOptions, knownFingerprint?: string): Promise<MaskedCard> {
    const prepared = this.prepare(merchantId, card, opts, knownFingerprint);
    await this.cards.insert(tx, prepared.rows);
    return prepared.card;
  }

  /** A collected card's rows, for a caller that writes them inside its own statement (the pay hot path). */
  prepareCollected(merchantId: string, collected: CollectedCard, opts: StoreOptions): PreparedCard {
    return this.prepare(merchantId, toStore(collected), opts, collected.summary.fingerprint);
  }

  /**
   * Encrypts the card into its rows (card, and card_secret for the CVV) as INSERT statements. Only
   * ciphertext, key versions and the masked view are in them; the caller decides when they run.
   */
  private prepare(merchantId: string, card: CardToStore, opts: StoreOptions, knownFingerprint?: string): PreparedCard {
    try {
      const prepared = this.encrypt(merchantId, card, opts, knownFingerprint);
      this.metrics.countVault('encrypt', 'ok');
      return prepared;
    } catch (e) {
      this.metrics.countVault('encrypt', 'error');
      throw e;
    }
  }

  private encrypt(merchantId: string, card: CardToStore, opts: StoreOptions, knownFingerprint?: string): PreparedCard {
    const id = randomUUID();
    const kek = this.keyring.active();
    const dek = newDataKey();
    const aad = (field: string) => ({ recordId: id, field, keyVersion: kek.version });
    try {
      const token = newToken();
      const record: Partial<CardRecord> = {
        id,
        token,
        merchantId,
        kekVersion: kek.version,
        fieldKeyVersion: kek.version,
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
        buyerEnv: (opts.buyerEnv as CardRecord['buyerEnv']) ?? null,
      };
      const rows = card.cvv
        ? this.cards.insertStatements(record, ...sealCvv(card.cvv, id, kek, opts.cvvTtlSeconds))
        : this.cards.insertStatements(record);
      return { card: { cardId: id, token, bin: card.bin, last4: card.last4, brands: card.brands }, rows };
    } finally {
      dek.fill(0);
    }
  }

  /**
   * The card the merchant just sent, for the duration of `use`: the pay hot path authorizes with what it
   * holds in memory rather than reading back and decrypting the rows it wrote a moment ago.
   */
  async withCollectedCard<T>(collected: CollectedCard, use: (card: RawCard) => Promise<T>): Promise<T> {
    const c = revealCollectedCard(collected);
    return use({
      cardNo: c.pan,
      expiryMonth: c.expiryMonth,
      expiryYear: c.expiryYear,
      cvv: c.cvv,
      cardholderName: c.cardholderName as Record<string, string> | undefined,
    });
  }

  /**
   * Decrypts the card for the duration of `use` only. The callback must not keep or log it.
   * Throws CardNotFoundError, VaultIntegrityError (tampered or swapped bytes), VaultKeyError (the
   * wrapping key version is retired or unknown) or CardExpiredError, all before `use` runs.
   */
  async withCard<T>(cardId: string, use: (card: RawCard) => Promise<T>): Promise<T> {
    // Counted up to the callback: what `use` throws (an upstream failure) is not a vault error.
    let decrypted = false;
    try {
      return await this.decrypt(cardId, (card) => {
        decrypted = true;
        this.metrics.countVault('decrypt', 'ok');
        return use(card);
      });
    } catch (e) {
      if (!decrypted) this.metrics.countVault('decrypt', 'error');
      throw e;
    }
  }

  private async decrypt<T>(cardId: string, use: (card: RawCard) => Promise<T>): Promise<T> {
    // One statement: the record and its CVV from the same snapshot, so a concurrent re-wrap is seen whole.
    const record = await this.cards.sealed(cardId);
    if (!record) throw new CardNotFoundError();
    const dek = unwrapDataKey(record.wrapped_dek, this.keyring.get(record.kek_version), record.id);
    try {
      const open = (blob: Buffer, field: string) =>
        decryptField(blob, dek, { recordId: record.id, field, keyVersion: record.field_key_version }).toString();
      const [expiryMonth, expiryYear] = open(record.expiry_enc, 'expiry').split('/');
      if (isPastExpiry(expiryMonth, expiryYear)) throw new CardExpiredError();
      const card: RawCard = {
        cardNo: open(record.pan_enc, 'pan'),
        expiryMonth,
        expiryYear,
        cvv: openCvv(record, this.keyring),
        cardholderName: record.holder_enc ? JSON.parse(open(record.holder_enc, 'holder')) : undefined,
      };
      return await use(card);
    } finally {
      dek.fill(0);
    }
  }

  /** The masked view and lifecycle of a token; no ciphertext leaves the vault this way. */
  findToken(token: string): Promise<TokenCard | null> {
    return this.cards.findToken(token);
  }

  /** Spends a one-time token inside the caller's transaction; false if another payment spent it first. */
  consumeOneTime(tx: EntityManager, cardId: string): Promise<boolean> {
    return this.cards.consumeOneTime(tx, cardId);
  }

  /**
   * Crypto-shredding: the row goes, and with it the live copy of the wrapped data key. A backup taken
   * before still holds that wrapped key, readable while its KEK version lives: such copies become
   * unreadable when that version is retired (rotation), not at deletion. The CVV row and its key cascade
   * (the CVV's own key never reaches a backup: see sealCvv); payments keep their masked view.
   */
  async shred(merchantId: string, token: string): Promise<boolean> {
    return this.counted('shred', () => this.cards.deleteByToken(merchantId, token));
  }

  /** PCI DSS 3.3.1: the CVV is destroyed, ciphertext included, once the authorization completes. */
  destroyCvv(tx: Pick<EntityManager, 'query'>, cardId: string): Promise<void> {
    return this.cards.destroyCvv(tx, cardId);
  }

  /** Sweeps CVVs a crash or an abandoned 3DS challenge left behind. Idempotent: safe on every instance. */
  purgeExpiredCvvs(): Promise<number> {
    return this.cards.purgeExpiredCvvs();
  }

  /**
   * Stored cards past their expiry month by more than `graceDays` are shredded (PCI DSS 3.2.1: keep
   * nothing longer than needed). The expiry lives only sealed, so each batch opens the expiry field
   * alone (never the PAN): `batch` cards in id order after `after`; the caller walks the table with
   * `next` ('' once it wrapped around). A card whose key is gone or whose bytes fail the check is left
   * for the operator (the decrypt path reports it), never deleted on a guess.
   */
  async purgeExpiredStoredCards(after: string, batch: number, graceDays: number): Promise<{ purged: number; next: string }> {
    const rows = await this.cards.onFileExpiryBatch(after, batch);
    const cutoff = Date.now() - graceDays * 86_400_000;
    const expired: string[] = [];
    for (const r of rows) {
      const end = this.expiryEnd(r);
      if (end !== undefined && end <= cutoff) expired.push(r.id);
    }
    const purged = await this.cards.deleteCards(expired);
    return { purged, next: rows.length < batch ? '' : rows[rows.length - 1].id };
  }

  /** The first instant after the card's expiry month (UTC); undefined when it cannot be opened. */
  private expiryEnd(r: SealedExpiryRow): number | undefined {
    let dek: Buffer | undefined;
    try {
      dek = unwrapDataKey(r.wrapped_dek, this.keyring.get(r.kek_version), r.id);
      const [month, year] = decryptField(r.expiry_enc, dek, { recordId: r.id, field: 'expiry', keyVersion: r.field_key_version })
        .toString()
        .split('/');
      const m = Number(month);
      const y = 2000 + Number(year);
      return Number.isInteger(m) && Number.isInteger(y) ? Date.UTC(y, m, 1) : undefined;
    } catch {
      return undefined;
    } finally {
      dek?.fill(0);
    }
  }

  /** One-time cards whose token expired a day ago (used or not) are shredded: nothing may use them again. */
  purgeExpiredOneTimeCards(): Promise<number> {
    return this.cards.purgeExpiredOneTimeCards();
  }
}

/** A card's vault rows, ready to be written: ciphertext only, plus the masked view for the caller. */
export interface PreparedCard {
  card: MaskedCard;
  rows: Array<[name: string, row: Sql]>;
}

/*
 * The CVV under its own data key (PCI DSS 3.3.1.2), never the card's: the key is wrapped by the KEK and
 * stored in `cvv_key` (UNLOGGED, deleted with the CVV), so destroying the CVV destroys the only key that
 * opens any copy of its ciphertext (WAL, backup, replica). The wrap's AAD names the record and `cvv`, so
 * the card's wrapped key and the CVV's cannot stand in for each other.
 */
function sealCvv(cvv: string, cardId: string, kek: KeyEncryptionKey, ttlSeconds: number): [Partial<CardSecret>, Partial<CvvKey>] {
  const key = newDataKey();
  try {
    return [
      {
        cardId,
        cvvEnc: encryptField(Buffer.from(cvv), key, { recordId: cardId, field: 'cvv', keyVersion: kek.version }),
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      },
      { cardId, kekVersion: kek.version, wrappedKey: wrapDataKey(key, kek, cvvKeyId(cardId)) },
    ];
  } finally {
    key.fill(0);
  }
}

/** Undefined when the CVV is gone, past its TTL or its key was destroyed (a crash truncates `cvv_key`). */
function openCvv(record: SealedCardRow, keyring: Keyring): string | undefined {
  if (!record.cvv_enc || !record.cvv_live || !record.cvv_wrapped_key || record.cvv_kek_version === null) return undefined;
  const key = unwrapDataKey(record.cvv_wrapped_key, keyring.get(record.cvv_kek_version), cvvKeyId(record.id));
  try {
    return decryptField(record.cvv_enc, key, { recordId: record.id, field: 'cvv', keyVersion: record.cvv_kek_version }).toString();
  } finally {
    key.fill(0);
  }
}

export const cvvKeyId = (cardId: string) => `${cardId}/cvv`;

function toStore(collected: CollectedCard): CardToStore {
  const c = revealCollectedCard(collected);
  return {
    pan: c.pan,
    cvv: c.cvv,
    expiryMonth: c.expiryMonth,
    expiryYear: c.expiryYear,
    cardholderName: c.cardholderName as Record<string, string> | undefined,
    brands: c.brands,
    bin: c.bin,
    last4: c.last4,
  };
}

/** A card is valid through the last day of its expiry month (UTC, the generous reading). */
function isPastExpiry(month: string, year: string): boolean {
  const m = Number(month);
  const y = 2000 + Number(year);
  if (!Number.isInteger(m) || !Number.isInteger(y)) return true;
  return Date.now() >= Date.UTC(y, m, 1);
}
