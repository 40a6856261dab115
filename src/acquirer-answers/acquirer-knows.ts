import { inquiryAsPayAnswer, UpstreamCaptureAnswer, UpstreamInquiryAnswer, UpstreamPayAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { UpstreamOutcome } from '../upstream/antom-client';

/**
 * What an inquiry says the acquirer knows of one of our requests — the one reading shared by the
 * merchant's same-id retry (re-drive), reconciliation and the merchant's own inquiries:
 *
 *   no-answer  nothing learnt (no trustworthy answer, or the query itself failed): the acquirer is still failing
 *   not-there  the acquirer has no such request: it never arrived — resend it (within the retry window) or,
 *              once that is over and nothing can still arrive, it never will (F PROCESS_FAIL)
 *   pending    the acquirer has it without a final result: nothing to resend, nothing to apply yet
 *   final      a final result, as the answer the apply functions of settlement take
 */
export type AcquirerKnows<A> = { kind: 'no-answer' } | { kind: 'not-there' } | { kind: 'pending'; answer?: A } | { kind: 'final'; answer: A };

const NO_ANSWER = { kind: 'no-answer' } as const;
const NOT_THERE = { kind: 'not-there' } as const;
const PENDING = { kind: 'pending' } as const;

/** inquiryPayment about the payment itself. */
export function payKnown(outcome: UpstreamOutcome<UpstreamInquiryAnswer>): AcquirerKnows<UpstreamPayAnswer> {
  if (outcome.kind === 'no-answer') return NO_ANSWER;
  const a = outcome.body;
  if (a.result?.resultCode === 'ORDER_NOT_EXIST') return NOT_THERE;
  if (a.result?.resultStatus !== 'S') return NO_ANSWER;
  const answer = inquiryAsPayAnswer(a);
  if (answer) return { kind: 'final', answer };
  // PROCESSING / PENDING (and CANCELLED, which only a cancel of ours can have caused): no final result. The
  // answer is the inquiry as a U (what the acquirer says of the payment so far, with its paymentId).
  return { kind: 'pending', answer: { ...a, result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' } } };
}

/** inquiryPayment about one capture of the payment: its transaction, named by our capture row id. */
export function captureKnown(outcome: UpstreamOutcome<UpstreamInquiryAnswer>, captureRowId: string): AcquirerKnows<UpstreamCaptureAnswer> {
  if (outcome.kind === 'no-answer' || outcome.body.result?.resultStatus !== 'S') return NO_ANSWER;
  const t = (outcome.body.transactions ?? []).find((x) => x.transactionType === 'CAPTURE' && x.transactionRequestId === captureRowId);
  if (!t) return NOT_THERE;
  if (t.transactionStatus === 'SUCCESS')
    return {
      kind: 'final',
      answer: { result: { resultStatus: 'S', resultCode: 'SUCCESS' }, captureId: t.transactionId, captureTime: t.transactionTime },
    };
  if (t.transactionStatus === 'FAIL')
    return { kind: 'final', answer: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL' }, captureId: t.transactionId } };
  return PENDING;
}

/** inquiryRefund by our refund row id: `result` says the query worked, `refundStatus` the refund's own state. */
export function refundKnown(outcome: UpstreamOutcome<UpstreamRefundAnswer>): AcquirerKnows<UpstreamRefundAnswer> {
  if (outcome.kind === 'no-answer') return NO_ANSWER;
  const a = outcome.body;
  if (a.result?.resultCode === 'ORDER_NOT_EXIST') return NOT_THERE;
  if (a.result?.resultStatus !== 'S') return NO_ANSWER;
  if (a.refundStatus === 'PROCESSING') return { kind: 'pending', answer: a };
  if (a.refundStatus === 'FAIL')
    return {
      kind: 'final',
      answer: { ...a, result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL', resultMessage: 'The acquirer failed the refund.' } },
    };
  // SUCCESS, or no refundStatus at all with a successful query: the refund is done (as reconciliation always read it).
  return { kind: 'final', answer: a };
}
