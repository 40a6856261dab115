import { Payment } from '../payments/payment.entity';
import { mapPayOutcome } from './pay-outcome';

const pending = () => Object.assign(new Payment(), { captureMode: 'AUTOMATIC', amount: 120n, paymentResultInfo: {}, cardId: null });

describe('mapPayOutcome', () => {
  it('drops an all-empty threeDSResult (Korean issuer authentication is not 3DS)', () => {
    const body = { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentResultInfo: { paymentMethodRegion: 'KR', avsResultRaw: '', threeDSResult: { cavv: '', eci: '' } } };
    const info = mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!;
    expect(info).toEqual({ paymentMethodRegion: 'KR' });
  });

  it('keeps a real threeDSResult', () => {
    const threeDSResult = { eci: '02', threeDSVersion: '2.2.0', caav: 'cavvSample' };
    const body = { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentResultInfo: { threeDSResult } };
    expect(mapPayOutcome(pending(), { kind: 'answer', body }).changes.paymentResultInfo!.threeDSResult).toEqual(threeDSResult);
  });
});
