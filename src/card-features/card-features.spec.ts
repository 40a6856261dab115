import { AntomError } from '../antom/antom-error';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { decideCardFeatures } from './card-features';
import { installmentRegion } from './credit-pay-plan';

const US_VISA = { bin: '411111', last4: '1111', brands: ['VISA'], masked: '411111******1111', fingerprint: 'f' };

/** A USD pay with a 3-month plan; the cardholder's billing address is in China. */
function usdPlan(meta: Record<string, unknown> = {}): PayRequestDto {
  return {
    paymentRequestId: 'r1',
    paymentAmount: { currency: 'USD', value: '9000' },
    order: { referenceOrderId: 'o1', orderDescription: 'd', orderAmount: { currency: 'USD', value: '9000' } },
    paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { cardNo: '4111111111111111', billingAddress: { region: 'CN' }, ...meta } },
    creditPayPlan: { installmentNum: 3 },
  } as unknown as PayRequestDto;
}

function refusal(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(AntomError);
    return (e as AntomError).result.resultMessage;
  }
}

describe('installment region: paymentMethodRegion, else the issuing country, never the billing address', () => {
  it('a US card paying in USD with paymentMethodRegion US and a CN billing address pays in installments', () => {
    const d = decideCardFeatures(usdPlan({ paymentMethodRegion: 'US' }), US_VISA, true, 'US');
    expect(d.creditPayPlan).toMatchObject({ installmentNum: 3 });
  });

  it("without paymentMethodRegion the card's issuing country (BIN table) is the region", () => {
    expect(decideCardFeatures(usdPlan(), US_VISA, true, 'US').creditPayPlan).toMatchObject({ installmentNum: 3 });
  });

  it('no region from anywhere: refused naming none', () => {
    expect(refusal(() => decideCardFeatures(usdPlan(), US_VISA, true, undefined))).toMatch(/not offered in region \(none\)/);
  });

  it('paymentMethodRegion wins over the issuing country', () => {
    expect(refusal(() => decideCardFeatures(usdPlan({ paymentMethodRegion: 'DE' }), US_VISA, true, 'US'))).toMatch(/not offered in region DE/);
  });

  it.each([
    ['BR', 'US', 'BR'],
    [undefined, 'US', 'US'],
    ['', 'MX', 'MX'],
    [undefined, undefined, undefined],
  ])('installmentRegion(%s, %s) = %s', (sent, issuing, region) => {
    expect(installmentRegion(sent, issuing)).toBe(region);
  });
});

/** Issue 29: on the hosted form the card is typed on the acquirer's page after the answer. */
describe("installments on the hosted form: the plan is checked, the card is the acquirer's to check", () => {
  const UNSEEN = { bin: '', last4: '', brands: ['UNKNOWN'], masked: '', fingerprint: '' };
  const hosted = (meta: Record<string, unknown> = {}, plan: unknown = { installmentNum: 3 }) => {
    const req = usdPlan();
    req.paymentMethod.paymentMethodMetaData = Object.keys(meta).length ? meta : undefined;
    req.creditPayPlan = plan as Record<string, unknown>;
    return req;
  };

  it('no region named: the plan is forwarded (before: F CARD_NOT_SUPPORTED "UNKNOWN cards do not offer installments in US")', () => {
    expect(decideCardFeatures(hosted(), UNSEEN, false).creditPayPlan).toEqual({ installmentNum: 3 });
  });

  it('a region named: its currency is still checked, the brand is not', () => {
    expect(decideCardFeatures(hosted({ paymentMethodRegion: 'US' }), UNSEEN, false).creditPayPlan).toMatchObject({ installmentNum: 3 });
    expect(refusal(() => decideCardFeatures(hosted({ paymentMethodRegion: 'BR' }), UNSEEN, false))).toMatch(/Installments in BR are paid in BRL/);
    expect(refusal(() => decideCardFeatures(hosted({ paymentMethodRegion: 'DE' }), UNSEEN, false))).toMatch(/not offered in region DE/);
  });

  it('a malformed plan is refused as on every path', () => {
    expect(refusal(() => decideCardFeatures(hosted({}, { installmentNum: 99 }), UNSEEN, false))).toMatch(
      /installmentNum must be an integer from 2 to 36/,
    );
  });

  it('a known card (server-to-server) still has its brand checked', () => {
    expect(refusal(() => decideCardFeatures(usdPlan({ paymentMethodRegion: 'US' }), { ...US_VISA, brands: ['JCB'] }, true, 'US'))).toMatch(
      /JCB cards do not offer installments in US/,
    );
  });
});
