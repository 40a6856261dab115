import { randomUUID } from 'node:crypto';

import { CARD_API_MODELS, CARD_API_ROOTS } from '../support/card-api-models';
import { s2sPay } from '../support/fixtures';
import { goDecodeProblems, modelDecodeProblems } from '../support/go-decode';
import { startTestStack, TestStack } from '../support/stack';

/**
 * getCardInfo (the BIN table, data/bin-table.csv), inquireInstallment (the creditPayPlan rules) and consult
 * (cards), through the gateway, signed both ways; their shapes as the SDK models type them; the updateAmount
 * answer too.
 */
describe('getCardInfo and inquireInstallment', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKERS_ENABLED: 'false' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (api: string, body: object) => {
    const res = await stack.merchant.post(`payments/${api}`, body);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    return res;
  };
  const decodes = (body: unknown, root: keyof typeof CARD_API_ROOTS) =>
    expect(modelDecodeProblems(body, CARD_API_ROOTS[root], CARD_API_MODELS, root)).toEqual([]);
  const FUNDING = ['CREDIT', 'DEBIT', 'PREPAID', 'CHARGE', 'DEFERRED_DEBIT'];

  it('answers a BIN from the table: brand, funding, category, issuing region, the installments of that region', async () => {
    const { body } = await post('getCardInfo', { cardBin: '411111' });
    decodes(body, 'getCardInfo');
    expect(body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      cardBrand: 'VISA',
      funding: 'CREDIT',
      cardCategory: 'CONSUMER',
      issuingRegion: 'US',
      supportInstallment: true,
    });
    expect(FUNDING).toContain(body.funding);
    expect(body.installment.supportCardBrands.map((b: { cardBrand: string }) => b.cardBrand)).toEqual(['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER']);
    expect(body.installment.plans.map((p: { installmentNum: string }) => p.installmentNum)).toEqual(
      Array.from({ length: 35 }, (_, i) => String(i + 2)),
    );
    expect(JSON.parse(body.installment.plans[0].extendInfo)).toMatchObject({ paymentMethodRegion: 'US', currency: 'USD' });
    // paymentMethodRegion decides the installment region as it does for a pay.
    const fr = (await post('getCardInfo', { cardBin: '411111', paymentMethodRegion: 'FR' })).body;
    expect(fr).toMatchObject({ issuingRegion: 'US', supportInstallment: false });
    expect(fr.installment).toBeUndefined();
  });

  it('takes a card number but answers, logs and keeps only what its BIN says; co-badged brands come apart', async () => {
    const pan = '4000002500001001';
    const res = await post('getCardInfo', { cardNo: pan });
    decodes(res.body, 'getCardInfo');
    expect(res.body).toMatchObject({
      cardBrand: 'VISA',
      coBagedCardBrand: 'CARTES_BANCAIRES',
      funding: 'DEBIT',
      issuingRegion: 'FR',
      supportInstallment: false,
    });
    expect(res.raw).not.toContain(pan);
    expect(res.raw).not.toContain(pan.slice(8));
    await new Promise((r) => setTimeout(r, 200));
    expect(JSON.stringify(stack.logLines())).not.toContain(pan);
  });

  it('a BIN outside the table: the scheme from its range, nothing invented; no scheme: CARD_NOT_SUPPORTED', async () => {
    const { body } = await post('getCardInfo', { cardBin: '601100' });
    decodes(body, 'getCardInfo');
    expect(body).toEqual({ result: expect.objectContaining({ resultStatus: 'S' }), cardBrand: 'DISCOVER', supportInstallment: false });
    expect((await post('getCardInfo', { cardBin: '999999' })).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_NOT_SUPPORTED' });
  });

  it.each([
    [{}, 'PARAM_ILLEGAL', /cardBin: cardNo or cardBin is required/],
    [{ cardBin: '41' }, 'PARAM_ILLEGAL', /cardBin/],
    [{ cardBin: 411111 }, 'PARAM_ILLEGAL', /cardBin/],
    [{ cardNo: '4111111111111112' }, 'INVALID_CARD_NUMBER', /cardNo/],
    [{ cardNo: '4111 1111 1111 1111' }, 'INVALID_CARD_NUMBER', /cardNo/],
    [{ cardNo: '4111111111111111', cardBin: '411111' }, 'PARAM_ILLEGAL', /not both/],
    [{ cardBin: '411111', paymentMethodRegion: 'usa' }, 'PARAM_ILLEGAL', /paymentMethodRegion/],
    [{ cardBin: null, cardNo: null }, 'PARAM_ILLEGAL', /cardNo or cardBin is required/],
  ])('getCardInfo refuses %j with F %s', async (body, code, message) => {
    const res = await post('getCardInfo', body);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: code });
    expect(res.body.result.resultMessage).toMatch(message);
    expect(res.raw).not.toContain('4111111111111111');
  });

  it('inquireInstallment lists exactly what a pay accepts: every offered region pays, another is refused', async () => {
    const { body } = await post('inquireInstallment', {});
    decodes(body, 'inquireInstallment');
    expect(body.result.resultStatus).toBe('S');
    const plans: Array<{ installmentNum: string; enabled: boolean; extendInfo: string }> = body.installmentBanks.plans;
    const offers = new Map(
      plans.map((p) => [
        JSON.parse(p.extendInfo).paymentMethodRegion as string,
        JSON.parse(p.extendInfo) as { currency: string; cardBrands: string[] },
      ]),
    );
    expect([...offers.keys()].sort()).toEqual(['BR', 'CL', 'KR', 'MX', 'US']);
    expect(plans).toHaveLength(5 * 35);
    for (const [region, offer] of offers) {
      expect(offer.cardBrands).toContain('VISA');
      expect((await post('pay', installmentPay(region, offer.currency, 3))).body.result).toMatchObject({ resultStatus: 'S' });
    }
    expect((await post('pay', installmentPay('FR', 'EUR', 3))).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect((await post('pay', installmentPay('US', 'USD', 37))).body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });

    const refused = await post('inquireInstallment', { merchantAccountId: 'SUB_1' });
    expect(refused.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(refused.body.result.resultMessage).toMatch(/merchantAccountId: is not supported/);
  });

  it("consult (issue 25, was NO_INTERFACE_DEF): CARD with its brands and the installments a pay accepts, in Go's AlipayPayConsultResponse types", async () => {
    const consult = {
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'BRL', value: '9000' },
      userRegion: 'BR',
      env: { terminalType: 'WEB' },
    };
    const { body } = await post('consult', consult);
    expect(goDecodeProblems(body, 'consult')).toEqual([]);
    expect(body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(body.paymentOptions).toHaveLength(1);
    const [card] = body.paymentOptions;
    expect(card).toMatchObject({ paymentMethodType: 'CARD', paymentMethodCategory: 'CARD', enabled: true, paymentMethodRegion: ['GLOBAL'] });
    expect(card.paymentOptionDetail.supportCardBrands).toEqual(expect.arrayContaining([{ cardBrand: 'VISA' }, { cardBrand: 'MASTERCARD' }]));
    // What consult offers pays: a plan it lists, with a brand it lists, in its currency.
    const num = Number(card.installment.plans.at(-1).installmentNum);
    expect(card.installment.supportCardBrands).toContainEqual({ cardBrand: 'VISA' });
    expect((await post('pay', installmentPay('BR', 'BRL', num))).body.result).toMatchObject({ resultStatus: 'S' });
    const blocked = (await post('consult', { ...consult, blockedPaymentMethods: ['CARD'] })).body;
    expect(blocked).toMatchObject({ result: { resultStatus: 'S' }, paymentOptions: [] });
    const refused = (await post('consult', { ...consult, merchantAccountId: 'SUB_1' })).body;
    expect(refused.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringMatching(/merchantAccountId: is not supported/),
    });
    expect((await post('consult', { ...consult, paymentAmount: { currency: 'XAU', value: '1' } })).body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'CURRENCY_NOT_SUPPORT',
    });
  });

  it('the updateAmount answer decodes into the SDK model', async () => {
    const pay = (await post('pay', s2sPay({ captureMode: 'MANUAL', value: '10000' }))).body;
    const up = (await post('updateAmount', { updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: { currency: 'EUR', value: '12000' } }))
      .body;
    expect(up.result.resultStatus).toBe('S');
    decodes(up, 'updateAmount');
    const refused = (
      await post('updateAmount', { updateRequestId: randomUUID(), paymentId: pay.paymentId, amount: { currency: 'EUR', value: '100' } })
    ).body;
    decodes(refused, 'updateAmount');
  });
});

/**
 * The seed's pay with a VISA card, an installment plan, and every amount in the region's currency. The
 * region is paymentMethodRegion, except KR: the seed's card is issued there (data/bin-table.csv), and a pay
 * that names KR is a Korean local-card pay (identity fields), so KR comes from the issuing country.
 */
function installmentPay(region: string, currency: string, installmentNum: number) {
  const req = s2sPay({ captureMode: 'MANUAL', value: '9000', currency });
  for (const g of req.order.goods ?? []) g.goodsUnitAmount.currency = currency;
  if (region !== 'KR') req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = region;
  if (req.settlementStrategy) req.settlementStrategy.settlementCurrency = currency;
  req.creditPayPlan = { installmentNum };
  return req;
}
