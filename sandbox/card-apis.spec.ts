import { CARD_API_MODELS, CARD_API_ROOTS } from '../test/support/card-api-models';
import { goDecodeProblems, modelDecodeProblems } from '../test/support/go-decode';
import { consult, getCardInfo, inquireInstallment } from './card-apis';
import { SandboxContext, SandboxError } from './sandbox-context';
import { ANSWER_TYPES, asSdkTypes } from './wire-types';

const ctx = {} as SandboxContext;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'S',
    (e: SandboxError) => e.code,
  );
const decodes = (body: object, root: keyof typeof CARD_API_ROOTS) =>
  expect(modelDecodeProblems(body, CARD_API_ROOTS[root], CARD_API_MODELS, root)).toEqual([]);
const EUR = { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'EUR', value: '1000' } };

describe('sandbox getCardInfo, inquireInstallment and consult (issue 25), from its test cards', () => {
  it('getCardInfo by card number or BIN: the brand, the issuer facts its pays carry, the installments of the region', async () => {
    const us = await getCardInfo(ctx, 'c', { cardNo: '4111111111111111' });
    decodes(asSdkTypes(us, ANSWER_TYPES['payments/getCardInfo']), 'getCardInfo');
    expect(us).toMatchObject({
      result: { resultStatus: 'S' },
      cardBrand: 'VISA',
      issuingRegion: 'US',
      funding: 'CREDIT',
      cardCategory: 'CONSUMER',
      supportInstallment: true,
    });
    expect((us.installment as { plans: Array<{ installmentNum: string }> }).plans.map((p) => p.installmentNum)).toEqual(
      Array.from({ length: 35 }, (_, i) => String(i + 2)),
    );
    expect(JSON.stringify(us)).not.toContain('4111111111111111');
    expect(await getCardInfo(ctx, 'c', { cardBin: '40000025', paymentMethodRegion: 'FR' })).toMatchObject({
      cardBrand: 'VISA',
      coBagedCardBrand: 'CARTES_BANCAIRES',
      supportInstallment: false,
    });
    expect(await getCardInfo(ctx, 'c', { cardBin: '555555' })).toMatchObject({ cardBrand: 'MASTERCARD' });
  });

  it.each([
    [{ cardNo: '4111111111111112' }, 'INVALID_CARD_NUMBER'],
    [{ cardNo: 4111111111111111 }, 'INVALID_CARD_NUMBER'],
    [{ cardBin: '999999' }, 'CARD_NOT_SUPPORTED'],
    [{ cardBin: '41' }, 'PARAM_ILLEGAL'],
    [{}, 'PARAM_ILLEGAL'],
    [{ cardNo: '4111111111111111', cardBin: '411111' }, 'PARAM_ILLEGAL'],
    [{ cardBin: '411111', paymentMethodRegion: 'usa' }, 'PARAM_ILLEGAL'],
  ])('getCardInfo %j → %s', async (body, code) => {
    expect(await codeOf(getCardInfo(ctx, 'c', body))).toBe(code);
  });

  it('inquireInstallment: one InstallmentBank, every region the pay takes a creditPayPlan in', async () => {
    const body = await inquireInstallment();
    decodes(asSdkTypes(body, ANSWER_TYPES['payments/inquireInstallment']), 'inquireInstallment');
    const plans = (body.installmentBanks as { plans: Array<{ extendInfo: string }> }).plans;
    expect([...new Set(plans.map((p) => JSON.parse(p.extendInfo).paymentMethodRegion))].sort()).toEqual(['BR', 'CL', 'KR', 'MX', 'US']);
  });

  it("consult: one CARD option, typed as Go's AlipayPayConsultResponse; none when the merchant's lists leave CARD out", async () => {
    const body = asSdkTypes(await consult(ctx, 'c', { ...EUR, userRegion: 'BR' }), ANSWER_TYPES['payments/consult']);
    expect(goDecodeProblems(body, 'consult')).toEqual([]);
    expect(body.paymentOptions).toEqual([
      expect.objectContaining({
        paymentMethodType: 'CARD',
        paymentMethodCategory: 'CARD',
        enabled: true,
        paymentMethodRegion: ['GLOBAL'],
        paymentOptionDetail: { supportCardBrands: expect.arrayContaining([{ cardBrand: 'VISA' }, { cardBrand: 'MASTERCARD' }]), funding: ['CREDIT'] },
        installment: expect.objectContaining({ plans: expect.any(Array) }),
      }),
    ]);
    expect((await consult(ctx, 'c', EUR)).paymentOptions).toEqual([expect.not.objectContaining({ installment: expect.anything() })]);
    expect((await consult(ctx, 'c', { ...EUR, allowedPaymentMethods: ['ALIPAY_CN'] })).paymentOptions).toEqual([]);
    expect((await consult(ctx, 'c', { ...EUR, blockedPaymentMethods: ['CARD'] })).paymentOptions).toEqual([]);
    expect(await codeOf(consult(ctx, 'c', { paymentAmount: EUR.paymentAmount }))).toBe('PARAM_ILLEGAL');
    expect(await codeOf(consult(ctx, 'c', { productCode: 'CASHIER_PAYMENT' }))).toBe('PARAM_ILLEGAL');
  });
});
