import { AdminPayment } from '../payments/admin-payments.service';
import { amountRefusal } from './amount-check';

const payment = (o: Partial<AdminPayment>) => ({ status: 'AUTHORIZED', currency: 'EUR', capturable: 1999n, refundable: 0n, ...o }) as AdminPayment;

describe('amountRefusal', () => {
  it('refuses more than can still be captured, in major units', () => {
    expect(amountRefusal('CAPTURE', payment({}), 2500n)).toBe('At most EUR 19.99 can still be captured.');
    expect(amountRefusal('CAPTURE', payment({}), 1999n)).toBeNull();
    expect(amountRefusal('CAPTURE', payment({ currency: 'JPY', capturable: 5000n }), 5001n)).toBe('At most JPY 5,000 can still be captured.');
  });

  it('refuses refunds above the refundable amount and amounts of zero', () => {
    expect(amountRefusal('REFUND', payment({ status: 'CAPTURED', capturable: 0n, refundable: 1234n }), 1235n)).toBe(
      'At most EUR 12.34 can still be refunded.',
    );
    expect(amountRefusal('REFUND', payment({}), 100n)).toBe('Nothing can be refunded on this payment any more (status AUTHORIZED).');
    expect(amountRefusal('CAPTURE', payment({}), 0n)).toBe('The amount must be more than zero.');
  });

  it('counts what waits for approval as taken', () => {
    expect(amountRefusal('REFUND', payment({ status: 'CAPTURED', capturable: 0n, refundable: 500n, pendingRefund: 1500n }), 600n)).toBe(
      'At most EUR 5.00 can still be refunded (EUR 15.00 more is waiting for approval).',
    );
  });
});
