import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../antom/antom-error';
import { VaultPaymentMethodRequestDto } from '../antom/requests/vaulting.dto';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { CardTokensService, StoredCardView } from '../pci/card-collection/card-tokens.service';
import { CollectSessionService, SessionCardListener } from '../pci/card-collection/collect/collect-session.service';
import { collectedCard } from '../pci/vault/vault.fakes';
import { GatewayAddress } from '../platform/http/gateway-address';
import { Vaulting, VaultingRepository } from './vaulting.repository';
import { VaultingService } from './vaulting.service';

const NOW = new Date('2026-12-07T12:00:00Z');
const URL_ = 'https://pay.gateway.example';
const merchant: MerchantIdentity = {
  id: 'm-1',
  clientId: 'C_1',
  status: 'ACTIVE',
  notifyUrl: 'https://shop.example/notify',
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};
const CARD = { cardNo: '4111111111111111', expiryMonth: '12', expiryYear: '30' };
const VIEW: StoredCardView = { cardToken: 'tok_v', cardBin: '41111111', lastFour: '1111', cardBrand: 'VISA', cardBrands: ['VISA'], onFile: true };
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );

const vaulting = (over: Partial<Vaulting> = {}): Vaulting => ({
  id: 'v-1',
  merchantId: 'm-1',
  vaultingRequestId: 'vr-1',
  requestHash: 'h',
  source: 'DIRECT',
  status: 'SUCCESS',
  sessionId: null,
  sessionExpiresAt: null,
  paymentMethodDetail: { paymentMethodDetailType: 'CARD', paymentMethodType: 'CARD', card: { cardToken: 'tok_v' } },
  notifyUrl: 'https://shop.example/notify',
  redirectUrl: null,
  createdAt: NOW,
  completedAt: NOW,
  ...over,
});
const direct = (over: Partial<VaultPaymentMethodRequestDto> = {}): VaultPaymentMethodRequestDto =>
  ({ vaultingRequestId: 'vr-1', paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: CARD }, ...over }) as VaultPaymentMethodRequestDto;

