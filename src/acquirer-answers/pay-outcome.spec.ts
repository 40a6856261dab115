import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { mapPayOutcome } from './pay-outcome';

const pending = () =>
  Object.assign(new Payment(), { captureMode: 'AUTOMATIC', amount: 120n, paymentResultInfo: {}, cardId: null, paymentRequestId: 'merchant-req-1' });

describe('mapPayOutcome', () => {
  it('keeps the Korean result as sent, empty strings included: avsResultRaw, cvvResultRaw "" and the empty threeDSResult (issue 29)', () => {
    const body = {
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentResultInfo: { paymentMethodRegion: 'KR', avsResultRaw: '', cvvResultRaw: '', threeDSResult: { cavv: '', eci: '' } },
    };
    const { checks, ...info } = mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!;
    expect(info).toEqual({ paymentMethodRegion: 'KR', avsResultRaw: '', cvvResultRaw: '', threeDSResult: { cavv: '', eci: '' } });
    // No check ran: nothing failed, so no AVS policy acts on it.
    expect(checks).toEqual({ addressLine1Check: 'unavailable', postalCodeCheck: 'unavailable', cvcCheck: 'unavailable' });
  });

  it('an empty AVS or CVV echo never replaces a code already known', () => {
    const p = Object.assign(pending(), { paymentResultInfo: { avsResultRaw: 'Y', cvvResultRaw: 'M' } });
    const body = { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentResultInfo: { avsResultRaw: '', cvvResultRaw: '' } };
    expect(mapPayOutcome(p, { kind: 'answer', body }).changes.paymentResultInfo).toMatchObject({ avsResultRaw: 'Y', cvvResultRaw: 'M' });
  });

  it('keeps a real threeDSResult', () => {
    const threeDSResult = { eci: '02', threeDSVersion: '2.2.0', caav: 'cavvSample' };
    const body = { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentResultInfo: { threeDSResult } };
    expect(mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!.threeDSResult).toEqual(threeDSResult);
  });

  it("keeps the whole of Antom's card result info but the card data, and no field the model does not name", () => {
    const whole = {
      issuerName: 'ACME BANK',
      refusalCodeRaw: '05',
      refusalReasonRaw: 'Do not honor',
      merchantAdviceCode: '02',
      rrn: '123456789012',
      cardCategory: 'CONSUMER',
      exemptionRequested: 'LOW_VALUE',
      credentialTypeUsed: 'PAN',
      userAuthorizationStatus: 'AUTHORIZED',
      incrementalAuthorizationAvailable: 'true',
      extendedAuthorizationAvailable: 'false',
      refundOnAuthorizationAvailable: 'false',
    };
    const card = {
      cardNo: '4111111111111111',
      cardBin: '41111111',
      lastFour: '1111',
      expiryMonth: '12',
      expiryYear: '34',
      cardholderName: 'Jane Doe',
      accountNo: '4111111111111111',
    };
    const body = { result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR' }, paymentResultInfo: { ...whole, ...card, somethingElse: 'x' } };
    const info = mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!;
    // The card number only masked (the gateway's own mask of a hosted page's card); no expiry, holder or account.
    expect(info).toEqual({ ...whole, cardNo: '4111********1111', cardBin: '411111', lastFour: '1111' });
    expect(JSON.stringify(info)).not.toContain('4111111111111111');
  });

  it("keeps acquirerInfo (inside or beside paymentResultInfo) with the merchant's request id, without the acquirer's card token", () => {
    const acquirerInfo = {
      acquirerName: 'ACQ',
      referenceRequestId: 'gateway-internal-uuid',
      acquirerTransactionId: 't1',
      acquirerCardToken: 'tok',
      other: 'x',
    };
    for (const body of [
      { result: { resultStatus: 'S' }, acquirerInfo },
      { result: { resultStatus: 'S' }, paymentResultInfo: { acquirerInfo } },
    ]) {
      expect(mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!.acquirerInfo).toEqual({
        acquirerName: 'ACQ',
        referenceRequestId: 'merchant-req-1',
        acquirerTransactionId: 't1',
      });
    }
  });

  it('keeps a challengeActionForm the acquirer sends with PAYMENT_IN_PROCESS, and shows it in the pay answer', () => {
    const challengeActionForm = { challengeType: 'SMS_OTP', challengeRenderValue: '+86***1234', triggerSource: 'ISSUER', junk: 'x' };
    const body = {
      result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' },
      paymentId: 'up1',
      normalUrl: 'https://acq.example/c',
      challengeActionForm,
    };
    const mapped = mapPayOutcome(pending(), { kind: 'answer', body });
    const p = Object.assign(pending(), mapped.changes, { status: mapped.status, paymentId: 'gwp_1', currency: 'EUR', createdAt: new Date() });
    expect(payResponse(p).challengeActionForm).toEqual({ challengeType: 'SMS_OTP', challengeRenderValue: '+86***1234', triggerSource: 'ISSUER' });
  });

  it('builds its changes in a fixed key order: stored view, then the acquirer fields in the model order, then the columns, then the status fields', () => {
    const p = Object.assign(pending(), { paymentResultInfo: { cardNo: '411111******1111', cardBrand: 'VISA' } });
    const body = {
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      paymentId: 'up_1',
      paymentTime: '2026-12-08T01:00:00+00:00',
      paymentResultInfo: { funding: 'CREDIT', avsResultRaw: 'Y' },
    };
    const { changes } = mapPayOutcome(p, { kind: 'answer', body });
    expect(Object.keys(changes)).toEqual([
      'upstreamPaymentId',
      'resultCode',
      'resultMessage',
      'paymentResultInfo',
      'resultStatus',
      'authorizedAmount',
      'paymentTime',
      'authExpiryTime',
    ]);
    expect(Object.keys(changes.paymentResultInfo!)).toEqual(['cardNo', 'cardBrand', 'funding', 'avsResultRaw', 'checks']);
    const refused = mapPayOutcome(p, { kind: 'answer', body: { ...body, result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR' } } }).changes;
    expect(Object.keys(refused)).toEqual(['upstreamPaymentId', 'resultCode', 'resultMessage', 'paymentResultInfo', 'resultStatus']);
  });
});
