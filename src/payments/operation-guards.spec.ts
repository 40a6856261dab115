import { AntomError } from '../antom/antom-error';
import { guardCapture, guardUpdateAmount, MAX_AMOUNT_UPDATES, UpdateAmountState } from './operation-guards';
import { Payment } from './payment.entity';

/** The capture guard decides from the payment alone, with Antom's precise code. */
describe('guardCapture', () => {
  const authorized = (over: Partial<Payment> = {}): Payment =>
    Object.assign(new Payment(), {
      captureMode: 'MANUAL',
      status: 'AUTHORIZED',
      currency: 'EUR',
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      cancelRequestedAt: null,
      authExpiryTime: new Date(Date.now() + 86_400_000),
      ...over,
    });
  const codeOf = (p: Payment, amount = 500n, reserved = 0n): string | null => {
    try {
      guardCapture(p, 'EUR', amount, reserved);
      return null;
    } catch (e) {
      return (e as AntomError).result.resultCode;
    }
  };

  it('lets a live authorization be captured up to what is left', () => {
    expect(codeOf(authorized())).toBeNull();
    expect(codeOf(authorized(), 1000n, 600n)).toBe('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
  });

  it('never captures an authorization the merchant was answered F for (an AVS/CVV policy void whose cancel was refused)', () => {
    expect(codeOf(authorized({ resultStatus: 'F', resultCode: 'RISK_REJECT' }))).toBe('ORDER_STATUS_INVALID');
  });

  it('refuses a cancelled, expired or automatic-capture payment with its own code', () => {
    expect(codeOf(authorized({ cancelRequestedAt: new Date() }))).toBe('AUTH_CANCELLED');
    expect(codeOf(authorized({ authExpiryTime: new Date(Date.now() - 1000) }))).toBe('AUTH_EXPIRED');
    expect(codeOf(authorized({ captureMode: 'AUTOMATIC' }))).toBe('ORDER_STATUS_INVALID');
  });
});

describe('guardUpdateAmount', () => {
  const authorized = (over: Partial<Payment> = {}): Payment =>
    Object.assign(new Payment(), {
      captureMode: 'MANUAL',
      status: 'AUTHORIZED',
      currency: 'EUR',
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      paymentResultInfo: { incrementalAuthorizationAvailable: true },
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      cancelRequestedAt: null,
      authExpiryTime: new Date(Date.now() + 86_400_000),
      ...over,
    });
  const codeOf = (p: Payment, amount = 1500n, s: Partial<UpdateAmountState> = {}, currency = 'EUR'): string | null => {
    try {
      guardUpdateAmount(p, currency, amount, { captured: 0n, updatesMade: 0, inFlight: false, ...s });
      return null;
    } catch (e) {
      return `${(e as AntomError).result.resultStatus} ${(e as AntomError).result.resultCode}`;
    }
  };

  it('raises a live, uncaptured manual authorization to a greater total in its currency', () => {
    expect(codeOf(authorized())).toBeNull();
    expect(codeOf(authorized(), 1000n)).toBe('F PARAM_ILLEGAL');
    expect(codeOf(authorized(), 1500n, {}, 'USD')).toBe('F PARAM_ILLEGAL');
  });

  it('refuses after a capture, past 10 updates, when the acquirer said no, and on closed payments', () => {
    expect(codeOf(authorized(), 1500n, { captured: 1n })).toBe('F INCREMENTAL_NOT_SUPPORT');
    expect(codeOf(authorized({ status: 'PARTIALLY_CAPTURED' }))).toBe('F INCREMENTAL_NOT_SUPPORT');
    expect(codeOf(authorized(), 1500n, { updatesMade: MAX_AMOUNT_UPDATES })).toBe('F INCREMENTAL_NOT_SUPPORT');
    expect(codeOf(authorized({ paymentResultInfo: { incrementalAuthorizationAvailable: 'false' } }))).toBe('F INCREMENTAL_NOT_SUPPORT');
    expect(codeOf(authorized({ captureMode: 'AUTOMATIC' }))).toBe('F ORDER_STATUS_INVALID');
    expect(codeOf(authorized({ cancelRequestedAt: new Date() }))).toBe('F AUTH_CANCELLED');
    expect(codeOf(authorized({ authExpiryTime: new Date(Date.now() - 1000) }))).toBe('F AUTH_EXPIRED');
  });

  it('answers U while another update is in flight: it passes by itself', () => {
    expect(codeOf(authorized(), 1500n, { inFlight: true })).toBe('U UNKNOWN_EXCEPTION');
  });
});
