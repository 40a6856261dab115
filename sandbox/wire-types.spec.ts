import { goDecodeProblems } from '../test/support/go-decode';
import { decideCard, isCardNumber, issuerFacts } from './card-decision';
import { ANSWER_TYPES, asSdkTypes, NOTIFICATION_TYPES } from './wire-types';

const pay = (meta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { cvv: '123', expiryMonth: '12', expiryYear: '40', ...meta } },
  ...extra,
});

describe('sandbox answers in the JSON types of the SDK models (issue 25)', () => {
  it('builds the *Available flags as booleans and installmentNum as an integer', () => {
    expect(issuerFacts('4111111111111111', 'sbx_0123456789abcdef0123')).toMatchObject({
      incrementalAuthorizationAvailable: false,
      extendedAuthorizationAvailable: false,
      refundOnAuthorizationAvailable: false,
    });
    const manual = decideCard(pay({ cardNo: '4111111111111111' }, { paymentFactor: { captureMode: 'MANUAL' } }), '4111111111111111', 'sbx_x');
    expect(manual.info.incrementalAuthorizationAvailable).toBe(true);
    const plan = decideCard(
      pay({ cardNo: '4111111111111111', paymentMethodRegion: 'BR' }, { creditPayPlan: { installmentNum: '3', feePercentage: 2 } }),
      '4111111111111111',
      'sbx_x',
    );
    expect(plan.info.creditPayPlan).toEqual({ installmentNum: 3, feePercentage: 2 });
    expect(goDecodeProblems({ paymentResultInfo: manual.info }, 'pay')).toEqual([]);
    expect(goDecodeProblems({ paymentResultInfo: plan.info }, 'pay')).toEqual([]);
  });

  it("types an answer stored in the docs' all-string form on its way out, and leaves what it cannot type for the decode check to name", () => {
    const stored = {
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
      paymentAmount: { currency: 'EUR', value: 1000 },
      paymentResultInfo: {
        incrementalAuthorizationAvailable: 'true',
        refundOnAuthorizationAvailable: 'false',
        creditPayPlan: { installmentNum: '3', feePercentage: '2' },
        threeDSResult: { challenged: 'false' },
      },
      cardInfo: { threeDSResult: { challenged: 'true' } },
      transactions: [{ transactionAmount: { currency: 'EUR', value: 1000 } }],
      notInTheModel: 'true',
    };
    const typed = asSdkTypes(stored, ANSWER_TYPES['payments/inquiryPayment']);
    expect(typed).toMatchObject({
      paymentAmount: { value: '1000' },
      paymentResultInfo: {
        incrementalAuthorizationAvailable: true,
        refundOnAuthorizationAvailable: false,
        creditPayPlan: { installmentNum: 3, feePercentage: 2 },
        threeDSResult: { challenged: false },
      },
      cardInfo: { threeDSResult: { challenged: true } },
      transactions: [{ transactionAmount: { value: '1000' } }],
      notInTheModel: 'true',
    });
    expect(goDecodeProblems(stored, 'inquiryPayment')).not.toEqual([]);
    expect(goDecodeProblems(typed, 'inquiryPayment')).toEqual([]);
    // Not a boolean or an integer in any form: left as it is, so goDecodeProblems names it.
    const odd = asSdkTypes(
      { paymentResultInfo: { incrementalAuthorizationAvailable: 'yes', creditPayPlan: { installmentNum: '3.5' } } },
      ANSWER_TYPES['payments/pay'],
    );
    expect(goDecodeProblems(odd, 'pay')).toHaveLength(2);
  });

  it('has a model for every API the sandbox serves and every notification it sends', () => {
    expect(Object.keys(NOTIFICATION_TYPES).sort()).toEqual([
      'CAPTURE_RESULT',
      'NOTIFY_DISPUTE',
      'PAYMENT_RESULT',
      'REFUND_RESULT',
      'UPDATE_AMOUNT_RESULT',
    ]);
    expect(asSdkTypes({ defendable: 'true' }, NOTIFICATION_TYPES.NOTIFY_DISPUTE)).toEqual({ defendable: true });
    // A field named like an Object.prototype member is not a model field.
    expect(asSdkTypes({ constructor: 'x' }, ANSWER_TYPES['payments/pay'])).toEqual({ constructor: 'x' });
  });
});

describe('sandbox card numbers: 12–19 digits passing Luhn, as Antom takes them', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['4111 1111 1111 1111', false],
    ['41111111111', false],
    ['5555555555554444', true],
  ])('%s → %s', (cardNo, ok) => {
    expect(isCardNumber(cardNo)).toBe(ok);
  });
});