describe('VaultingService', () => {
  const setup = () => {
    const db = mock<DataSource>();
    const tx = mock<EntityManager>();
    const repo = mock<VaultingRepository>();
    const tokens = mock<CardTokensService>();
    const sessions = mock<CollectSessionService>();
    const outbox = mock<OutboxService>();
    db.transaction.mockImplementation((async (run: (m: EntityManager) => Promise<unknown>) => run(tx)) as never);
    repo.find.mockResolvedValue(null);
    repo.insert.mockImplementation(async (_tx, v) =>
      vaulting({ ...v, id: 'v-new', completedAt: v.status === 'SUCCESS' ? NOW : null, paymentMethodDetail: v.paymentMethodDetail ?? null }),
    );
    tokens.collect.mockReturnValue(collectedCard({}, 'fp-card-a'));
    tokens.storeCollected.mockResolvedValue({ cardId: 'card-1', view: VIEW });
    sessions.createVaultingPage.mockResolvedValue({
      sessionId: 'cs_page',
      normalUrl: `${URL_}/collect/cs_page`,
      expiresAt: new Date('2026-12-07T12:30:00Z'),
    });
    const address = new GatewayAddress(Object.assign(new GatewayConfig(), { GATEWAY_PUBLIC_URL: URL_ }));
    return { db, tx, repo, tokens, sessions, outbox, service: new VaultingService(address, db, repo, tokens, sessions, outbox) };
  };
  beforeEach(() => jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  describe('createSession', () => {
    const req = { paymentMethodType: 'CARD', vaultingRequestId: 'vr-1', redirectUrl: 'https://shop.example/done' };

    it('opens a top-level card page and records the vaulting PROCESSING in one transaction', async () => {
      const { repo, sessions, tx, service } = setup();
      const r = await service.createSession(merchant, req);
      expect(sessions.createVaultingPage).toHaveBeenCalledWith(tx, 'm-1', 'https://shop.example/done');
      expect(repo.insert).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({
          merchantId: 'm-1',
          vaultingRequestId: 'vr-1',
          source: 'SESSION',
          status: 'PROCESSING',
          sessionId: 'cs_page',
          notifyUrl: 'https://shop.example/notify',
          redirectUrl: 'https://shop.example/done',
        }),
      );
      expect(r).toMatchObject({
        result: { resultStatus: 'S' },
        vaultingSessionData: 'cs_page',
        vaultingSessionId: 'v-new',
        normalUrl: `${URL_}/collect/cs_page`,
        vaultingSessionExpiryTime: '2026-12-07T12:30:00.000+00:00',
      });
    });

    it('the same request again answers the same session, nothing created', async () => {
      const { repo, db, service } = setup();
      await service.createSession(merchant, req);
      const stored = repo.insert.mock.calls[0][1];
      repo.find.mockResolvedValue(vaulting({ ...stored, id: 'v-new', sessionId: 'cs_page', sessionExpiresAt: new Date('2026-12-07T12:30:00Z') }));
      const again = await service.createSession(merchant, req);
      expect(again).toMatchObject({ vaultingSessionId: 'v-new', normalUrl: `${URL_}/collect/cs_page` });
      expect(db.transaction).toHaveBeenCalledTimes(1);
    });

    it.each<[string, Partial<Vaulting>, RegExp]>([
      ['other parameters', { source: 'SESSION', requestHash: 'other' }, /different parameters\.$/],
      ['a server-to-server vaulting', { source: 'DIRECT' }, /\(it is a server-to-server vaulting\)/],
    ])('the id of a vaulting with %s is REPEAT_REQ_INCONSISTENT', async (_what, existing, message) => {
      const { repo, service } = setup();
      repo.find.mockResolvedValue(vaulting(existing));
      await expect(service.createSession(merchant, req)).rejects.toMatchObject({
        result: { resultCode: 'REPEAT_REQ_INCONSISTENT', resultMessage: expect.stringMatching(message) },
      });
    });

    it("losing the race for the id answers the winner's session", async () => {
      const { repo, service } = setup();
      let winner: Vaulting | null = null;
      repo.find.mockImplementation(async () => winner);
      repo.insert.mockImplementationOnce(async (_tx, v) => {
        winner = vaulting({ ...v, id: 'v-winner', sessionId: 'cs_winner', completedAt: null, paymentMethodDetail: null });
        return null;
      });
      await expect(service.createSession(merchant, req)).resolves.toMatchObject({ vaultingSessionId: 'v-winner', vaultingSessionData: 'cs_winner' });
    });
  });

  describe('vaultPaymentMethod (server to server)', () => {
    it('stores the card on file, records the vaulting S and queues its notice, in one transaction', async () => {
      const { tokens, repo, outbox, tx, service } = setup();
      const r = await service.vaultPaymentMethod(merchant, direct({ vaultingNotificationUrl: 'https://shop.example/vaulted' }));
      expect(tokens.collect).toHaveBeenCalledWith('m-1', CARD);
      expect(tokens.storeCollected).toHaveBeenCalledWith(tx, 'm-1', expect.anything(), true, undefined);
      expect(repo.insert).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ source: 'DIRECT', status: 'SUCCESS', cardId: 'card-1', notifyUrl: 'https://shop.example/vaulted' }),
      );
      expect(outbox.enqueueVaulting).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({
          merchantId: 'm-1',
          vaultingId: 'v-new',
          dedupeKey: 'vaulting:v-new:SUCCESS',
          url: 'https://shop.example/vaulted',
          payload: expect.objectContaining({ vaultingRequestId: 'vr-1', vaultingStatus: 'SUCCESS' }),
        }),
      );
      expect(r).toMatchObject({
        result: { resultStatus: 'S' },
        vaultingRequestId: 'vr-1',
        paymentMethodDetail: expect.objectContaining({ paymentMethodType: 'CARD' }),
      });
      expect(JSON.stringify(r)).not.toContain(CARD.cardNo);
    });

    it("keeps only the validated env fields with the card (its first payment's env)", async () => {
      const { tokens, service } = setup();
      const env = { terminalType: 'WEB', clientIp: '203.0.113.9', browserInfo: { userAgent: 'UA' }, injected: 'x' };
      await service.vaultPaymentMethod(merchant, direct({ env: env as never }));
      expect(tokens.storeCollected.mock.calls[0][4]).toEqual({ terminalType: 'WEB', clientIp: '203.0.113.9', browserInfo: { userAgent: 'UA' } });
    });

    it("the merchant's notify URL is the default", async () => {
      const { repo, service } = setup();
      await service.vaultPaymentMethod(merchant, direct());
      expect(repo.insert.mock.calls[0][1].notifyUrl).toBe('https://shop.example/notify');
    });

    it('a redirectUrl is PARAM_ILLEGAL (no buyer page to return from)', async () => {
      const { tokens, service } = setup();
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, direct({ redirectUrl: 'https://shop.example/back' })))).toBe('PARAM_ILLEGAL');
      expect(tokens.collect).not.toHaveBeenCalled();
    });

    it('a card field the vault has no use for is PARAM_ILLEGAL, nothing written', async () => {
      const { db, service } = setup();
      const req = direct({ paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: { ...CARD, mpiData: { eci: '05' } } } as never });
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, req))).toBe('PARAM_ILLEGAL');
      expect(db.transaction).not.toHaveBeenCalled();
    });

    it('a card the validator refuses is refused the same way every time, before any lookup', async () => {
      const { tokens, repo, service } = setup();
      tokens.collect.mockImplementation(() => {
        throw new AntomError('INVALID_CARD_NUMBER');
      });
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, direct()))).toBe('INVALID_CARD_NUMBER');
      expect(repo.find).not.toHaveBeenCalled();
    });

    it('the same card for the same id replays the vaulting, storing nothing again', async () => {
      const { repo, tokens, db, service } = setup();
      await service.vaultPaymentMethod(merchant, direct());
      repo.find.mockResolvedValue(vaulting({ ...repo.insert.mock.calls[0][1], id: 'v-new' }));
      await expect(service.vaultPaymentMethod(merchant, direct())).resolves.toMatchObject({ result: { resultStatus: 'S' } });
      expect(tokens.storeCollected).toHaveBeenCalledTimes(1);
      expect(db.transaction).toHaveBeenCalledTimes(1);
    });

    it('another card (another fingerprint) for the same id is REPEAT_REQ_INCONSISTENT', async () => {
      const { repo, tokens, service } = setup();
      await service.vaultPaymentMethod(merchant, direct());
      repo.find.mockResolvedValue(vaulting({ ...repo.insert.mock.calls[0][1], id: 'v-new' }));
      tokens.collect.mockReturnValue(collectedCard({}, 'fp-card-b'));
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, direct()))).toBe('REPEAT_REQ_INCONSISTENT');
    });

    it("losing the race: the winner's vaulting is answered (this card rolled back with its transaction)", async () => {
      const { repo, outbox, service } = setup();
      await service.vaultPaymentMethod(merchant, direct());
      const winner = vaulting({ ...repo.insert.mock.calls[0][1], id: 'v-winner' });
      outbox.enqueueVaulting.mockClear();
      repo.insert.mockResolvedValueOnce(null);
      repo.find.mockResolvedValueOnce(null).mockResolvedValueOnce(winner);
      await expect(service.vaultPaymentMethod(merchant, direct())).resolves.toMatchObject({
        result: { resultStatus: 'S' },
        vaultingRequestId: 'vr-1',
      });
      expect(outbox.enqueueVaulting).not.toHaveBeenCalled();
    });

    it('losing the race to a winner not visible yet is UNKNOWN_EXCEPTION (retry with the same id)', async () => {
      const { repo, service } = setup();
      repo.insert.mockResolvedValueOnce(null);
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, direct()))).toBe('UNKNOWN_EXCEPTION');
    });

    it('a failure inside the transaction is thrown as it is', async () => {
      const { tokens, service } = setup();
      tokens.storeCollected.mockRejectedValue(new Error('db down'));
      await expect(service.vaultPaymentMethod(merchant, direct())).rejects.toThrow('db down');
    });
  });

  describe("vaultPaymentMethod for a session's id", () => {
    const open = () =>
      vaulting({
        source: 'SESSION',
        status: 'PROCESSING',
        sessionId: 'cs_page',
        sessionExpiresAt: new Date('2026-12-07T12:30:00Z'),
        paymentMethodDetail: null,
        completedAt: null,
      });

    it('without a card: U VERIFICATION_IN_PROCESS with the page while the buyer has it', async () => {
      const { repo, service } = setup();
      repo.find.mockResolvedValue(open());
      await expect(service.vaultPaymentMethod(merchant, { vaultingRequestId: 'vr-1' } as VaultPaymentMethodRequestDto)).resolves.toEqual({
        result: expect.objectContaining({ resultStatus: 'U', resultCode: 'VERIFICATION_IN_PROCESS' }),
        vaultingRequestId: 'vr-1',
        normalUrl: `${URL_}/collect/cs_page`,
      });
    });

    it('without a card, once the session expired unused: F ORDER_IS_CLOSED, no page', async () => {
      const { repo, service } = setup();
      repo.find.mockResolvedValue(open());
      jest.setSystemTime(new Date('2026-12-07T12:30:00Z'));
      const r = await service.vaultPaymentMethod(merchant, { vaultingRequestId: 'vr-1' } as VaultPaymentMethodRequestDto);
      expect(r).toMatchObject({ result: { resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' } });
      expect(r.normalUrl).toBeUndefined();
    });

    it('without a card nor a known id: PARAM_ILLEGAL (paymentMethodDetail is required)', async () => {
      const { service } = setup();
      expect(await asyncCodeOf(service.vaultPaymentMethod(merchant, { vaultingRequestId: 'vr-x' } as VaultPaymentMethodRequestDto))).toBe(
        'PARAM_ILLEGAL',
      );
    });

    it('with a card: completes the open session with it, closes its page and queues the notice', async () => {
      const { repo, sessions, tokens, outbox, tx, service } = setup();
      repo.find.mockResolvedValue(open());
      sessions.lockOpenVaultingPage.mockResolvedValue(true);
      repo.completeSession.mockResolvedValue(vaulting({ source: 'SESSION', sessionId: 'cs_page', id: 'v-1' }));
      const r = await service.vaultPaymentMethod(merchant, direct());
      expect(sessions.lockOpenVaultingPage).toHaveBeenCalledWith(tx, 'cs_page');
      expect(tokens.storeCollected).toHaveBeenCalledWith(tx, 'm-1', expect.anything(), true, undefined);
      expect(sessions.attachCard).toHaveBeenCalledWith(tx, 'cs_page', 'card-1');
      expect(repo.completeSession).toHaveBeenCalledWith(tx, 'cs_page', 'card-1', expect.objectContaining({ paymentMethodType: 'CARD' }));
      expect(outbox.enqueueVaulting).toHaveBeenCalledWith(tx, expect.objectContaining({ dedupeKey: 'vaulting:v-1:SUCCESS' }));
      expect(r).toMatchObject({ result: { resultStatus: 'S' } });
    });

    it("with a card when the page stored one first: nothing stored, the session's result answered", async () => {
      const { repo, sessions, tokens, outbox, service } = setup();
      repo.find.mockResolvedValueOnce(open()).mockResolvedValueOnce(vaulting({ source: 'SESSION', sessionId: 'cs_page' }));
      sessions.lockOpenVaultingPage.mockResolvedValue(false);
      await expect(service.vaultPaymentMethod(merchant, direct())).resolves.toMatchObject({ result: { resultStatus: 'S' } });
      expect(tokens.storeCollected).not.toHaveBeenCalled();
      expect(outbox.enqueueVaulting).not.toHaveBeenCalled();
    });

    it('with a card for a session already final: its result, whatever card is sent now', async () => {
      const { repo, db, service } = setup();
      repo.find.mockResolvedValue(vaulting({ source: 'SESSION', sessionId: 'cs_page', status: 'SUCCESS' }));
      await expect(service.vaultPaymentMethod(merchant, direct())).resolves.toMatchObject({ result: { resultStatus: 'S' } });
      expect(db.transaction).not.toHaveBeenCalled();
    });
  });

  describe('inquire', () => {
    it("answers the vaulting's state", async () => {
      const { repo, service } = setup();
      repo.find.mockResolvedValue(vaulting());
      await expect(service.inquire(merchant, { vaultingRequestId: 'vr-1' })).resolves.toMatchObject({
        result: { resultStatus: 'S' },
        vaultingStatus: 'SUCCESS',
      });
      expect(repo.find).toHaveBeenCalledWith('m-1', 'vr-1');
    });

    it('an unknown id is VAULTING_NOT_EXIST', async () => {
      const { service } = setup();
      expect(await asyncCodeOf(service.inquire(merchant, { vaultingRequestId: 'vr-x' }))).toBe('VAULTING_NOT_EXIST');
    });
  });

  describe("the card page's stored card", () => {
    const listen = (s: ReturnType<typeof setup>) => {
      s.service.onModuleInit();
      return s.sessions.onCardStored.mock.calls[0][0] as SessionCardListener;
    };

    it("completes the session's vaulting and queues its notice in the page's transaction", async () => {
      const s = setup();
      const listener = listen(s);
      s.repo.completeSession.mockResolvedValue(vaulting({ id: 'v-7' }));
      const tx = mock<EntityManager>();
      await listener(tx, { sessionId: 'cs_page', merchantId: 'm-1', cardId: 'card-1', card: VIEW });
      expect(s.repo.completeSession).toHaveBeenCalledWith(tx, 'cs_page', 'card-1', expect.objectContaining({ paymentMethodType: 'CARD' }));
      expect(s.outbox.enqueueVaulting).toHaveBeenCalledWith(tx, expect.objectContaining({ vaultingId: 'v-7', dedupeKey: 'vaulting:v-7:SUCCESS' }));
    });

    it("a page that is not a vaulting's (a plain card page) queues nothing", async () => {
      const s = setup();
      const listener = listen(s);
      s.repo.completeSession.mockResolvedValue(null);
      await listener(mock<EntityManager>(), { sessionId: 'cs_other', merchantId: 'm-1', cardId: 'card-1', card: VIEW });
      expect(s.outbox.enqueueVaulting).not.toHaveBeenCalled();
    });
  });
});
