import { asAntomModel } from './coerce';
import { PaymentResultInfo as PAYMENT_RESULT_INFO } from './models';

describe('asAntomModel (paymentResultInfo as the SDK models decode it)', () => {
  it("turns the docs' all-string scalars into the model types, nested too", () => {
    expect(
      asAntomModel(
        {
          creditPayPlan: { installmentNum: '3', feePercentage: '2', interval: 'MONTH', filteredInstallmentPeriods: ['3', 6] },
          threeDSResult: { challenged: 'true', threeDSOffered: 'false', eci: 5 },
          refundOnAuthorizationAvailable: 'true',
          cardBin: 411111,
          lastFour: '1111',
        },
        PAYMENT_RESULT_INFO,
      ),
    ).toEqual({
      creditPayPlan: { installmentNum: 3, feePercentage: 2, interval: 'MONTH', filteredInstallmentPeriods: [3, 6] },
      threeDSResult: { challenged: true, threeDSOffered: false, eci: '5' },
      refundOnAuthorizationAvailable: true,
      cardBin: '411111',
      lastFour: '1111',
    });
  });

  it('takes the SDK-typed form the sandbox sends (issue 25) as it is: the acquirer may send either form', () => {
    const typed = {
      creditPayPlan: { installmentNum: 3, feePercentage: 2 },
      threeDSResult: { challenged: false },
      incrementalAuthorizationAvailable: true,
      extendedAuthorizationAvailable: false,
      refundOnAuthorizationAvailable: false,
    };
    expect(asAntomModel(typed, PAYMENT_RESULT_INFO)).toEqual(typed);
  });

  it('drops what cannot take the model type (better absent than an answer the SDK cannot decode), keeps unknown fields', () => {
    expect(
      asAntomModel(
        {
          creditPayPlan: { installmentNum: '3.5' },
          acquirerInfo: 'x',
          refundOnAuthorizationAvailable: 'yes',
          cardNo: { a: 1 },
          checks: { avs: 'Y' },
        },
        PAYMENT_RESULT_INFO,
      ),
    ).toEqual({ creditPayPlan: {}, checks: { avs: 'Y' } });
    expect(asAntomModel(null, PAYMENT_RESULT_INFO)).toBeUndefined();
  });
});
