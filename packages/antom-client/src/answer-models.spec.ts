import { AcquirerInfo as ACQUIRER_INFO, PaymentResultInfo as PAYMENT_RESULT_INFO } from '../../../src/antom/wire/models';
import type { AcquirerInfo, PayAnswer, PaymentResultInfo, Result, ThreeDSResult } from './index';

/*
 * Type-level checks (compiled by `tsc --noEmit`, as every spec: a `@ts-expect-error` that no longer errs
 * fails the typecheck), and the client's copies of Antom's models held to the gateway's TypeBox models.
 */

/** Every field of the type, once: a missing or an extra key does not compile. */
type Keys<T> = { [K in keyof Required<T>]: true };
const paymentResultInfoKeys: Keys<PaymentResultInfo> = {
  issuerName: true,
  refusalCodeRaw: true,
  refusalReasonRaw: true,
  merchantAdviceCode: true,
  acquirerInfo: true,
  cardNo: true,
  cardBrand: true,
  cardToken: true,
  issuingCountry: true,
  funding: true,
  paymentMethodRegion: true,
  threeDSResult: true,
  avsResultRaw: true,
  cvvResultRaw: true,
  networkTransactionId: true,
  creditPayPlan: true,
  cardholderName: true,
  cardBin: true,
  lastFour: true,
  expiryMonth: true,
  expiryYear: true,
  cardCategory: true,
  accountNo: true,
  exemptionRequested: true,
  credentialTypeUsed: true,
  rrn: true,
  userAuthorizationStatus: true,
  authorizationCode: true,
  incrementalAuthorizationAvailable: true,
  extendedAuthorizationAvailable: true,
  refundOnAuthorizationAvailable: true,
};
const acquirerInfoKeys: Keys<AcquirerInfo> = {
  acquirerName: true,
  referenceRequestId: true,
  acquirerTransactionId: true,
  acquirerMerchantId: true,
  acquirerResultCode: true,
  acquirerResultMessage: true,
  acquirerMerchantName: true,
  acquirerReasonDescription: true,
  ptspTransactionId: true,
  acquirerCardToken: true,
};

describe("the client's answer models", () => {
  it('name the same fields as the gateway’s models of Antom’s PaymentResultInfo and AcquirerInfo', () => {
    expect(Object.keys(paymentResultInfoKeys).sort()).toEqual(Object.keys(PAYMENT_RESULT_INFO.properties).sort());
    expect(Object.keys(acquirerInfoKeys).sort()).toEqual(Object.keys(ACQUIRER_INFO.properties).sort());
  });

  it('narrow a pay answer by status: paymentId is a string on S only', () => {
    const seen: Array<string | undefined> = [];
    const read = (r: Result<PayAnswer>) => {
      if (r.status === 'S') {
        const id: string = r.answer.paymentId;
        const requestId: string = r.answer.paymentRequestId;
        const eci: string | undefined = r.answer.paymentResultInfo?.threeDSResult?.eci;
        const acquirer: string | undefined = r.answer.acquirerInfo?.acquirerResultCode;
        seen.push(id, requestId, eci, acquirer);
      } else if (r.status === 'F') {
        // @ts-expect-error -- a declined pay may carry no paymentId
        const id: string = r.answer.paymentId;
        const refusal: string | undefined = r.answer.paymentResultInfo?.refusalCodeRaw;
        seen.push(id, refusal);
      } else {
        // @ts-expect-error -- U: there may be no answer at all (NO_ANSWER), and then no paymentId
        const id: string = r.answer?.paymentId;
        seen.push(id, r.answer?.normalUrl);
      }
      // @ts-expect-error -- before narrowing, the answer is not known to be S
      const unnarrowed: string = (r as Extract<Result<PayAnswer>, { answer: unknown }>).answer.paymentId;
      seen.push(unnarrowed);
    };
    const result = { resultCode: 'SUCCESS', resultStatus: 'S' as const, resultMessage: 'success' };
    read({ status: 'S', code: 'SUCCESS', message: '', answer: { result, paymentId: 'gwp_1', paymentRequestId: 'r1' } });
    expect(seen.slice(0, 2)).toEqual(['gwp_1', 'r1']);
    const threeDS: ThreeDSResult = { eci: '05', challenged: true };
    expect(threeDS.challenged).toBe(true);
  });
});
