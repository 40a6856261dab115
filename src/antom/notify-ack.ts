import type { AntomResult } from './result-codes';

/*
 * The exact acknowledgement Antom expects from a notification receiver (contract §1).
 * Anything else (other body, non-200) makes the sender retry, so it is a fixed constant.
 * Frozen because it is shared by every request: a mutation would corrupt all later acks.
 */
export const NOTIFY_ACK: { readonly result: Readonly<AntomResult> } = Object.freeze({
  result: Object.freeze({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } as const),
});

/** Pre-serialised so the ack bytes are identical on every send. */
export const NOTIFY_ACK_BODY = JSON.stringify(NOTIFY_ACK);
