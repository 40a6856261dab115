import { mock } from 'jest-mock-extended';

import { AcquirerCardTokenRepository } from '../acquirer-answers/acquirer-card-token.repository';
import { AcquirerCardToken } from '../acquirer-answers/acquirer-card-tokens';
import { AntomError } from '../antom/antom-error';
import { payAnswer } from '../antom/wire/answers.fakes';
import { BinTable } from '../card-features/bin-table';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';
import { address, config, merchant, payRequest, PUBLIC_URL, sourceOf } from './pay.fakes';
import { payKeyHash, PayPipeline } from './pay-pipeline';

const ACQ = 'ALIPAY_CARD_TOKEN_1';
const token = (over: Partial<AcquirerCardToken> = {}): AcquirerCardToken => ({
  token: ACQ,
  merchantId: 'm-1',
  bin: '41111111',
  last4: '1111',
  brand: 'VISA',
  ...over,
});
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );

describe('AcquirerTokenPaymentService', () => {
  const setup = (found: AcquirerCardToken | null = token(), bins: BinTable | null = null) => {
    const tokens = mock<AcquirerCardTokenRepository>();
    const pipeline = mock<PayPipeline>();
    const upstream = mock<PaymentProcessor>();
    tokens.find.mockResolvedValue(found);
    pipeline.run.mockResolvedValue(payAnswer('S'));
    upstream.pay.mockResolvedValue({ kind: 'answer', body: { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' } } });
    return { tokens, pipeline, upstream, service: new AcquirerTokenPaymentService(address(), tokens, pipeline, upstream, config(), bins) };
  };

  it.each<[string, AcquirerCardToken | null]>([
    ['an unknown token', null],
    ["another merchant's token (no hint that it exists)", token({ merchantId: 'm-2' })],
  ])('%s is INVALID_CARD_TOKEN, nothing written', async (_what, found) => {
    const { pipeline, service } = setup(found);
    expect(await asyncCodeOf(service.pay(merchant, payRequest({ paymentMethodId: ACQ })))).toBe('INVALID_CARD_TOKEN');
    expect(pipeline.run).not.toHaveBeenCalled();
  });

  it('runs the pipeline reading the request id first, keyed by the token', async () => {
    const { pipeline, tokens, service } = setup();
    const req = payRequest({ paymentMethodId: ACQ });
    await service.pay(merchant, req);
    expect(tokens.find).toHaveBeenCalledWith(ACQ);
    expect(pipeline.run).toHaveBeenCalledWith(
      merchant,
      req,
      expect.objectContaining({ readFirst: true, requestHash: payKeyHash(req, 'ACQUIRER_TOKEN', ACQ) }),
    );
  });

  it('the payment row carries the masked card and the token, never a card id', async () => {
    const { pipeline, service } = setup();
    await service.pay(merchant, payRequest({ paymentMethodId: ACQ }));
    expect(sourceOf(pipeline).payment()).toMatchObject({
      cardId: null,
      cardBin: '41111111',
      cardLast4: '1111',
      cardBrand: 'VISA',
      paymentResultInfo: { cardNo: expect.stringMatching(/^4111\*+1111$/), cardBin: '41111111', lastFour: '1111', cardBrand: 'VISA', cardToken: ACQ },
    });
  });

  it('a token whose card the acquirer did not describe: no mask, no BIN', async () => {
    const { pipeline, service } = setup(token({ bin: '', last4: '' }));
    await service.pay(merchant, payRequest({ paymentMethodId: ACQ }));
    const p = sourceOf(pipeline).payment();
    expect(p).toMatchObject({ cardBin: null, cardLast4: null });
    expect(p.paymentResultInfo).not.toHaveProperty('cardNo');
  });

  it('inserts the plain row, marked as an acquirer-token pay', async () => {
    const { pipeline, service } = setup();
    await service.pay(merchant, payRequest({ paymentMethodId: ACQ }));
    const source = sourceOf(pipeline);
    const payment = source.payment();
    await source.insert(payment);
    expect(pipeline.insertPlain).toHaveBeenCalledWith(payment, { via: 'acquirer-token' });
  });

  it('forwards the token as paymentMethodId with isCardOnFile; card fields the merchant adds and tokenize are dropped', async () => {
    const { pipeline, upstream, service } = setup();
    await service.pay(
      merchant,
      payRequest({
        paymentMethodId: ACQ,
        requireIssuerAuthentication: false,
        paymentMethodMetaData: { cvv: '123', expiryMonth: '12', tokenize: true, paymentMethodRegion: 'GB' },
      }),
    );
    const source = sourceOf(pipeline);
    const payment = source.payment();
    await source.forward(payment);
    const [sent, ref] = upstream.pay.mock.calls[0];
    expect(ref).toEqual({ paymentId: payment.paymentId });
    expect(sent).toMatchObject({ paymentRequestId: payment.id, paymentNotifyUrl: `${PUBLIC_URL}/antom/notify` });
    expect(sent.paymentMethod).toEqual({
      paymentMethodType: 'CARD',
      paymentMethodId: ACQ,
      requireIssuerAuthentication: false,
      paymentMethodMetaData: expect.objectContaining({ isCardOnFile: true, paymentMethodRegion: 'GB' }),
    });
    const meta = sent.paymentMethod.paymentMethodMetaData;
    for (const k of ['cvv', 'expiryMonth', 'tokenize']) expect(meta).not.toHaveProperty(k);
  });

  it('refuses mpiData (the gateway never held this card): PARAM_ILLEGAL, nothing written', async () => {
    const { pipeline, service } = setup();
    expect(await asyncCodeOf(service.pay(merchant, payRequest({ paymentMethodId: ACQ, paymentMethodMetaData: { mpiData: { eci: '05' } } })))).toBe(
      'PARAM_ILLEGAL',
    );
    expect(pipeline.run).not.toHaveBeenCalled();
  });

  it("the acquirer's U reaches the pipeline as it came", async () => {
    const { pipeline, upstream, service } = setup();
    const u = { kind: 'no-answer' as const, reason: 'HTTP 503' };
    upstream.pay.mockResolvedValue(u);
    await service.pay(merchant, payRequest({ paymentMethodId: ACQ }));
    const source = sourceOf(pipeline);
    await expect(source.forward(source.payment())).resolves.toBe(u);
  });

  it("an installment plan falls back to the issuer's country from the BIN table", async () => {
    const bins = mock<BinTable>();
    bins.lookup.mockReturnValue({ bin: '41111111', issuingCountry: 'BR' });
    const { pipeline, service } = setup(token(), bins);
    await service.pay(
      merchant,
      payRequest(
        { paymentMethodId: ACQ },
        {
          paymentAmount: { currency: 'BRL', value: '90000' },
          order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'BRL', value: '90000' } },
          creditPayPlan: { installmentNum: 3 },
        },
      ),
    );
    expect(bins.lookup).toHaveBeenCalledWith('41111111');
    expect(sourceOf(pipeline).payment().paymentResultInfo).toMatchObject({ creditPayPlan: expect.objectContaining({ installmentNum: 3 }) });
  });
});
