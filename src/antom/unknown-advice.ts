/*
 * What a U answer tells the merchant to do, in its resultMessage (the result code stays Antom's:
 * UNKNOWN_EXCEPTION, REQUEST_TRAFFIC_EXCEED_LIMIT, REFUND_IN_PROCESS…). Two cases, never mixed:
 *
 *   RETRY    the request may not have reached the acquirer (no answer, a 5xx, the acquirer asked for a
 *            retry): the same request again, with the same id, is what moves it — the gateway re-drives it
 *            (inquires, and resends what the acquirer never received).
 *   INQUIRE  the acquirer has the request and is processing it: a retry only answers the same; the result
 *            comes by the notification, or inquire.
 */

/** The operations a U can be about, with the id a retry repeats and the API that inquires it. */
const OPERATIONS = {
  payment: { id: 'paymentRequestId', inquiry: 'inquiryPayment' },
  capture: { id: 'captureRequestId', inquiry: 'inquiryPayment' },
  refund: { id: 'refundRequestId', inquiry: 'inquiryRefund' },
  'amount update': { id: 'updateRequestId', inquiry: 'inquiryPayment' },
} as const;

export type AdvisedOperation = keyof typeof OPERATIONS;

export function retryAdvice(op: AdvisedOperation): string {
  return `The ${op} result is unknown: the acquirer could not be reached or did not answer. Retry with the same ${OPERATIONS[op].id}.`;
}

export function inquireAdvice(op: AdvisedOperation): string {
  return `The acquirer is processing the ${op}: inquire with ${OPERATIONS[op].inquiry} or wait for the notification (a retry with the same ${OPERATIONS[op].id} answers the same).`;
}
