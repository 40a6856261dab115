import { toAntomPaymentStatus } from './payment-status';

describe('toAntomPaymentStatus', () => {
  it('a payment waiting for the buyer (3DS challenge) is PROCESSING, as Antom defines it; PENDING (paid, result pending) is never invented', () => {
    expect(toAntomPaymentStatus('PENDING_ACTION')).toBe('PROCESSING');
    expect(toAntomPaymentStatus('RECEIVED')).toBe('PROCESSING');
    expect(toAntomPaymentStatus('UNKNOWN')).toBe('PROCESSING');
  });

  it('final states', () => {
    expect(toAntomPaymentStatus('AUTHORIZED')).toBe('SUCCESS');
    expect(toAntomPaymentStatus('CAPTURED')).toBe('SUCCESS');
    expect(toAntomPaymentStatus('FAILED')).toBe('FAIL');
    expect(toAntomPaymentStatus('EXPIRED')).toBe('FAIL');
    expect(toAntomPaymentStatus('CANCELLED')).toBe('CANCELLED');
  });
});
