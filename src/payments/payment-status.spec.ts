import fc from 'fast-check';

import {
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isFinalStatus,
  PAYMENT_STATUSES,
  PaymentStatus,
  toAntomPaymentStatus,
} from './payment-status';

/** Properties of the transition table over random walks: what the state machine promises every caller. */
describe('payment state machine', () => {
  const status = fc.constantFrom(...PAYMENT_STATUSES);
  const SETTLED_ONCE: PaymentStatus[] = ['FAILED', 'CANCELLED', 'EXPIRED', 'REFUNDED'];

  it('assertTransition throws exactly when the table has no such arrow', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        const ok = canTransition(from, to);
        if (ok) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
      }),
    );
  });

  it('a final state never moves back to an unsettled one, along any walk', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 30 }), (wish) => {
        let at: PaymentStatus = 'RECEIVED';
        let wasFinal = false;
        for (const to of wish) {
          if (!canTransition(at, to)) continue;
          at = to;
          if (wasFinal) expect(isFinalStatus(at)).toBe(true);
          wasFinal = wasFinal || isFinalStatus(at);
        }
      }),
    );
  });

  it('failed, cancelled, expired and fully refunded payments are terminal', () => {
    for (const s of SETTLED_ONCE) expect(PAYMENT_STATUSES.filter((t) => canTransition(s, t))).toEqual([]);
  });

  it('only an uncaptured authorization expires, and only unsettled or authorized payments are cancelled', () => {
    expect(PAYMENT_STATUSES.filter((s) => canTransition(s, 'EXPIRED'))).toEqual(['AUTHORIZED']);
    expect(PAYMENT_STATUSES.filter((s) => canTransition(s, 'CANCELLED'))).toEqual(['RECEIVED', 'PENDING_ACTION', 'UNKNOWN', 'AUTHORIZED']);
  });

  it("every status maps to one of Antom's paymentStatus values", () => {
    for (const s of PAYMENT_STATUSES) expect(['SUCCESS', 'FAIL', 'PROCESSING', 'CANCELLED', 'PENDING']).toContain(toAntomPaymentStatus(s));
  });
});

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
