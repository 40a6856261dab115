import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { UpstreamPayAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { payAnswer } from '../antom/wire/answers.fakes';
import { fakePayment } from '../payments/payment.fakes';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardTokensService } from '../pci/card-collection/card-tokens.service';
import { StoredCredentialsService } from '../pci/vault/stored-credentials.service';
import { rawCard, tokenCard } from '../pci/vault/vault.fakes';
import { VaultService } from '../pci/vault/vault.service';
import { CardExpiredError, CardNotFoundError, VaultIntegrityError, VaultKeyError } from '../pci/vault/vault-errors';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { address, config, merchant, payRequest, sourceOf } from './pay.fakes';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { isTokenPayment, TokenPaymentService } from './token-payment.service';

const RAW = rawCard({ cardNo: '4111111111111111', expiryMonth: '12', expiryYear: '30', cvv: '999' });
const S: UpstreamOutcome<UpstreamPayAnswer> = {
  kind: 'answer',
  body: { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } },
};
const REPLAYED = payAnswer('U', { paymentId: 'gwp_replayed' });
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );

describe('isTokenPayment', () => {
  it.each<[Parameters<typeof payRequest>[0], boolean]>([
    [{ paymentMethodId: 'tok_1' }, true],
    [{ paymentMethodId: 'ACQ_TOKEN' }, true],
    [{ paymentMethodId: 'tok_1', paymentMethodMetaData: { cardNo: '4111111111111111' } }, false],
    [{}, false],
  ])('%j → %s', (method, expected) => {
    expect(isTokenPayment(payRequest(method))).toBe(expected);
  });
});

