/*
 * Antom result codes (contract §5). S = success, F = final failure,
 * U = unknown / in process: never treat U as a failure, inquire or wait.
 */

export type ResultStatus = 'S' | 'F' | 'U';

export interface AntomResult {
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage: string;
}

/** Contract §2: resultMessage is at most 256 characters on the wire. */
const MAX_MESSAGE_LENGTH = 256;

export const ResultCodes = {
  // Common to all APIs
  SUCCESS: { status: 'S', message: 'success.' },
  PAYMENT_IN_PROCESS: { status: 'U', message: 'Payment is in process.' },
  UNKNOWN_EXCEPTION: { status: 'U', message: 'Unknown exception. Retry with the same request ID or inquire.' },
  REQUEST_TRAFFIC_EXCEED_LIMIT: { status: 'U', message: 'Request traffic exceeds the limit.' },
  PARAM_ILLEGAL: { status: 'F', message: 'Illegal parameters.' },
  ACCESS_DENIED: { status: 'F', message: 'Access is denied.' },
  INVALID_CLIENT: { status: 'F', message: 'The client is invalid.' },
  INVALID_SIGNATURE: { status: 'F', message: 'The signature is invalid.' },
  KEY_NOT_FOUND: { status: 'F', message: 'The key is not found.' },
  REPEAT_REQ_INCONSISTENT: { status: 'F', message: 'Repeated request with inconsistent parameters.' },
  // Ours: transport-level refusals, all final
  REQUEST_TIME_EXPIRED: { status: 'F', message: 'Request-Time is outside the allowed window.' },
  MEDIA_TYPE_NOT_ACCEPTABLE: { status: 'F', message: 'Content type is not acceptable; use application/json.' },
  PROCESS_FAIL: { status: 'F', message: 'Processing failed.' },
  NO_INTERFACE_DEF: { status: 'F', message: 'API is not defined.' },
  // pay: currency and card declines
  CURRENCY_NOT_SUPPORT: { status: 'F', message: 'The currency is not supported.' },
  CARD_NOT_SUPPORTED: { status: 'F', message: 'The card is not supported.' },
  INVALID_CARD_NUMBER: { status: 'F', message: 'The card number is invalid.' },
  INVALID_EXPIRATION_DATE: { status: 'F', message: 'The expiration date is invalid.' },
  INVALID_CVV: { status: 'F', message: 'The CVV is invalid.' },
  CARD_EXPIRED: { status: 'F', message: 'The card has expired.' },
  DO_NOT_HONOR: { status: 'F', message: 'Do not honor: the issuer declined the payment.' },
  LOST_CARD: { status: 'F', message: 'The card is reported lost.' },
  STOLEN_CARD: { status: 'F', message: 'The card is reported stolen.' },
  PICKUP_CARD: { status: 'F', message: 'Pick up card: the issuer declined the payment.' },
  RESTRICTED_CARD: { status: 'F', message: 'The card is restricted.' },
  FRAUD_REJECT: { status: 'F', message: 'The payment is rejected as suspected fraud.' },
  AUTHENTICATION_REQUIRED: { status: 'F', message: '3DS authentication is required.' },
  SELECTED_CARD_BRAND_NOT_AVAILABLE: { status: 'F', message: 'The selected card brand is not available.' },
  USER_BALANCE_NOT_ENOUGH: { status: 'F', message: 'Insufficient funds.' },
  USER_PAYMENT_VERIFICATION_FAILED: { status: 'F', message: 'Payment verification (3DS / OTP) failed.' },
  RISK_REJECT: { status: 'F', message: 'The request is rejected by risk control.' },
  // Vault tokens (ours): paying with paymentMethodId = <card token>, POST /v1/cards
  INVALID_CARD_TOKEN: { status: 'F', message: 'The card token is unknown, deleted, or was not issued to this merchant.' },
  CARD_TOKEN_EXPIRED: { status: 'F', message: 'The card token has expired.' },
  CARD_TOKEN_USED: { status: 'F', message: 'The one-time card token has already been used.' },
  CARD_DATA_INTEGRITY_ERROR: { status: 'F', message: 'The stored card failed its integrity check; nothing was sent upstream.' },
  CARD_KEY_UNAVAILABLE: { status: 'F', message: 'The key protecting the stored card is not available; nothing was sent upstream.' },
  // Vaulting (vaults/*): a session the buyer has not completed yet; an unknown vaultingRequestId
  VERIFICATION_IN_PROCESS: { status: 'U', message: 'The vaulting is in process: the buyer completes it on the page at normalUrl.' },
  VAULTING_NOT_EXIST: { status: 'F', message: 'No vaulting with this vaultingRequestId exists.' },
  // Order state
  ORDER_IS_CLOSED: { status: 'F', message: 'The order is closed.' },
  ORDER_NOT_EXIST: { status: 'F', message: 'The order does not exist.' },
  ORDER_STATUS_INVALID: { status: 'F', message: 'The order status is invalid for this operation.' },
  // capture
  AUTH_EXPIRED: { status: 'F', message: 'The authorization has expired.' },
  AUTH_CANCELLED: { status: 'F', message: 'The authorization has been cancelled.' },
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: { status: 'F', message: 'The capture amount exceeds the authorized amount.' },
  MULTI_CAPTURE_NOT_SUPPORTED: { status: 'F', message: 'Multiple captures are not supported.' },
  // updateAmount (incremental authorization)
  INCREMENTAL_NOT_SUPPORT: { status: 'F', message: 'The authorization amount of this payment cannot be raised.' },
  // cancel
  CANCEL_WINDOW_EXCEED: { status: 'F', message: 'The cancellation window has passed.' },
  // refund
  REFUND_AMOUNT_EXCEED: { status: 'F', message: 'The refund amount exceeds the refundable amount.' },
  REFUND_WINDOW_EXCEED: { status: 'F', message: 'The refund window has passed.' },
  // An asynchronous refund (isAsyncRefund) accepted, or one the acquirer reports PROCESSING: the result comes by notifyRefund / inquiryRefund.
  REFUND_IN_PROCESS: { status: 'U', message: 'The refund is being processed.' },
  // disputes (acceptDispute, supplyDefenseDocument, downloadDisputeEvidence)
  REPEAT_REQUEST: { status: 'F', message: 'Repeated request: the dispute was already accepted or defended.' },
  TIME_EXCEEDS_LIMIT: { status: 'F', message: 'The defense is overdue; the dispute can no longer be accepted or defended.' },
  DEFENSE_EXCEED_LIMIT: { status: 'F', message: 'The defense is greater than the maximum times allowed.' },
} as const satisfies Record<string, { status: ResultStatus; message: string }>;

