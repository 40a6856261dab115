/*
 * The bundled sandbox's test cards and fault amounts (docs/api.md "Sandbox test cards and fault triggers";
 * sandbox/test-cards.ts and sandbox/faults.ts are the source), as constants for a merchant's tests.
 */
export const TEST_CARDS = {
  /** Authorized (AVS Y, CVV M); so is any other Luhn-valid card. */
  VISA_SUCCESS: '4111111111111111',
  MASTERCARD_SUCCESS: '5555555555554444',
  DO_NOT_HONOR: '4000000000000002',
  INSUFFICIENT_FUNDS: '4000000000009995',
  LOST_CARD: '4000000000009987',
  STOLEN_CARD: '4000000000009979',
  INVALID_CVV: '4000000000000127',
  RISK_REJECT: '4000000000004954',
  /** U PAYMENT_IN_PROCESS with `normalUrl`: the sandbox's 3DS page (Approve / Fail / Abandon), or `complete3ds`. */
  THREE_DS_CHALLENGE: '4000000000003220',
  /** Authorized; each capture draws a chargeback: notifyDispute DISPUTE_CREATED 5 s later, 7 days to defend. */
  DISPUTED: '4000000000000259',
} as const;

/**
 * Amount endings (last five digits of the amount's `value`) that make the sandbox acquirer misbehave towards
 * the gateway; the gateway absorbs most of it (resends, dedupes, reconciles), which is what they show a merchant.
 * Each gives the same outcome every time (docs/client-and-kit.md "Fault amounts": first answer, notification,
 * same-id retry; test/client/test-kit-controls.e2e-spec.ts pays each five times).
 */
export const FAULT_AMOUNTS = {
  /** The acquirer answers after SANDBOX_SLOW_ANSWER_MS (3 s in the kit), every time: S, late. */
  SLOW: '90001',
  /** The acquirer's answer is lost once (processed): the gateway resends with the same id; S. */
  UPSTREAM_DROP: '90002',
  /** Signed U UNKNOWN_EXCEPTION once; the gateway's resend says SUCCESS: S. */
  UPSTREAM_UNKNOWN: '90005',
  /** The acquirer sends every notification of the payment twice; the merchant still gets each once. */
  DUPLICATE_NOTIFICATIONS: '90007',
  /** The acquirer holds the payment's PAYMENT_RESULT back (10 min × scale) behind its CAPTURE_RESULT. */
  OUT_OF_ORDER_NOTIFICATIONS: '90008',
  /** The authorization's result comes late: U UNKNOWN_EXCEPTION, then PAYMENT_RESULT S about 2 s after the gateway's last send. */
  LATE_AUTHORIZATION: '90011',
  /** A cancel answers F CANCEL_WINDOW_EXCEED. */
  CANCEL_WINDOW_OVER: '90012',
} as const;