describe('TokenPaymentService', () => {
  const setup = (card = tokenCard()) => {
    const db = mock<DataSource>();
    const tx = mock<EntityManager>();
    const payments = mock<PaymentsRepository>();
    const tokens = mock<CardTokensService>();
    const vault = mock<VaultService>();
    const upstream = mock<PaymentProcessor>();
    const stored = mock<StoredCredentialsService>();
    const pipeline = mock<PayPipeline>();
    db.transaction.mockImplementation((async (run: (m: EntityManager) => Promise<unknown>) => run(tx)) as never);
    payments.findByRequestId.mockResolvedValue(null);
    tokens.resolve.mockResolvedValue(card);
    stored.forTokenPay.mockResolvedValue({ metaOverrides: {}, mit: false });
    vault.withCard.mockImplementation(async (_id, use) => use(RAW));
    upstream.pay.mockResolvedValue(S);
    pipeline.run.mockResolvedValue(payAnswer('S'));
    const service = new TokenPaymentService(address(), db, payments, tokens, vault, upstream, stored, pipeline, config());
    return { db, tx, payments, tokens, vault, upstream, stored, pipeline, service };
  };
  const sent = (s: ReturnType<typeof setup>) => s.upstream.pay.mock.calls[0][0];

  it('resolves the token for this merchant and runs the pipeline (no second read), keyed by the token', async () => {
    const s = setup();
    const req = payRequest({ paymentMethodId: 'tok_1' });
    await s.service.pay(merchant, req);
    expect(s.tokens.resolve).toHaveBeenCalledWith('m-1', 'tok_1');
    expect(s.pipeline.run).toHaveBeenCalledWith(
      merchant,
      req,
      expect.objectContaining({ readFirst: false, requestHash: payKeyHash(req, 'CARD_TOKEN', 'tok_1') }),
    );
    expect(sourceOf(s.pipeline).payment()).toMatchObject({
      cardId: 'card-1',
      cardBin: '41111111',
      cardLast4: '1111',
      cardBrand: 'VISA',
      paymentResultInfo: {
        cardNo: expect.stringMatching(/^4111\*+1111$/),
        cardBin: '41111111',
        lastFour: '1111',
        cardBrand: 'VISA',
        cardToken: 'tok_1',
      },
    });
  });

  it.each(['INVALID_CARD_TOKEN', 'CARD_TOKEN_EXPIRED', 'CARD_TOKEN_USED'] as const)(
    'a token the vault refuses (%s) is refused, nothing written',
    async (code) => {
      const s = setup();
      s.tokens.resolve.mockRejectedValue(new AntomError(code));
      expect(await asyncCodeOf(s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' })))).toBe(code);
      expect(s.pipeline.run).not.toHaveBeenCalled();
    },
  );

  it('a CVV of the wrong length for the brand is INVALID_CVV before anything is written', async () => {
    const s = setup(tokenCard({ brands: ['AMEX'] }));
    expect(await asyncCodeOf(s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1', paymentMethodMetaData: { cvv: '123' } })))).toBe(
      'INVALID_CVV',
    );
    expect(s.pipeline.run).not.toHaveBeenCalled();
  });

  describe('insert', () => {
    it("a one-time token is spent in the payment's transaction", async () => {
      const s = setup(tokenCard({ onFile: false }));
      s.vault.consumeOneTime.mockResolvedValue(true);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await source.insert(payment);
      expect(s.vault.consumeOneTime).toHaveBeenCalledWith(s.tx, 'card-1');
      expect(s.payments.insert).toHaveBeenCalledWith(s.tx, payment, { source: 'merchant-api', via: 'card-token' });
    });

    it('a one-time token another payment spent first is CARD_TOKEN_USED and no row is written', async () => {
      const s = setup(tokenCard({ onFile: false }));
      s.vault.consumeOneTime.mockResolvedValue(false);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      expect(await asyncCodeOf(Promise.resolve(source.insert(source.payment())))).toBe('CARD_TOKEN_USED');
      expect(s.payments.insert).not.toHaveBeenCalled();
    });

    it('an on-file token is not spent', async () => {
      const s = setup(tokenCard({ onFile: true }));
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      await source.insert(source.payment());
      expect(s.vault.consumeOneTime).not.toHaveBeenCalled();
      expect(s.payments.insert).toHaveBeenCalledTimes(1);
    });
  });

  describe('forward', () => {
    it("opens the card inside the vault callback and sends it with the merchant's CVV, under the payment row's id", async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1', paymentMethodMetaData: { cvv: '123' } }));
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await expect(source.forward(payment)).resolves.toBe(S);
      expect(s.vault.withCard).toHaveBeenCalledWith('card-1', expect.any(Function));
      expect(sent(s)).toMatchObject({
        paymentRequestId: payment.id,
        paymentMethod: { paymentMethodMetaData: { cardNo: RAW.cardNo, expiryMonth: '12', expiryYear: '30', cvv: '123' } },
      });
      expect(s.upstream.pay.mock.calls[0][1]).toEqual({ paymentId: payment.paymentId });
    });

    it("without the merchant's CVV, the vault's live CVV goes", async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      await source.forward(source.payment());
      expect(sent(s).paymentMethod.paymentMethodMetaData?.cvv).toBe('999');
    });

    it('a merchant-initiated payment sends no CVV, even one the vault still holds, and the stored-credential fields', async () => {
      const s = setup();
      s.stored.forTokenPay.mockResolvedValue({
        metaOverrides: { isCardOnFile: true, recurringType: 'SCHEDULED', networkTransactionId: 'ntid-1' },
        mit: true,
      });
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1', paymentMethodMetaData: { recurringType: 'SCHEDULED' } }));
      const source = sourceOf(s.pipeline);
      await source.forward(source.payment());
      const meta = sent(s).paymentMethod.paymentMethodMetaData;
      expect(meta).toMatchObject({ isCardOnFile: true, recurringType: 'SCHEDULED', networkTransactionId: 'ntid-1' });
      expect(meta).not.toHaveProperty('cvv');
    });

    it("the merchant's env wins field by field; the hosted page's buyer env fills the gaps", async () => {
      const s = setup(
        tokenCard({ buyerEnv: { terminalType: 'WEB', clientIp: '198.51.100.1', browserInfo: { userAgent: 'page UA' }, deviceLanguage: 'de' } }),
      );
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }, { env: { clientIp: '203.0.113.9', deviceLanguage: null } as never }));
      const source = sourceOf(s.pipeline);
      await source.forward(source.payment());
      expect(sent(s).env).toMatchObject({ clientIp: '203.0.113.9', deviceLanguage: 'de', browserInfo: { userAgent: 'page UA' } });
    });

    it.each<[string, Error, string]>([
      ['tampered bytes', new VaultIntegrityError('record x: pan'), 'CARD_DATA_INTEGRITY_ERROR'],
      ['a retired key', new VaultKeyError('key version 1 is retired'), 'CARD_KEY_UNAVAILABLE'],
      ['an expired card', new CardExpiredError(), 'CARD_EXPIRED'],
      ['a card deleted between resolve and use', new CardNotFoundError(), 'INVALID_CARD_TOKEN'],
    ])('a card the vault cannot open (%s) is a final F %s; nothing goes upstream', async (_what, error, code) => {
      const s = setup();
      s.vault.withCard.mockRejectedValue(error);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      await expect(source.forward(source.payment())).resolves.toEqual({
        kind: 'answer',
        body: { result: { resultStatus: 'F', resultCode: code, resultMessage: expect.any(String) } },
      });
      expect(s.upstream.pay).not.toHaveBeenCalled();
    });

    it('any other failure is thrown as it is (the pipeline records the U)', async () => {
      const s = setup();
      s.vault.withCard.mockRejectedValue(new Error('connection terminated'));
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      await expect(source.forward(source.payment())).rejects.toThrow('connection terminated');
    });

    it("the acquirer's no-answer passes through to the pipeline as it came", async () => {
      const s = setup();
      const u: UpstreamOutcome<UpstreamPayAnswer> = { kind: 'no-answer', reason: 'HeadersTimeoutError: Headers Timeout Error' };
      s.upstream.pay.mockResolvedValue(u);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const source = sourceOf(s.pipeline);
      await expect(source.forward(source.payment())).resolves.toBe(u);
    });
  });

  describe('afterSettle', () => {
    it('records consent after a customer-initiated pay asking for card on file', async () => {
      const s = setup();
      s.stored.forTokenPay.mockResolvedValue({ metaOverrides: { isCardOnFile: true }, mit: false });
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1', paymentMethodMetaData: { isCardOnFile: true } }));
      const settled = fakePayment({ cardId: 'card-1' });
      await sourceOf(s.pipeline).afterSettle!(settled);
      expect(s.stored.recordConsent).toHaveBeenCalledWith(settled);
    });

    it.each<[string, { metaOverrides: Record<string, unknown>; mit: boolean }]>([
      ['a pay without isCardOnFile', { metaOverrides: {}, mit: false }],
      ['a merchant-initiated pay', { metaOverrides: { isCardOnFile: true }, mit: true }],
    ])('records nothing after %s', async (_what, use) => {
      const s = setup();
      s.stored.forTokenPay.mockResolvedValue(use);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      await sourceOf(s.pipeline).afterSettle!(fakePayment());
      expect(s.stored.recordConsent).not.toHaveBeenCalled();
    });
  });

  describe('a repeated paymentRequestId', () => {
    it('is replayed before the token is resolved (a spent one-time token still replays its payment)', async () => {
      const s = setup();
      const existing = fakePayment({ cardId: 'card-1', status: 'UNKNOWN' });
      s.payments.findByRequestId.mockResolvedValue(existing);
      s.pipeline.replay.mockResolvedValue(REPLAYED);
      const req = payRequest({ paymentMethodId: 'tok_1' });
      await expect(s.service.pay(merchant, req)).resolves.toEqual(REPLAYED);
      expect(s.tokens.resolve).not.toHaveBeenCalled();
      expect(s.pipeline.run).not.toHaveBeenCalled();
      expect(s.pipeline.replay).toHaveBeenCalledWith(merchant, existing, {
        requestHash: payKeyHash(req, 'CARD_TOKEN', 'tok_1'),
        forward: expect.any(Function),
      });
    });

    it('a re-drive resends with the card the payment was made with (looked up, not resolved)', async () => {
      const s = setup();
      const existing = fakePayment({ cardId: 'card-1', status: 'UNKNOWN' });
      s.payments.findByRequestId.mockResolvedValue(existing);
      s.vault.findToken.mockResolvedValue(tokenCard({ onFile: false, consumedAt: new Date() }));
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const { forward } = s.pipeline.replay.mock.calls[0][2];
      await expect(forward(existing)).resolves.toBe(S);
      expect(s.vault.findToken).toHaveBeenCalledWith('tok_1');
      expect(s.vault.withCard).toHaveBeenCalledWith('card-1', expect.any(Function));
      expect(sent(s).paymentRequestId).toBe(existing.id);
    });

    it.each<[string, ReturnType<typeof tokenCard> | null]>([
      ['deleted since', null],
      ["now another merchant's", tokenCard({ merchantId: 'm-2' })],
      ['now another card', tokenCard({ cardId: 'card-2' })],
    ])('a re-drive whose token is %s is a final F INVALID_CARD_TOKEN, nothing sent', async (_what, card) => {
      const s = setup();
      const existing = fakePayment({ cardId: 'card-1', status: 'UNKNOWN' });
      s.payments.findByRequestId.mockResolvedValue(existing);
      s.vault.findToken.mockResolvedValue(card);
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'tok_1' }));
      const { forward } = s.pipeline.replay.mock.calls[0][2];
      await expect(forward(existing)).resolves.toMatchObject({
        kind: 'answer',
        body: { result: { resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' } },
      });
      expect(s.upstream.pay).not.toHaveBeenCalled();
    });
  });
});
