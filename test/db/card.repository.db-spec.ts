import { randomBytes, randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { CardRecord, CardSecret } from '../../src/pci/vault/card.entity';
import { CardRepository, destroyCvvSql } from '../../src/pci/vault/card.repository';
import { insertMerchant } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/**
 * The vault's card and card_secret tables against PostgreSQL: the one-time token spent once, the CVV's life and
 * destruction, the purges, the key-rotation batches (SKIP LOCKED, keyset by id), consent kept from the first time.
 * The ciphertext here is random bytes: the crypto is the unit tier's; this is the SQL.
 */
describe('CardRepository (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let cards: CardRepository;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase(8);
    ds = db.ds;
    cards = new CardRepository(ds);
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());

  /** A card row (and with `cvvFor` seconds, its CVV row), as the vault writes them. */
  async function storeCard(fields: Partial<CardRecord> = {}, cvvFor?: number): Promise<CardRecord> {
    const card: Partial<CardRecord> = {
      id: randomUUID(),
      token: newToken(),
      merchantId,
      kekVersion: 1,
      fieldKeyVersion: 1,
      wrappedDek: randomBytes(60),
      panEnc: randomBytes(44),
      expiryEnc: randomBytes(32),
      holderEnc: null,
      fingerprint: randomBytes(32).toString('hex'),
      bin: '400000',
      last4: '0002',
      brands: ['VISA'],
      onFile: false,
      tokenExpiresAt: new Date(Date.now() + 3_600_000),
      ...fields,
    };
    const secret: Partial<CardSecret> | undefined =
      cvvFor === undefined ? undefined : { cardId: card.id, cvvEnc: randomBytes(30), expiresAt: new Date(Date.now() + cvvFor * 1000) };
    const cvvKey = secret ? { cardId: card.id, kekVersion: 1, wrappedKey: randomBytes(60) } : undefined; // the CVV's own key (3.3.1.2)
    await ds.transaction((tx) => cards.insert(tx, cards.insertStatements(card, secret, cvvKey)));
    return card as CardRecord;
  }

  it('stores the card and its CVV; the sealed read gives both from one snapshot, the token view no ciphertext', async () => {
    const card = await storeCard({}, 600);
    const sealed = (await cards.sealed(card.id))!;
    expect(Buffer.compare(sealed.pan_enc, card.panEnc)).toBe(0);
    expect(sealed.cvv_live).toBe(true);
    expect(sealed.cvv_wrapped_key).not.toBeNull(); // the CVV's own key, read in the same snapshot
    const view = (await cards.findToken(card.token))!;
    expect(view).toMatchObject({ cardId: card.id, merchantId, bin: '400000', last4: '0002', brands: ['VISA'], onFile: false, hasCvv: true });
    expect(Object.values(view).some((v) => Buffer.isBuffer(v))).toBe(false);
    expect(await cards.findToken('tok_nobody')).toBeNull();
  });

  it('a one-time token is spent once: of five concurrent payments, one consumes it', async () => {
    const card = await storeCard();
    const wins = await Promise.all(Array.from({ length: 5 }, () => ds.transaction((tx) => cards.consumeOneTime(tx, card.id))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await cards.findToken(card.token))!.consumedAt).toBeInstanceOf(Date);
  });

  it('destroys the CVV after the authorization (also as a CTE conditional on another write), and the card stays', async () => {
    const card = await storeCard({}, 600);
    // Conditional form: nothing is destroyed when the CTE it follows returned no row.
    const cond = destroyCvvSql(card.id, 'nothing');
    await ds.query(`WITH nothing AS (SELECT 1 WHERE false) ${cond.text}`, cond.values);
    expect((await cards.findToken(card.token))!.hasCvv).toBe(true);
    await ds.transaction((tx) => cards.destroyCvv(tx, card.id));
    expect((await cards.findToken(card.token))!.hasCvv).toBe(false);
    expect((await cards.sealed(card.id))!.cvv_enc).toBeNull();
    expect((await ds.query('SELECT count(*)::int AS n FROM cvv_key WHERE card_id = $1', [card.id]))[0].n).toBe(0); // its key went with it
  });

  it('purges expired CVVs only, and one-time cards a day past their token expiry (never a card on file)', async () => {
    const expiredCvv = await storeCard({}, -5);
    const liveCvv = await storeCard({}, 600);
    expect((await cards.findToken(expiredCvv.token))!.hasCvv).toBe(false); // expired reads as gone before the purge
    expect(await cards.purgeExpiredCvvs()).toBeGreaterThanOrEqual(1);
    expect((await cards.sealed(expiredCvv.id))!.cvv_enc).toBeNull();
    expect((await cards.sealed(liveCvv.id))!.cvv_live).toBe(true);

    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const oldOneTime = await storeCard({ tokenExpiresAt: twoDaysAgo });
    const recentOneTime = await storeCard({ tokenExpiresAt: new Date(Date.now() - 3_600_000) });
    const onFile = await storeCard({ tokenExpiresAt: twoDaysAgo, onFile: true });
    await cards.purgeExpiredOneTimeCards();
    expect(await cards.findToken(oldOneTime.token)).toBeNull();
    expect(await cards.findToken(recentOneTime.token)).not.toBeNull();
    expect(await cards.findToken(onFile.token)).not.toBeNull();
  });

  it('deletes a token only for its own merchant; its CVV row goes with it', async () => {
    const card = await storeCard({}, 600);
    const other = await insertMerchant(ds);
    expect(await cards.deleteByToken(other, card.token)).toBe(false);
    expect(await cards.deleteByToken(merchantId, card.token)).toBe(true);
    expect((await ds.query(`SELECT count(*)::int AS n FROM card_secret WHERE card_id = $1`, [card.id]))[0].n).toBe(0);
  });

  it('keeps consent and the network transaction id from the first time, and only for a card on file', async () => {
    const onFile = await storeCard({ onFile: true });
    await cards.recordConsent(onFile.id, 'NTID-1');
    const first = (await cards.consentOf(onFile.id))!;
    await cards.recordConsent(onFile.id, 'NTID-2');
    const again = (await cards.consentOf(onFile.id))!;
    expect([again.network_transaction_id, again.consent_at!.getTime()]).toEqual(['NTID-1', first.consent_at!.getTime()]);
    const oneTime = await storeCard();
    await cards.recordConsent(oneTime.id, 'NTID-3');
    expect(await cards.consentOf(oneTime.id)).toEqual({ consent_at: null, network_transaction_id: null });
  });

  it('key rotation: batches in id order after the cursor, skipping rows another rotator holds, until nothing is left under the old KEK', async () => {
    await ds.query(`DELETE FROM card`);
    const ids = (await Promise.all(Array.from({ length: 7 }, () => storeCard({ kekVersion: 1 })))).map((c) => c.id).sort();
    expect(await cards.census()).toEqual({ 1: 7 });

    // Another rotator holds the first batch of three: this one skips those rows instead of waiting.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let hasBatch!: (ids: string[]) => void;
    const gotBatch = new Promise<string[]>((r) => (hasBatch = r));
    const other = new CardRepository(await db.second());
    const holder = (await db.second()).transaction(async (tx) => {
      hasBatch((await other.lockRewrapBatch(tx, 2, '00000000-0000-0000-0000-000000000000', 3)).map((r) => r.id));
      await held;
    });
    const theirs = await gotBatch;
    expect(theirs).toEqual(ids.slice(0, 3));
    const mine = await ds.transaction(async (tx) => {
      const batch = await cards.lockRewrapBatch(tx, 2, '00000000-0000-0000-0000-000000000000', 10);
      for (const r of batch) await cards.rewrapKey(tx, r.id, randomBytes(60), 2);
      return batch.map((r) => r.id);
    });
    expect(mine).toEqual(ids.slice(3));
    release();
    await holder;
    expect(await cards.census()).toEqual({ 1: 3, 2: 4 });

    // The cursor: a batch after the third id starts at the fourth (already moved: nothing under 1 after it).
    await ds.transaction(async (tx) => expect(await cards.lockRewrapBatch(tx, 2, ids[2], 10)).toEqual([]));
    await ds.transaction(async (tx) => {
      for (const r of await cards.lockRewrapBatch(tx, 2, '00000000-0000-0000-0000-000000000000', 10))
        await cards.rewrapKey(tx, r.id, randomBytes(60), 2);
      expect(await cards.countUnder(tx, 1)).toBe(0);
    });
    expect(await cards.census()).toEqual({ 2: 7 });
  });
});

/** A vault token as the vault makes them (random, opaque). */
function newToken(): string {
  return 'tok_' + randomBytes(12).toString('hex');
}
