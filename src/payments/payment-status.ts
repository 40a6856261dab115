/**
 * The payment state machine (ARCHITECTURE.md). Every change goes through `assertTransition`, so an
 * impossible move (a late notification trying to resurrect a cancelled payment) is refused in one place.
 */
export type PaymentStatus =
  | 'RECEIVED'
  | 'PENDING_ACTION'
  | 'UNKNOWN'
  | 'AUTHORIZED'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'PARTIALLY_CAPTURED'
  | 'CAPTURED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

const NEXT: Record<PaymentStatus, PaymentStatus[]> = {
  RECEIVED: ['PENDING_ACTION', 'UNKNOWN', 'AUTHORIZED', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
  PENDING_ACTION: ['UNKNOWN', 'AUTHORIZED', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
  UNKNOWN: ['PENDING_ACTION', 'AUTHORIZED', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
  AUTHORIZED: ['PARTIALLY_CAPTURED', 'CAPTURED', 'SUCCEEDED', 'CANCELLED', 'EXPIRED'],
  PARTIALLY_CAPTURED: ['PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  SUCCEEDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  CAPTURED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  FAILED: [],
  CANCELLED: [],
  EXPIRED: [],
  REFUNDED: [],
};

/** Every status, in the transition table's order. */
export const PAYMENT_STATUSES = Object.keys(NEXT) as PaymentStatus[];

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: PaymentStatus,
    readonly to: PaymentStatus,
  ) {
    super(`Illegal payment transition ${from} -> ${to}`);
  }
}

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isFinalStatus(s: PaymentStatus): boolean {
  return !['RECEIVED', 'PENDING_ACTION', 'UNKNOWN'].includes(s);
}

/**
 * Antom's `paymentStatus` for inquiryPayment. Antom: PROCESSING = the payment is being processed (the buyer
 * has not finished, e.g. a 3DS challenge is open); PENDING = the buyer has paid and the final result is
 * pending (notifyType PAYMENT_PENDING). A payment waiting for the buyer's action is therefore PROCESSING;
 * no gateway state means "paid, result pending", so PENDING is never answered here.
 */
export function toAntomPaymentStatus(s: PaymentStatus): 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED' | 'PENDING' {
  switch (s) {
    case 'RECEIVED':
    case 'UNKNOWN':
    case 'PENDING_ACTION':
      return 'PROCESSING';
    case 'FAILED':
    case 'EXPIRED':
      return 'FAIL';
    case 'CANCELLED':
      return 'CANCELLED';
    default:
      return 'SUCCESS';
  }
}
