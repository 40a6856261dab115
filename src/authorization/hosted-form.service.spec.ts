import { mock } from 'jest-mock-extended';

import { UpstreamPayAnswer } from '../antom/answers';
import { payAnswer } from '../antom/wire/answers.fakes';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { HostedFormService, isHostedForm } from './hosted-form.service';
import { address, config, merchant, payRequest, PUBLIC_URL, sourceOf } from './pay.fakes';
import { payKeyHash, PayPipeline } from './pay-pipeline';

const PIPELINE_ANSWER = payAnswer('U');

describe('isHostedForm', () => {
  it.each<[string, boolean, Parameters<typeof payRequest>[0]]>([
    ['no card, no token', true, {}],
    ['metadata without a card number', true, { paymentMethodMetaData: { isCardOnFile: true } }],
    ['a card number', false, { paymentMethodMetaData: { cardNo: '4111111111111111' } }],
    ['a token', false, { paymentMethodId: 'tok_1' }],
  ])('%s → %s', (_what, expected, method) => {
    expect(isHostedForm(payRequest(method))).toBe(expected);
  });
});

describe('HostedFormService', () => {
  const setup = () => {
    const pipeline = mock<PayPipeline>();
    const upstream = mock<PaymentProcessor>();
    pipeline.run.mockResolvedValue(PIPELINE_ANSWER);
    return { pipeline, upstream, service: new HostedFormService(address(), pipeline, upstream, config({ RECONCILE_FIRST_DELAY_SECONDS: 30 })) };
  };

  it('runs the pipeline reading the request id first, keyed as HOSTED', async () => {
    const { pipeline, service } = setup();
    const req = payRequest();
    await expect(service.pay(merchant, req)).resolves.toEqual(PIPELINE_ANSWER);
    expect(pipeline.run).toHaveBeenCalledWith(merchant, req, expect.objectContaining({ readFirst: true, requestHash: payKeyHash(req, 'HOSTED') }));
  });

  it('the payment row knows no card; reconciliation is armed from the start', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    try {
      const { pipeline, service } = setup();
      await service.pay(
        merchant,
        payRequest(
          {},
          {
            paymentAmount: { currency: 'EUR', value: '123456789012345678' },
            order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'EUR', value: '123456789012345678' } },
          },
        ),
      );
      const payment = sourceOf(pipeline).payment();
      expect(payment).toMatchObject({
        status: 'RECEIVED',
        merchantId: 'm-1',
        amount: 123456789012345678n,
        cardId: null,
        cardBin: null,
        cardLast4: null,
        cardBrand: null,
        paymentResultInfo: {},
        paymentNotifyUrl: 'https://shop.example/notify',
        nextReconcileAt: new Date('2026-12-07T12:00:30Z'),
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('inserts the plain row, marked HOSTED_FORM', async () => {
    const { pipeline, service } = setup();
    await service.pay(merchant, payRequest());
    const source = sourceOf(pipeline);
    const payment = source.payment();
    await source.insert(payment);
    expect(pipeline.insertPlain).toHaveBeenCalledWith(payment, { mode: 'HOSTED_FORM' });
  });

  it("forwards a CARD pay without any card field, with the payment row's id and the gateway's notify URL; the outcome as it came (U included)", async () => {
    const { pipeline, upstream, service } = setup();
    const noAnswer: UpstreamOutcome<UpstreamPayAnswer> = { kind: 'no-answer', reason: 'HeadersTimeoutError' };
    upstream.pay.mockResolvedValue(noAnswer);
    await service.pay(merchant, payRequest({ paymentMethodMetaData: { cvv: '123', expiryMonth: '12', expiryYear: '30', isCardOnFile: true } }));
    const source = sourceOf(pipeline);
    const payment = source.payment();
    await expect(source.forward(payment)).resolves.toBe(noAnswer);
    const [sent, ref] = upstream.pay.mock.calls[0];
    expect(ref).toEqual({ paymentId: payment.paymentId });
    expect(sent).toMatchObject({
      paymentRequestId: payment.id,
      paymentNotifyUrl: `${PUBLIC_URL}/antom/notify`,
      paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { isCardOnFile: true } },
    });
    const meta = (sent as { paymentMethod: { paymentMethodMetaData: Record<string, unknown> } }).paymentMethod.paymentMethodMetaData;
    for (const k of ['cvv', 'expiryMonth', 'expiryYear', 'mpiData', 'cardNo']) expect(meta).not.toHaveProperty(k);
  });

  it('refuses mpiData (the gateway never held the card) before anything is written', async () => {
    const { pipeline, service } = setup();
    expect(() => service.pay(merchant, payRequest({ paymentMethodMetaData: { mpiData: { eci: '05' } } }))).toThrow(/mpiData is not available/);
    expect(pipeline.run).not.toHaveBeenCalled();
  });

  it('sends no metadata at all when nothing is left of it', async () => {
    const { pipeline, upstream, service } = setup();
    await service.pay(merchant, payRequest({ paymentMethodMetaData: { cvv: '123' } }));
    const source = sourceOf(pipeline);
    await source.forward(source.payment());
    expect((upstream.pay.mock.calls[0][0] as { paymentMethod: object }).paymentMethod).toEqual({ paymentMethodType: 'CARD' });
  });
  // Issue 29: every hosted-mode field of the seed's list goes upstream as sent.
  it('forwards Korean issuer authentication beside the metadata, as every pay path does (before: the flag was dropped)', async () => {
    const { pipeline, upstream, service } = setup();
    await service.pay(merchant, payRequest({ paymentMethodMetaData: { paymentMethodRegion: 'KR' }, requireIssuerAuthentication: true }));
    const source = sourceOf(pipeline);
    await source.forward(source.payment());
    expect((upstream.pay.mock.calls[0][0] as { paymentMethod: object }).paymentMethod).toEqual({
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { paymentMethodRegion: 'KR' },
      requireIssuerAuthentication: true,
    });
  });

  it('forwards an installment plan for a card not typed yet (before: F CARD_NOT_SUPPORTED "UNKNOWN cards do not offer installments in US")', async () => {
    const { pipeline, upstream, service } = setup();
    await service.pay(merchant, payRequest({}, { creditPayPlan: { installmentNum: 3 } }));
    const source = sourceOf(pipeline);
    await source.forward(source.payment());
    expect((upstream.pay.mock.calls[0][0] as { creditPayPlan: object }).creditPayPlan).toEqual({ installmentNum: 3 });
  });
});
