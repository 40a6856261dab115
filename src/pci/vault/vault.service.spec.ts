import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { Sql, sql } from '../../platform/database/sql';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { CardRecord, CardSecret, CvvKey } from './card.entity';
import { CardRepository, SealedCardRow } from './card.repository';
import { decryptField, unwrapDataKey } from './crypto/envelope';
import { Keyring } from './crypto/keyring';
import { RawCard } from './raw-card';
import { collectedCard, memoryKeyring, tokenCard } from './vault.fakes';
import { VaultService } from './vault.service';
import { CardExpiredError, CardNotFoundError, VaultIntegrityError, VaultKeyError } from './vault-errors';

const PAN = '4111111111111111';
const ROWS: Array<[string, Sql]> = [['card_row', sql('INSERT INTO card …')]];

describe('VaultService', () => {
  const setup = (keyring: Keyring = memoryKeyring()) => {
    const cards = mock<CardRepository>();
    const metrics = mock<MetricsService>();
    cards.insertStatements.mockReturnValue(ROWS);
    return { cards, metrics, keyring, vault: new VaultService(cards, keyring, metrics) };
  };
  /** What `prepareCollected` asked the repository to write, read back as `sealed` would return it. */
  const sealedFrom = (cards: ReturnType<typeof setup>['cards'], cvvLive = true): SealedCardRow => {
    const [record, secret, cvvKey] = cards.insertStatements.mock.calls.at(-1)! as [
      Partial<CardRecord>,
      Partial<CardSecret> | undefined,
      Partial<CvvKey> | undefined,
    ];
    return {
      id: record.id!,
      kek_version: record.kekVersion!,
      field_key_version: record.fieldKeyVersion!,
      wrapped_dek: record.wrappedDek!,
      pan_enc: record.panEnc!,
      expiry_enc: record.expiryEnc!,
      holder_enc: record.holderEnc ?? null,
      cvv_enc: secret?.cvvEnc ?? null,
      cvv_live: secret ? cvvLive : null,
      cvv_kek_version: cvvKey?.kekVersion ?? null,
      cvv_wrapped_key: cvvKey?.wrappedKey ?? null,
    };
  };
  const open = async (vault: VaultService, id = 'any') => {
    let seen: RawCard | undefined;
    await vault.withCard(id, async (c) => {
      seen = { ...c };
    });
    return seen!;
  };
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  describe('prepareCollected', () => {
    it('writes ciphertext only: no card number nor CVV in what goes to the repository', () => {
      const { cards, metrics, vault } = setup();
      const prepared = vault.prepareCollected('m-1', collectedCard({ cardholderName: { firstName: 'Ada', lastName: 'Lovelace' } }), {
        onFile: true,
        cvvTtlSeconds: 600,
      });
      expect(prepared.rows).toBe(ROWS);
      expect(prepared.card).toEqual({
        cardId: expect.any(String),
        token: expect.stringMatching(/^tok_/),
        bin: '41111111',
        last4: '1111',
        brands: ['VISA'],
      });
      const written = cards.insertStatements.mock.calls[0];
      const text = JSON.stringify(written, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
      expect(text).not.toContain(PAN);
      expect(text).not.toContain('Lovelace');
      expect(written[0]).toMatchObject({
        merchantId: 'm-1',
        bin: '41111111',
        last4: '1111',
        fingerprint: 'fp-1',
        onFile: true,
        tokenExpiresAt: null,
        kekVersion: 1,
        fieldKeyVersion: 1,
      });
      expect(written[1]).toMatchObject({ cardId: prepared.card.cardId, expiresAt: new Date('2026-12-07T12:10:00Z') });
      expect(metrics.countVault).toHaveBeenCalledWith('encrypt', 'ok');
    });

    it('a one-time token expires after its TTL; a card without CVV writes no secret row', () => {
      const { cards, vault } = setup();
      vault.prepareCollected('m-1', collectedCard({ cvv: undefined }), {
        onFile: false,
        cvvTtlSeconds: 600,
        tokenTtlSeconds: 900,
        buyerEnv: { clientIp: '203.0.113.9' },
      });
      const [record, secret] = cards.insertStatements.mock.calls[0];
      expect(record).toMatchObject({ onFile: false, tokenExpiresAt: new Date('2026-12-07T12:15:00Z'), buyerEnv: { clientIp: '203.0.113.9' } });
      expect(secret).toBeUndefined();
    });

    it('new keys per card: the same card twice gives other ids, tokens and ciphertext', () => {
      const { cards, vault } = setup();
      const a = vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      const b = vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      expect(a.card.cardId).not.toBe(b.card.cardId);
      expect(a.card.token).not.toBe(b.card.token);
      expect(cards.insertStatements.mock.calls[0][0].panEnc!.equals(cards.insertStatements.mock.calls[1][0].panEnc!)).toBe(false);
    });

    it('seals the CVV under its own key (3.3.1.2): once that key is destroyed, nothing the card row and keyring hold opens a copy of the CVV ciphertext', async () => {
      const keyring = memoryKeyring();
      const { cards, vault } = setup(keyring);
      vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 600 });
      const row = sealedFrom(cards);
      const capturedCvv = row.cvv_enc!; // what a WAL segment or a backup taken before the authorization holds
      expect(row.cvv_wrapped_key).not.toBeNull();
      expect(row.cvv_wrapped_key!.equals(row.wrapped_dek)).toBe(false);
      // After the authorization the CVV's rows (and its key with them) are gone; the card stays on file.
      const cardDek = unwrapDataKey(row.wrapped_dek, keyring.get(row.kek_version), row.id);
      for (const keyVersion of [row.field_key_version, row.kek_version]) {
        expect(() => decryptField(capturedCvv, cardDek, { recordId: row.id, field: 'cvv', keyVersion })).toThrow(VaultIntegrityError);
      }
      cards.sealed.mockResolvedValue({ ...row, cvv_live: null, cvv_kek_version: null, cvv_wrapped_key: null });
      expect((await open(vault)).cvv).toBeUndefined();
      // Before that, the CVV opens with its own key only.
      cards.sealed.mockResolvedValue(row);
      expect((await open(vault)).cvv).toBe('123');
      cards.sealed.mockResolvedValue({ ...row, cvv_wrapped_key: row.wrapped_dek });
      await expect(vault.withCard('c', jest.fn())).rejects.toBeInstanceOf(VaultIntegrityError);
    });

    it('counts an encryption failure and throws it', () => {
      const keyring = mock<Keyring>();
      keyring.active.mockImplementation(() => {
        throw new VaultKeyError('no active key');
      });
      const { metrics, vault } = setup(keyring);
      expect(() => vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 })).toThrow(VaultKeyError);
      expect(metrics.countVault).toHaveBeenCalledWith('encrypt', 'error');
    });
  });

  describe('store / storeCollected', () => {
    it("writes the rows in the caller's transaction and answers the masked view", async () => {
      const { cards, vault } = setup();
      const tx = mock<EntityManager>();
      const masked = await vault.storeCollected(tx, 'm-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      expect(cards.insert).toHaveBeenCalledWith(tx, ROWS);
      expect(masked).toMatchObject({ bin: '41111111', last4: '1111' });
    });

    it('store without a known fingerprint computes the keyed one', async () => {
      const { cards, vault } = setup();
      await vault.store(
        mock<EntityManager>(),
        'm-1',
        { pan: PAN, expiryMonth: '01', expiryYear: '31', brands: ['VISA'], bin: '41111111', last4: '1111' },
        { onFile: true, cvvTtlSeconds: 60 },
      );
      expect(cards.insertStatements.mock.calls[0][0].fingerprint).toBe(vault.fingerprint(PAN, 'm-1'));
    });
  });

  describe('withCard', () => {
    it('opens what it sealed: card number, expiry, live CVV, holder name', async () => {
      const { cards, metrics, vault } = setup();
      vault.prepareCollected('m-1', collectedCard({ cardholderName: { firstName: 'Ada', lastName: 'Lovelace' } }), {
        onFile: true,
        cvvTtlSeconds: 60,
      });
      cards.sealed.mockResolvedValue(sealedFrom(cards));
      expect(await open(vault)).toEqual({
        cardNo: PAN,
        expiryMonth: '12',
        expiryYear: '30',
        cvv: '123',
        cardholderName: { firstName: 'Ada', lastName: 'Lovelace' },
      });
      expect(metrics.countVault).toHaveBeenCalledWith('decrypt', 'ok');
    });

    it('a CVV past its TTL (or destroyed) is not given out', async () => {
      const { cards, vault } = setup();
      vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      cards.sealed.mockResolvedValue(sealedFrom(cards, false));
      expect((await open(vault)).cvv).toBeUndefined();
    });

    it('an unknown card is CardNotFoundError, counted as a decrypt error, before `use` runs', async () => {
      const { cards, metrics, vault } = setup();
      cards.sealed.mockResolvedValue(undefined);
      const use = jest.fn();
      await expect(vault.withCard('nope', use)).rejects.toBeInstanceOf(CardNotFoundError);
      expect(use).not.toHaveBeenCalled();
      expect(metrics.countVault).toHaveBeenCalledWith('decrypt', 'error');
    });

    it.each<[string, (row: SealedCardRow) => SealedCardRow]>([
      [
        'a flipped ciphertext byte',
        (r) => {
          const pan = Buffer.from(r.pan_enc);
          pan[pan.length - 1] ^= 1;
          return { ...r, pan_enc: pan };
        },
      ],
      ['fields moved to another record', (r) => ({ ...r, id: '00000000-0000-4000-8000-000000000000' })],
      ['the PAN ciphertext swapped into the expiry field', (r) => ({ ...r, expiry_enc: r.pan_enc })],
      ['a relabelled field key version', (r) => ({ ...r, field_key_version: 2 })],
    ])('%s is VaultIntegrityError; nothing reaches `use`', async (_what, tamper) => {
      const { cards, vault } = setup(
        memoryKeyring([
          { version: 1, status: 'active' },
          { version: 2, status: 'decrypt-only' },
        ]),
      );
      vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      cards.sealed.mockResolvedValue(tamper(sealedFrom(cards)));
      const use = jest.fn();
      await expect(vault.withCard('c', use)).rejects.toBeInstanceOf(VaultIntegrityError);
      expect(use).not.toHaveBeenCalled();
    });

    it.each([
      ['an unknown', 7],
      ['a retired', 2],
    ])('a data key wrapped by %s key version is VaultKeyError', async (_what, version) => {
      const { cards, vault } = setup(
        memoryKeyring([
          { version: 1, status: 'active' },
          { version: 2, status: 'retired' },
        ]),
      );
      vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      cards.sealed.mockResolvedValue({ ...sealedFrom(cards), kek_version: version });
      await expect(vault.withCard('c', jest.fn())).rejects.toBeInstanceOf(VaultKeyError);
    });

    it('a card is valid through the last day of its expiry month (UTC), expired from the first of the next', async () => {
      const { cards, vault } = setup();
      vault.prepareCollected('m-1', collectedCard({ expiryMonth: '12', expiryYear: '26' }), { onFile: true, cvvTtlSeconds: 60 });
      cards.sealed.mockResolvedValue(sealedFrom(cards));
      jest.setSystemTime(new Date('2026-12-31T23:59:59.999Z'));
      await expect(open(vault)).resolves.toMatchObject({ expiryMonth: '12', expiryYear: '26' });
      jest.setSystemTime(new Date('2027-01-01T00:00:00Z'));
      await expect(vault.withCard('c', jest.fn())).rejects.toBeInstanceOf(CardExpiredError);
    });

    it('what `use` throws (an upstream failure) passes through and is not a vault error', async () => {
      const { cards, metrics, vault } = setup();
      vault.prepareCollected('m-1', collectedCard(), { onFile: true, cvvTtlSeconds: 60 });
      cards.sealed.mockResolvedValue(sealedFrom(cards));
      await expect(
        vault.withCard('c', async () => {
          throw new Error('socket hang up');
        }),
      ).rejects.toThrow('socket hang up');
      expect(metrics.countVault).toHaveBeenCalledWith('decrypt', 'ok');
      expect(metrics.countVault).not.toHaveBeenCalledWith('decrypt', 'error');
    });
  });

  describe('purgeExpiredStoredCards', () => {
    /** A stored card sealed by the vault, as the expiry batch reads it. */
    const stored = (vault: VaultService, cards: ReturnType<typeof setup>['cards'], expiryMonth: string, expiryYear: string) => {
      vault.prepareCollected('m-1', collectedCard({ expiryMonth, expiryYear }), { onFile: true, cvvTtlSeconds: 60 });
      const r = sealedFrom(cards);
      return { id: r.id, kek_version: r.kek_version, field_key_version: r.field_key_version, wrapped_dek: r.wrapped_dek, expiry_enc: r.expiry_enc };
    };

    it('shreds stored cards whose expiry month ended more than the grace period ago, and only those', async () => {
      const { cards, vault } = setup();
      // now 2026-12-07; grace 90 days: cut-off 2026-09-08. 05/26 ended 2026-06-01 (purged); 08/26 ended 2026-09-01 (purged);
      // 09/26 ended 2026-10-01 (kept, in grace); 12/30 (valid).
      const rows = [
        stored(vault, cards, '05', '26'),
        stored(vault, cards, '08', '26'),
        stored(vault, cards, '09', '26'),
        stored(vault, cards, '12', '30'),
      ];
      cards.onFileExpiryBatch.mockResolvedValue(rows);
      cards.deleteCards.mockResolvedValue(2);
      await expect(vault.purgeExpiredStoredCards('', 4, 90)).resolves.toEqual({ purged: 2, next: rows[3].id });
      expect(cards.onFileExpiryBatch).toHaveBeenCalledWith('', 4);
      expect(cards.deleteCards).toHaveBeenCalledWith([rows[0].id, rows[1].id]);
    });

    it('a short batch ends the walk; a card it cannot open (tampered, key gone) is never deleted on a guess', async () => {
      const { cards, vault } = setup();
      const old = stored(vault, cards, '01', '20');
      const broken = { ...stored(vault, cards, '01', '20'), expiry_enc: Buffer.from(old.expiry_enc) };
      const gone = { ...stored(vault, cards, '01', '20'), kek_version: 9 };
      cards.onFileExpiryBatch.mockResolvedValue([old, broken, gone]);
      cards.deleteCards.mockResolvedValue(1);
      await expect(vault.purgeExpiredStoredCards('x', 500, 90)).resolves.toEqual({ purged: 1, next: '' });
      expect(cards.deleteCards).toHaveBeenCalledWith([old.id]);
    });
  });

  it('withCollectedCard hands over the card held in memory, without reading the database', async () => {
    const { cards, vault } = setup();
    const seen = await vault.withCollectedCard(collectedCard(), async (c) => ({ ...c }));
    expect(seen).toEqual({ cardNo: PAN, expiryMonth: '12', expiryYear: '30', cvv: '123', cardholderName: undefined });
    expect(cards.sealed).not.toHaveBeenCalled();
  });

  it('fingerprint is keyed and scoped to the merchant', () => {
    const { vault } = setup();
    expect(vault.fingerprint(PAN, 'm-1')).toBe(vault.fingerprint(PAN, 'm-1'));
    expect(vault.fingerprint(PAN, 'm-1')).not.toBe(vault.fingerprint(PAN, 'm-2'));
    expect(vault.fingerprint(PAN, 'm-1')).not.toContain('1111');
    expect(setup().vault.fingerprint(PAN, 'm-1')).not.toBe(vault.fingerprint(PAN, 'm-1')); // another fingerprint key
  });

  it("shred answers whether the merchant's token was deleted, counted", async () => {
    const { cards, metrics, vault } = setup();
    cards.deleteByToken.mockResolvedValueOnce(true).mockResolvedValueOnce(false).mockRejectedValueOnce(new Error('db'));
    await expect(vault.shred('m-1', 'tok_a')).resolves.toBe(true);
    await expect(vault.shred('m-1', 'tok_b')).resolves.toBe(false);
    await expect(vault.shred('m-1', 'tok_c')).rejects.toThrow('db');
    expect(cards.deleteByToken).toHaveBeenCalledWith('m-1', 'tok_a');
    expect(metrics.countVault.mock.calls).toEqual([
      ['shred', 'ok'],
      ['shred', 'ok'],
      ['shred', 'error'],
    ]);
  });

  it('token lookups, one-time spending, CVV destruction and the sweeps go to the repository', async () => {
    const { cards, vault } = setup();
    const tx = mock<EntityManager>();
    cards.findToken.mockResolvedValue(tokenCard());
    cards.consumeOneTime.mockResolvedValue(false);
    cards.purgeExpiredCvvs.mockResolvedValue(4);
    cards.purgeExpiredOneTimeCards.mockResolvedValue(2);
    await expect(vault.findToken('tok_1')).resolves.toMatchObject({ cardId: 'card-1' });
    await expect(vault.consumeOneTime(tx, 'card-1')).resolves.toBe(false);
    await vault.destroyCvv(tx, 'card-1');
    expect(cards.destroyCvv).toHaveBeenCalledWith(tx, 'card-1');
    await expect(vault.purgeExpiredCvvs()).resolves.toBe(4);
    await expect(vault.purgeExpiredOneTimeCards()).resolves.toBe(2);
  });
});
