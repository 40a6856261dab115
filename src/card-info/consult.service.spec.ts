import { AntomError } from '../antom/antom-error';
import { validateBody } from '../antom/requests/common.dto';
import { ConsultRequestDto } from '../antom/requests/consult.dto';
import { ConsultService } from './consult.service';

const service = new ConsultService();
const consult = async (body: Record<string, unknown>) =>
  service.consult(
    await validateBody(ConsultRequestDto, { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'EUR', value: '1000' }, ...body }),
  );
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'S',
    (e: AntomError) => `${e.result.resultCode} ${e.message}`,
  );

describe('payments/consult for cards (issue 25)', () => {
  it('offers CARD: the brands brand detection pays, every funding type, no installments without a region paying in the currency', async () => {
    const answer = await consult({});
    expect(answer.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const [card] = answer.paymentOptions as Array<Record<string, any>>;
    expect(card).toMatchObject({ paymentMethodType: 'CARD', paymentMethodCategory: 'CARD', paymentMethodRegion: ['GLOBAL'], enabled: true });
    expect(card.paymentOptionDetail.supportCardBrands.map((b: { cardBrand: string }) => b.cardBrand)).toEqual(
      expect.arrayContaining(['VISA', 'MASTERCARD', 'AMEX', 'JCB', 'CUP', 'CARTES_BANCAIRES']),
    );
    expect(card.paymentOptionDetail.funding).toEqual(['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT']);
    expect(card.installment).toBeUndefined();
    expect(((await consult({ userRegion: 'BR' })).paymentOptions as Array<Record<string, unknown>>)[0].installment).toBeUndefined();
  });

  it('adds the installment plans of userRegion when the amount is in its currency', async () => {
    const [card] = (await consult({ userRegion: 'BR', paymentAmount: { currency: 'BRL', value: '9000' } })).paymentOptions as Array<
      Record<string, any>
    >;
    expect(card.installment.plans).toHaveLength(35);
    expect(card.installment.plans[0]).toMatchObject({ installmentNum: '2', interval: 'MONTH', enabled: true });
    expect(card.installment.supportCardBrands).toContainEqual({ cardBrand: 'ELO' });
  });

  it.each([[{ allowedPaymentMethods: ['ALIPAY_CN'] }], [{ blockedPaymentMethods: ['CARD'] }], [{ allowedPaymentMethodRegions: ['CN'] }]])(
    'offers nothing when %j leaves CARD out',
    async (body) => {
      expect((await consult(body)).paymentOptions).toEqual([]);
    },
  );

  it.each([
    [{ productCode: 'AGREEMENT_PAYMENT' }, /^PARAM_ILLEGAL Illegal parameter productCode/],
    [{ paymentAmount: undefined }, /^PARAM_ILLEGAL Illegal parameter paymentAmount: is required/],
    [{ paymentAmount: { currency: 'XAU', value: '1' } }, /^CURRENCY_NOT_SUPPORT/],
    [{ merchantAccountId: 'SUB_1' }, /^PARAM_ILLEGAL Illegal parameter merchantAccountId: is not supported/],
    [{ allowedPspRegions: ['CN'] }, /^PARAM_ILLEGAL Illegal parameter allowedPspRegions: is not supported/],
    [{ userRegion: 'Brazil' }, /^PARAM_ILLEGAL Illegal parameter userRegion/],
    [{ allowedPaymentMethodRegions: ['EUROPE'] }, /^PARAM_ILLEGAL Illegal parameter allowedPaymentMethodRegions/],
  ])('refuses %j', async (body, expected) => {
    expect(await codeOf(consult(body))).toMatch(expected);
  });
});
