import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../../antom/antom-error';
import { GatewayConfig } from '../../config/gateway-config';
import { collectedCard, tokenCard } from '../vault/vault.fakes';
import { VaultService } from '../vault/vault.service';
import { CardCollectionService } from './card-collection.service';
import { CardTokensService } from './card-tokens.service';

const NOW = new Date('2026-12-07T12:00:00Z');
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );

describe('CardTokensService', () => {
  const setup = () => {
    const db = mock<DataSource>();
    const tx = mock<EntityManager>();
    const cards = mock<CardCollectionService>();
    const vault = mock<VaultService>();
    db.transaction.mockImplementation((async (run: (m: EntityManager) => Promise<unknown>) => run(tx)) as never);
    cards.collect.mockReturnValue(collectedCard());
    cards.store.mockResolvedValue({ cardId: 'card-1', token: 'tok_new', bin: '41111111', last4: '1111', brands: ['VISA', 'CARTES_BANCAIRES'] });
    const config = Object.assign(new GatewayConfig(), { VAULT_TOKEN_TTL_SECONDS: 900, VAULT_CVV_TTL_SECONDS: 300 });
    return { db, tx, cards, vault, service: new CardTokensService(db, cards, vault, config) };
  };
  beforeEach(() => jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  describe('store', () => {
    it('a one-time token: validated without CVV requirement, stored in a transaction, with its expiry', async () => {
      const { cards, tx, service } = setup();
      const view = await service.store('m-1', { meta: { cardNo: 'x' }, onFile: false, buyerEnv: { clientIp: '203.0.113.9' } });
      expect(cards.collect).toHaveBeenCalledWith('m-1', { cardNo: 'x' }, false);
      expect(cards.store).toHaveBeenCalledWith(tx, 'm-1', expect.anything(), {
        requireCvv: false,
        onFile: false,
        cvvTtlSeconds: 300,
        tokenTtlSeconds: 900,
        buyerEnv: { clientIp: '203.0.113.9' },
      });
      expect(view).toEqual({
        cardToken: 'tok_new',
        cardBin: '41111111',
        lastFour: '1111',
        cardBrand: 'VISA',
        cardBrands: ['VISA', 'CARTES_BANCAIRES'],
        onFile: false,
        tokenExpiryTime: '2026-12-07T12:15:00.000+00:00',
      });
    });

    it('an on-file token has no expiry', async () => {
      const { cards, service } = setup();
      const view = await service.store('m-1', { meta: {}, onFile: true });
      expect(cards.store.mock.calls[0][3].tokenTtlSeconds).toBeUndefined();
      expect(view.tokenExpiryTime).toBeUndefined();
      expect(view.onFile).toBe(true);
    });

    it('a card without a known brand is UNKNOWN', async () => {
      const { cards, service } = setup();
      cards.store.mockResolvedValue({ cardId: 'c', token: 't', bin: '99999999', last4: '0000', brands: [] });
      expect((await service.store('m-1', { meta: {}, onFile: true })).cardBrand).toBe('UNKNOWN');
    });

    it('a card failing validation writes nothing', async () => {
      const { cards, db, service } = setup();
      cards.collect.mockImplementation(() => {
        throw new AntomError('INVALID_CARD_NUMBER');
      });
      expect(await asyncCodeOf(service.store('m-1', { meta: {}, onFile: true }))).toBe('INVALID_CARD_NUMBER');
      expect(db.transaction).not.toHaveBeenCalled();
    });

    it("collect + storeCollected store in the caller's transaction and answer the card id", async () => {
      const { cards, service } = setup();
      const tx = mock<EntityManager>();
      const c = service.collect('m-1', { cardNo: 'x' });
      await expect(service.storeCollected(tx, 'm-1', c, true)).resolves.toMatchObject({ cardId: 'card-1', view: { cardToken: 'tok_new' } });
      expect(cards.store.mock.calls[0][0]).toBe(tx);
    });
  });

  describe('resolve', () => {
    it("answers this merchant's live token", async () => {
      const { vault, service } = setup();
      vault.findToken.mockResolvedValue(tokenCard());
      await expect(service.resolve('m-1', 'tok_1')).resolves.toMatchObject({ cardId: 'card-1' });
    });

    it.each<[string, string, ReturnType<typeof tokenCard> | null]>([
      ['an unknown token', 'tok_x', null],
      ["another merchant's token (same code: no hint it exists)", 'tok_1', tokenCard({ merchantId: 'm-2' })],
    ])('%s is INVALID_CARD_TOKEN', async (_what, token, card) => {
      const { vault, service } = setup();
      vault.findToken.mockResolvedValue(card);
      expect(await asyncCodeOf(service.resolve('m-1', token))).toBe('INVALID_CARD_TOKEN');
    });

    it('a token without the tok_ prefix is not even looked up', async () => {
      const { vault, service } = setup();
      expect(await asyncCodeOf(service.resolve('m-1', 'acq_token'))).toBe('INVALID_CARD_TOKEN');
      expect(await asyncCodeOf(service.resolve('m-1', 42 as unknown as string))).toBe('INVALID_CARD_TOKEN');
      expect(vault.findToken).not.toHaveBeenCalled();
    });

    it('a token expired at this very millisecond is CARD_TOKEN_EXPIRED; one millisecond before, it works', async () => {
      const { vault, service } = setup();
      vault.findToken.mockResolvedValue(tokenCard({ onFile: false, tokenExpiresAt: new Date(NOW.getTime()) }));
      expect(await asyncCodeOf(service.resolve('m-1', 'tok_1'))).toBe('CARD_TOKEN_EXPIRED');
      vault.findToken.mockResolvedValue(tokenCard({ onFile: false, tokenExpiresAt: new Date(NOW.getTime() + 1) }));
      expect(await asyncCodeOf(service.resolve('m-1', 'tok_1'))).toBe('ok');
    });

    it('a spent one-time token is CARD_TOKEN_USED; an on-file token is never spent', async () => {
      const { vault, service } = setup();
      vault.findToken.mockResolvedValue(tokenCard({ onFile: false, consumedAt: NOW }));
      expect(await asyncCodeOf(service.resolve('m-1', 'tok_1'))).toBe('CARD_TOKEN_USED');
      vault.findToken.mockResolvedValue(tokenCard({ onFile: true, consumedAt: NOW }));
      expect(await asyncCodeOf(service.resolve('m-1', 'tok_1'))).toBe('ok');
    });
  });

  describe('delete', () => {
    it("shreds the merchant's card", async () => {
      const { vault, service } = setup();
      vault.shred.mockResolvedValue(true);
      await expect(service.delete('m-1', 'tok_1')).resolves.toBeUndefined();
      expect(vault.shred).toHaveBeenCalledWith('m-1', 'tok_1');
    });

    it('an unknown or foreign token is INVALID_CARD_TOKEN', async () => {
      const { vault, service } = setup();
      vault.shred.mockResolvedValue(false);
      expect(await asyncCodeOf(service.delete('m-1', 'tok_1'))).toBe('INVALID_CARD_TOKEN');
    });

    it.each([[''], [null], [42], [undefined]])('a cardToken of %j is PARAM_ILLEGAL', async (token) => {
      const { vault, service } = setup();
      expect(await asyncCodeOf(service.delete('m-1', token))).toBe('PARAM_ILLEGAL');
      expect(vault.shred).not.toHaveBeenCalled();
    });
  });
});
