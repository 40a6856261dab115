import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../../../antom/antom-error';
import { GatewayConfig } from '../../../config/gateway-config';
import { GatewayAddress } from '../../../platform/http/gateway-address';
import { collectedCard } from '../../vault/vault.fakes';
import { CardCollectionService } from '../card-collection.service';
import { CollectSessionRepository, SubmitSessionRow } from './collect-session.repository';
import { CollectSessionService } from './collect-session.service';

const NOW = new Date('2026-12-07T12:00:00Z');
const SESSION_ID = `cs_${'A'.repeat(32)}`;
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );
const session = (over: Partial<SubmitSessionRow> = {}): SubmitSessionRow => ({
  merchant_id: 'm-1',
  on_file: false,
  accept_header: 'text/html',
  attempts: 0,
  card_id: null,
  live: true,
  ...over,
});
const CARD = { cardNo: '4111111111111111', expiryMonth: '12', expiryYear: '30', cvv: '123' };

describe('CollectSessionService', () => {
  const setup = () => {
    const config = Object.assign(new GatewayConfig(), {
      GATEWAY_PUBLIC_URL: 'https://pay.gateway.example',
      VAULT_COLLECT_SESSION_TTL_SECONDS: 1800,
      VAULT_TOKEN_TTL_SECONDS: 900,
      VAULT_CVV_TTL_SECONDS: 300,
    });
    const db = mock<DataSource>();
    const tx = mock<EntityManager>();
    const sessions = mock<CollectSessionRepository>();
    const cards = mock<CardCollectionService>();
    db.transaction.mockImplementation((async (run: (m: EntityManager) => Promise<unknown>) => run(tx)) as never);
    sessions.allowedOrigins.mockResolvedValue(['https://shop.example']);
    cards.collect.mockReturnValue(collectedCard());
    cards.store.mockResolvedValue({ cardId: 'card-1', token: 'tok_new', bin: '41111111', last4: '1111', brands: ['VISA'] });
    return { db, tx, sessions, cards, service: new CollectSessionService(new GatewayAddress(config), db, sessions, cards, config) };
  };
  beforeEach(() => jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  describe('create', () => {
    it("opens a session for one of the merchant's allowed origins, with an unguessable id", async () => {
      const { sessions, service } = setup();
      const a = await service.create('m-1', 'https://shop.example', true);
      const b = await service.create('m-1', 'https://shop.example/', false);
      expect(a).toEqual({
        sessionId: expect.stringMatching(/^cs_[A-Za-z0-9_-]{32}$/),
        collectUrl: `https://pay.gateway.example/collect/${a.sessionId}`,
        expiryTime: '2026-12-07T12:30:00.000+00:00',
      });
      expect(b.sessionId).not.toBe(a.sessionId);
      expect(sessions.insert).toHaveBeenCalledWith({
        id: a.sessionId,
        merchantId: 'm-1',
        parentOrigin: 'https://shop.example',
        onFile: true,
        ttlSeconds: 1800,
      });
    });

    it.each(['https://shop.example/path', 'http://shop.example', 'https://*.example', 'javascript:alert(1)', 42, 'https://a.example; script-src *'])(
      'refuses the origin %j: PARAM_ILLEGAL',
      async (origin) => {
        const { sessions, service } = setup();
        expect(await asyncCodeOf(service.create('m-1', origin, false))).toBe('PARAM_ILLEGAL');
        expect(sessions.insert).not.toHaveBeenCalled();
      },
    );

    it('an origin the merchant has not allowed is ACCESS_DENIED', async () => {
      const { sessions, service } = setup();
      expect(await asyncCodeOf(service.create('m-1', 'https://evil.example', false))).toBe('ACCESS_DENIED');
      expect(sessions.insert).not.toHaveBeenCalled();
    });
  });

  it('setAllowedOrigins stores normalized origins and refuses the whole list for one bad entry', async () => {
    const { sessions, service } = setup();
    await expect(service.setAllowedOrigins('m-1', ['https://a.example/', 'http://localhost:3000'])).resolves.toEqual([
      'https://a.example',
      'http://localhost:3000',
    ]);
    expect(sessions.setAllowedOrigins).toHaveBeenCalledWith('m-1', ['https://a.example', 'http://localhost:3000']);
    await expect(service.setAllowedOrigins('m-1', ['https://a.example', 'ftp://b.example'])).rejects.toThrow(/every allowed origin/);
    expect(sessions.setAllowedOrigins).toHaveBeenCalledTimes(1);
  });

  describe('open', () => {
    it('a live session: its view, the Accept header remembered (cut to 2 KiB)', async () => {
      const { sessions, service } = setup();
      sessions.open.mockResolvedValue({
        id: SESSION_ID,
        merchant_id: 'm-1',
        parent_origin: 'https://shop.example',
        on_file: true,
        framed: true,
        redirect_url: null,
      });
      await expect(service.open(SESSION_ID, 'a'.repeat(3000))).resolves.toEqual({
        id: SESSION_ID,
        merchantId: 'm-1',
        parentOrigin: 'https://shop.example',
        onFile: true,
        framed: true,
        redirectUrl: null,
      });
      expect(sessions.open).toHaveBeenCalledWith(SESSION_ID, 'a'.repeat(2048), 5);
    });

    it('no Accept header is remembered as null; a closed session is null', async () => {
      const { sessions, service } = setup();
      sessions.open.mockResolvedValue(undefined);
      await expect(service.open(SESSION_ID, undefined)).resolves.toBeNull();
      expect(sessions.open).toHaveBeenCalledWith(SESSION_ID, null, 5);
    });

    it.each(['cs_short', `cs_${'A'.repeat(31)}!`, `xx_${'A'.repeat(32)}`, `cs_${'A'.repeat(33)}`])(
      'an id of the wrong shape (%s) is null without a query',
      async (id) => {
        const { sessions, service } = setup();
        await expect(service.open(id, 'text/html')).resolves.toBeNull();
        expect(sessions.open).not.toHaveBeenCalled();
      },
    );
  });

  describe('submit', () => {
    const server = { userAgent: 'Mozilla/5.0', clientIp: '203.0.113.9' };

    it('stores the card for the session (CVV required), closes it with the card and tells the listeners in the same transaction', async () => {
      const { sessions, cards, tx, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session());
      const heard: unknown[] = [];
      service.onCardStored(async (t, stored) => {
        heard.push([t, stored]);
      });
      const r = await service.submit(SESSION_ID, { ...CARD, browserInfo: { colorDepth: 24 }, extra: 'dropped' }, server);
      expect(r).toEqual({
        result: expect.objectContaining({ resultStatus: 'S' }),
        card: { cardToken: 'tok_new', cardBin: '41111111', lastFour: '1111', cardBrand: 'VISA', cardBrands: ['VISA'], onFile: false },
      });
      expect(sessions.countAttempt).toHaveBeenCalledWith(tx, SESSION_ID);
      expect(cards.collect).toHaveBeenCalledWith('m-1', { ...CARD, cardholderName: undefined }, true);
      expect(cards.store).toHaveBeenCalledWith(
        tx,
        'm-1',
        expect.anything(),
        expect.objectContaining({
          requireCvv: true,
          onFile: false,
          cvvTtlSeconds: 300,
          tokenTtlSeconds: 900,
          buyerEnv: expect.objectContaining({
            terminalType: 'WEB',
            clientIp: '203.0.113.9',
            browserInfo: expect.objectContaining({ acceptHeader: 'text/html' }),
          }),
        }),
      );
      expect(sessions.attachCard).toHaveBeenCalledWith(tx, SESSION_ID, 'card-1');
      expect(heard).toEqual([[tx, { sessionId: SESSION_ID, merchantId: 'm-1', cardId: 'card-1', card: r.card }]]);
    });

    it('an on-file session stores a token without expiry', async () => {
      const { sessions, cards, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session({ on_file: true }));
      await service.submit(SESSION_ID, CARD, server);
      expect(cards.store.mock.calls[0][3]).toMatchObject({ onFile: true, tokenTtlSeconds: undefined });
    });

    it.each<[string, SubmitSessionRow | undefined]>([
      ['an unknown session', undefined],
      ['an expired session', session({ live: false })],
      ['a session that already stored a card (a double submit)', session({ card_id: 'card-0' })],
      ['a session out of attempts (5)', session({ attempts: 5 })],
    ])('%s is ORDER_IS_CLOSED, and no attempt is counted', async (_what, row) => {
      const { sessions, cards, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(row);
      const r = await service.submit(SESSION_ID, CARD, server);
      expect(r.result).toMatchObject({ resultCode: 'ORDER_IS_CLOSED' });
      expect(sessions.countAttempt).not.toHaveBeenCalled();
      expect(cards.collect).not.toHaveBeenCalled();
    });

    it('a session at its 5th attempt still takes it', async () => {
      const { sessions, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session({ attempts: 4 }));
      expect((await service.submit(SESSION_ID, CARD, server)).result).toMatchObject({ resultStatus: 'S' });
    });

    it('a card failing validation is answered with its code and counted as an attempt; nothing stored', async () => {
      const { sessions, cards, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session());
      cards.collect.mockImplementation(() => {
        throw new AntomError('INVALID_CVV');
      });
      const r = await service.submit(SESSION_ID, { ...CARD, cvv: '1' }, server);
      expect(r).toEqual({ result: expect.objectContaining({ resultCode: 'INVALID_CVV' }) });
      expect(sessions.countAttempt).toHaveBeenCalledTimes(1);
      expect(cards.store).not.toHaveBeenCalled();
    });

    it('an unexpected error rolls the transaction back (it is thrown, not answered)', async () => {
      const { sessions, cards, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session());
      cards.collect.mockImplementation(() => {
        throw new TypeError('bug');
      });
      await expect(service.submit(SESSION_ID, CARD, server)).rejects.toThrow('bug');
    });

    it('a listener that throws fails the submit (its transaction rolls the card back)', async () => {
      const { sessions, service } = setup();
      sessions.lockForSubmit.mockResolvedValue(session());
      service.onCardStored(async () => {
        throw new Error('vaulting row locked');
      });
      await expect(service.submit(SESSION_ID, CARD, server)).rejects.toThrow('vaulting row locked');
    });
  });

  describe('vaulting pages', () => {
    it("createVaultingPage opens a top-level page on the gateway's own origin, in the caller's transaction", async () => {
      const { sessions, service } = setup();
      const expires = new Date('2026-12-07T12:30:00Z');
      sessions.insertVaultingPage.mockResolvedValue(expires);
      const tx = mock<EntityManager>();
      const page = await service.createVaultingPage(tx, 'm-1', 'https://shop.example/done');
      expect(page).toEqual({
        sessionId: expect.stringMatching(/^cs_/),
        normalUrl: `https://pay.gateway.example/collect/${page.sessionId}`,
        expiresAt: expires,
      });
      expect(sessions.insertVaultingPage).toHaveBeenCalledWith(
        tx,
        { id: page.sessionId, merchantId: 'm-1', parentOrigin: 'https://pay.gateway.example', ttlSeconds: 1800 },
        'https://shop.example/done',
      );
    });

    it.each<[string, { card_id: string | null; live: boolean } | undefined, boolean]>([
      ['a live session without a card', { card_id: null, live: true }, true],
      ['a spent session', { card_id: 'card-1', live: true }, false],
      ['an expired session', { card_id: null, live: false }, false],
      ['no session', undefined, false],
    ])('lockOpenVaultingPage: %s → %s', async (_what, row, open) => {
      const { sessions, service } = setup();
      sessions.lockVaultingPage.mockResolvedValue(row);
      await expect(service.lockOpenVaultingPage(mock<EntityManager>(), SESSION_ID)).resolves.toBe(open);
    });

    it('attachCard closes the session with the card', async () => {
      const { sessions, service } = setup();
      const tx = mock<EntityManager>();
      await service.attachCard(tx, SESSION_ID, 'card-9');
      expect(sessions.attachCard).toHaveBeenCalledWith(tx, SESSION_ID, 'card-9');
    });
  });
});