export type ResultCode = keyof typeof ResultCodes;

/** Narrows a code received from upstream or a peer to one we know. */
export function isResultCode(code: string): code is ResultCode {
  return Object.prototype.hasOwnProperty.call(ResultCodes, code);
}

/**
 * A U code the acquirer answered, kept when Antom defines it as U for that API (the merchant's SDK acts
 * on it: REQUEST_TRAFFIC_EXCEED_LIMIT = back off, then retry the same id); anything else is
 * UNKNOWN_EXCEPTION, which says the same thing in Antom's words.
 */
export function upstreamUnknownCode(api: 'pay' | 'capture' | 'refund' | 'cancel' | 'updateAmount', code: unknown): ResultCode {
  if (typeof code !== 'string' || !isResultCode(code) || ResultCodes[code].status !== 'U') return 'UNKNOWN_EXCEPTION';
  if (code === 'PAYMENT_IN_PROCESS' && api !== 'pay') return 'UNKNOWN_EXCEPTION';
  if (code === 'REFUND_IN_PROCESS' && api !== 'refund') return 'UNKNOWN_EXCEPTION';
  if (code === 'VERIFICATION_IN_PROCESS') return 'UNKNOWN_EXCEPTION'; // the gateway's vaulting answer, not an upstream one
  return code;
}

/** Antom's result codes are upper-case words joined by `_`; a refusal code from upstream is passed on only so. */
export function isWellFormedCode(code: unknown): code is string {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code);
}

/** Truncates by code point so a surrogate pair is never split. */
function truncate(message: string): string {
  const chars = Array.from(message);
  return chars.length > MAX_MESSAGE_LENGTH ? chars.slice(0, MAX_MESSAGE_LENGTH).join('') : message;
}

/** The status always comes from the table, so a caller cannot pair a code with the wrong status. */
export function antomResult(code: ResultCode, message?: string): AntomResult {
  const entry = ResultCodes[code];
  return { resultCode: code, resultStatus: entry.status, resultMessage: truncate(message || entry.message) };
}

/** S and F are final; U means "not known yet" and must be resolved by inquiry or notification. */
export function isFinal(r: AntomResult): boolean {
  return r.resultStatus === 'S' || r.resultStatus === 'F';
}
