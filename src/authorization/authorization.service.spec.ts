import { mock } from 'jest-mock-extended';
import { DataSource } from 'typeorm';

import { AntomError } from '../antom/antom-error';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { payAnswer } from '../antom/wire/answers.fakes';
import { fakePayment } from '../payments/payment.fakes';
import { PaymentsRepository } from '../payments/payments.repository';
import { CardCollectionService } from '../pci/card-collection/card-collection.service';
import { StoredCredentialsService } from '../pci/vault/stored-credentials.service';
import { collectedCard, rawCard } from '../pci/vault/vault.fakes';
import { VaultService } from '../pci/vault/vault.service';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';
import { AuthorizationService, checkAmounts } from './authorization.service';
import { HostedFormService } from './hosted-form.service';
import { address, config, merchant, payRequest, PUBLIC_URL, sourceOf } from './pay.fakes';
import { payKeyHash, PayPipeline } from './pay-pipeline';
import { TokenPaymentService } from './token-payment.service';

const CARD = { cardNo: '4111111111111111', expiryMonth: '12', expiryYear: '30', cvv: '123' };
const RAW = rawCard({ cardNo: CARD.cardNo, expiryMonth: '12', expiryYear: '30', cvv: '123' });
const ROWS = [['card_row', { text: 'INSERT', values: [] }]] as never;
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => `${e.result.resultCode}`,
  );
const amounts = (value: string, currency = 'EUR', orderCurrency = currency): PayRequestDto =>
  payRequest(
    {},
    { paymentAmount: { currency, value }, order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: orderCurrency, value } } },
  );

/** What a delegated pay path answers: the service hands it back as it is. */
const ROUTED = payAnswer('S', { paymentId: 'gwp_routed' });

describe('checkAmounts', () => {
  const codeOf = (req: PayRequestDto) => {
    try {
      checkAmounts(req);
      return 'ok';
    } catch (e) {
      return (e as AntomError).result.resultCode;
    }
  };

  it.each<[string, string, PayRequestDto]>([
    ['1 minor unit', 'ok', amounts('1')],
    ['an amount past 2^63 (bigint, no float rounding)', 'ok', amounts('99999999999999999999999')],
    ['0', 'PARAM_ILLEGAL', amounts('0')],
    ['a negative amount', 'PARAM_ILLEGAL', amounts('-1')],
    ['an order in another currency', 'PARAM_ILLEGAL', amounts('100', 'EUR', 'USD')],
    ['a currency cards are not charged in', 'CURRENCY_NOT_SUPPORT', amounts('100', 'XAU')],
  ])('%s → %s', (_what, code, req) => {
    expect(codeOf(req)).toBe(code);
  });
});

