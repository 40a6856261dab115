import type { PaymentStanding } from 'antom-card-gateway/boot';

export type { AuthExpiryPolicy, PaymentStanding } from 'antom-card-gateway/boot';

/** How far `clock.advance` moves: milliseconds, or a duration (summed). */
export type ClockAdvance = number | { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number };

/** The kit's controls beyond the network and notifications: time, settlement, the buyer's 3DS answer. */
export interface KitControls {
  /**
   * A test clock, like Stripe's: moves the gateway's and the sandbox acquirer's time forward together for
   * authorization expiry (the merchant's expiry policy, then EXPIRED; the acquirer's AUTH_EXPIRED), dispute
   * deadlines (TIME_EXCEEDS_LIMIT), late authorizations and asynchronous refunds coming due, and the
   * notification retry schedules (a refused delivery comes again at once). Only forward; stop() goes back to
   * real time. Times shown in answers (paymentTime, captureTime …) stay real.
   */
  clock: {
    advance(by: ClockAdvance): Promise<{ offsetMs: number; now: string }>;
  };
  /**
   * Reconciles now every payment the gateway has not settled (U: no answer, a pending 3DS, an open capture,
   * refund or cancel) by inquiring the acquirer, as its reconciliation worker would in RECONCILE_INTERVAL_SECONDS,
   * and returns where each stands. The merchant's notification of a change follows (await `inbox.next`).
   * What the acquirer never received stays U until the merchant's same-id retry, or until the retry window
   * (RETRY_WINDOW_SECONDS, 5 min) is over: then F PROCESS_FAIL (`clock.advance({ minutes: 6 })` first).
   */
  settleNow(): Promise<PaymentStanding[]>;
  /** `settleNow` for one payment, named by its paymentId or its paymentRequestId. */
  settle(paymentIdOrRequestId: string): Promise<PaymentStanding[]>;
  /**
   * The buyer's answer to the sandbox's 3DS challenge (the page behind `normalUrl`), without a browser:
   * 'approve' authorizes (S, threeDSResult filled), 'fail' declines (F USER_PAYMENT_VERIFICATION_FAILED). The
   * acquirer then notifies the gateway, which notifies the merchant (PAYMENT_RESULT) as after a real challenge.
   * Refused when the payment awaits no challenge.
   */
  complete3ds(paymentIdOrRequestId: string, action: 'approve' | 'fail'): Promise<void>;
}

export function toMs(by: ClockAdvance): number {
  if (typeof by === 'number') return by;
  return (((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60_000 + (by.seconds ?? 0) * 1000 + (by.ms ?? 0);
}

type Control = (method: string, path: string, body?: unknown) => Promise<unknown>;

export function kitControls(control: Control): KitControls {
  return {
    clock: { advance: async (by) => (await control('POST', '/kit/clock/advance', { ms: toMs(by) })) as { offsetMs: number; now: string } },
    settleNow: async () => (await control('POST', '/kit/settle', {})) as PaymentStanding[],
    settle: async (ref) => (await control('POST', '/kit/settle', { ref })) as PaymentStanding[],
    complete3ds: async (ref, action) => void (await control('POST', '/kit/sandbox/complete-3ds', { ref, action })),
  };
}