describe('AuthorizationService', () => {
  const setup = () => {
    const db = mock<DataSource>();
    const payments = mock<PaymentsRepository>();
    const cards = mock<CardCollectionService>();
    const vault = mock<VaultService>();
    const upstream = mock<PaymentProcessor>();
    const hosted = mock<HostedFormService>();
    const pipeline = mock<PayPipeline>();
    const stored = mock<StoredCredentialsService>();
    const tokenPay = mock<TokenPaymentService>();
    const acquirerTokenPay = mock<AcquirerTokenPaymentService>();
    const collected = collectedCard({}, 'fp-a');
    cards.collect.mockReturnValue(collected);
    cards.prepare.mockReturnValue({ card: { cardId: 'card-new', token: 'tok_new', bin: '41111111', last4: '1111', brands: ['VISA'] }, rows: ROWS });
    vault.withCollectedCard.mockImplementation(async (_c, use) => use(RAW));
    upstream.pay.mockResolvedValue({ kind: 'answer', body: { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } } });
    pipeline.run.mockResolvedValue(payAnswer('S'));
    for (const path of [hosted, tokenPay, acquirerTokenPay]) path.pay.mockResolvedValue(ROUTED);
    const service = new AuthorizationService(
      address(),
      db,
      payments,
      cards,
      vault,
      upstream,
      hosted,
      pipeline,
      stored,
      config({ VAULT_CVV_TTL_SECONDS: 600 }),
      tokenPay,
      acquirerTokenPay,
    );
    return { db, payments, cards, vault, upstream, hosted, pipeline, stored, tokenPay, acquirerTokenPay, collected, service };
  };

  describe('dispatch', () => {
    it('checks the amounts before anything else', async () => {
      const s = setup();
      const req = payRequest({ paymentMethodId: 'tok_1' }, { paymentAmount: { currency: 'EUR', value: '0' } });
      expect(await asyncCodeOf(s.service.pay(merchant, req))).toBe('PARAM_ILLEGAL');
      expect(s.tokenPay.pay).not.toHaveBeenCalled();
    });

    it('a vault token (tok_…) goes to the token path', async () => {
      const s = setup();
      const req = payRequest({ paymentMethodId: 'tok_1' });
      await expect(s.service.pay(merchant, req)).resolves.toEqual(ROUTED);
      expect(s.tokenPay.pay).toHaveBeenCalledWith(merchant, req);
      expect(s.acquirerTokenPay.pay).not.toHaveBeenCalled();
    });

    it("any other token can only be the acquirer's", async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodId: 'ALIPAY_TOKEN' }));
      expect(s.acquirerTokenPay.pay).toHaveBeenCalledTimes(1);
      expect(s.tokenPay.pay).not.toHaveBeenCalled();
    });

    it.each<[string, Parameters<typeof payRequest>[0]]>([
      ['no metadata', {}],
      ['metadata without a card number', { paymentMethodMetaData: { isCardOnFile: true } }],
    ])('%s is the hosted form', async (_what, method) => {
      const s = setup();
      await s.service.pay(merchant, payRequest(method));
      expect(s.hosted.pay).toHaveBeenCalledTimes(1);
      expect(s.cards.collect).not.toHaveBeenCalled();
    });

    it('a raw card is collected here (CVV required) and run through the pipeline without a read first', async () => {
      const s = setup();
      const req = payRequest({ paymentMethodMetaData: CARD });
      await s.service.pay(merchant, req);
      expect(s.cards.collect).toHaveBeenCalledWith('m-1', CARD, true);
      expect(s.pipeline.run).toHaveBeenCalledWith(
        merchant,
        req,
        expect.objectContaining({ readFirst: false, requestHash: payKeyHash(req, 'CARD', 'fp-a') }),
      );
    });

    it('a card the validator refuses is refused, nothing run', async () => {
      const s = setup();
      s.cards.collect.mockImplementation(() => {
        throw new AntomError('INVALID_CARD_NUMBER');
      });
      expect(await asyncCodeOf(s.service.pay(merchant, payRequest({ paymentMethodMetaData: CARD })))).toBe('INVALID_CARD_NUMBER');
      expect(s.pipeline.run).not.toHaveBeenCalled();
    });
  });

  describe('the raw card', () => {
    it('the payment row holds the masked card only', async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodMetaData: CARD }));
      const payment = sourceOf(s.pipeline).payment();
      expect(payment).toMatchObject({
        status: 'RECEIVED',
        cardId: null,
        cardBin: '41111111',
        cardLast4: '1111',
        cardBrand: 'VISA',
        paymentResultInfo: { cardNo: '411111******1111', cardBin: '41111111', lastFour: '1111', cardBrand: 'VISA' },
      });
      expect(JSON.stringify(payment, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(CARD.cardNo);
    });

    it('insert: vault rows + payment row in one statement, the card id set on the payment; no token echoed without card on file', async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodMetaData: CARD }));
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await source.insert(payment);
      expect(s.cards.prepare).toHaveBeenCalledWith('m-1', s.collected, { requireCvv: true, onFile: false, cvvTtlSeconds: 600 });
      expect(s.payments.insert).toHaveBeenCalledWith(s.db, payment, { source: 'merchant-api' }, ROWS);
      expect(payment.cardId).toBe('card-new');
      expect(payment.paymentResultInfo).not.toHaveProperty('cardToken');
    });

    it('insert with tokenize: the card is kept on file and its token given in the result', async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodMetaData: { ...CARD, tokenize: true } }));
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await source.insert(payment);
      expect(s.cards.prepare.mock.calls[0][2]).toMatchObject({ onFile: true });
      expect(payment.paymentResultInfo).toMatchObject({ cardToken: 'tok_new' });
    });

    it("forward: the card from memory (no read-back), under the payment row's id, with the gateway's notify URL; tokenize never goes upstream", async () => {
      const s = setup();
      await s.service.pay(merchant, payRequest({ paymentMethodMetaData: { ...CARD, tokenize: true } }));
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await source.forward(payment);
      expect(s.vault.withCollectedCard).toHaveBeenCalledWith(s.collected, expect.any(Function));
      const [sent, ref] = s.upstream.pay.mock.calls[0];
      expect(ref).toEqual({ paymentId: payment.paymentId });
      expect(sent).toMatchObject({
        paymentRequestId: payment.id,
        paymentNotifyUrl: `${PUBLIC_URL}/antom/notify`,
        paymentMethod: { paymentMethodMetaData: { cardNo: CARD.cardNo, cvv: '123' } },
      });
      expect(sent.paymentMethod.paymentMethodMetaData).not.toHaveProperty('tokenize');
    });

    it('a merchant-initiated raw-card pay: no CVV required, nothing stored on file, the stored-credential fields upstream', async () => {
      const s = setup();
      const meta = { cardNo: CARD.cardNo, expiryMonth: '12', expiryYear: '30', recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-9' };
      await s.service.pay(merchant, payRequest({ paymentMethodMetaData: meta }));
      expect(s.cards.collect).toHaveBeenCalledWith('m-1', meta, false);
      const source = sourceOf(s.pipeline);
      const payment = source.payment();
      await source.insert(payment);
      expect(s.cards.prepare.mock.calls[0][2]).toMatchObject({ requireCvv: false, onFile: false });
      await source.forward(payment);
      expect(
        (s.upstream.pay.mock.calls[0][0] as { paymentMethod: { paymentMethodMetaData: object } }).paymentMethod.paymentMethodMetaData,
      ).toMatchObject({ isCardOnFile: true, recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-9' });
    });

    it("a merchant-initiated pay without the first payment's network transaction id is refused before collecting the card", async () => {
      const s = setup();
      expect(
        await asyncCodeOf(
          s.service.pay(
            merchant,
            payRequest({ paymentMethodMetaData: { cardNo: CARD.cardNo, expiryMonth: '12', expiryYear: '30', recurringType: 'SCHEDULED' } }),
          ),
        ),
      ).toBe('PARAM_ILLEGAL');
      expect(s.cards.collect).not.toHaveBeenCalled();
    });

    it('afterSettle records consent only when the pay asked to keep the card', async () => {
      const keep = setup();
      await keep.service.pay(merchant, payRequest({ paymentMethodMetaData: { ...CARD, isCardOnFile: true } }));
      const settled = fakePayment({ cardId: 'card-new' });
      await sourceOf(keep.pipeline).afterSettle!(settled);
      expect(keep.stored.recordConsent).toHaveBeenCalledWith(settled);
      const once = setup();
      await once.service.pay(merchant, payRequest({ paymentMethodMetaData: CARD }));
      await sourceOf(once.pipeline).afterSettle!(settled);
      expect(once.stored.recordConsent).not.toHaveBeenCalled();
    });
  });
});
