import { captureKnown, payKnown, refundKnown } from './acquirer-knows';
import { answer, noAnswer } from './redrive.fakes';

const ok = { resultStatus: 'S', resultCode: 'SUCCESS' };

describe('what an inquiry says the acquirer knows', () => {
  it('pay: no answer, no such payment, a failed query, pending, final', () => {
    expect(payKnown(noAnswer())).toEqual({ kind: 'no-answer' });
    expect(payKnown(answer({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } }))).toEqual({ kind: 'not-there' });
    expect(payKnown(answer({ result: { resultStatus: 'F', resultCode: 'ACCESS_DENIED' } }))).toEqual({ kind: 'no-answer' });
    expect(payKnown(answer({ result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' } }))).toEqual({ kind: 'no-answer' });
    const pending = payKnown(answer({ result: ok, paymentStatus: 'PENDING', paymentId: 'up1' }));
    expect(pending).toMatchObject({ kind: 'pending', answer: { paymentId: 'up1', result: { resultStatus: 'U' } } });
    expect(payKnown(answer({ result: ok, paymentStatus: 'SUCCESS', paymentResultCode: 'SUCCESS' }))).toMatchObject({
      kind: 'final',
      answer: { result: { resultStatus: 'S' } },
    });
    expect(payKnown(answer({ result: ok, paymentStatus: 'FAIL', paymentResultCode: 'DO_NOT_HONOR' }))).toMatchObject({
      kind: 'final',
      answer: { result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR' } },
    });
  });

  it("capture: its transaction in the payment's inquiry, by our capture row id", () => {
    const inquiry = (status?: string) =>
      answer({
        result: ok,
        transactions: status ? [{ transactionType: 'CAPTURE', transactionRequestId: 'c1', transactionStatus: status, transactionId: 'up-c1' }] : [],
      });
    expect(captureKnown(noAnswer(), 'c1')).toEqual({ kind: 'no-answer' });
    expect(captureKnown(answer({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } }), 'c1')).toEqual({ kind: 'no-answer' });
    expect(captureKnown(inquiry(), 'c1')).toEqual({ kind: 'not-there' });
    expect(captureKnown(inquiry('SUCCESS'), 'c2')).toEqual({ kind: 'not-there' });
    expect(captureKnown(inquiry('PROCESSING'), 'c1')).toEqual({ kind: 'pending' });
    expect(captureKnown(inquiry('SUCCESS'), 'c1')).toMatchObject({ kind: 'final', answer: { result: { resultStatus: 'S' }, captureId: 'up-c1' } });
    expect(captureKnown(inquiry('FAIL'), 'c1')).toMatchObject({
      kind: 'final',
      answer: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL' } },
    });
  });

  it("refund: result says the query worked, refundStatus the refund's state", () => {
    expect(refundKnown(noAnswer())).toEqual({ kind: 'no-answer' });
    expect(refundKnown(answer({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } }))).toEqual({ kind: 'not-there' });
    expect(refundKnown(answer({ result: { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' } }))).toEqual({ kind: 'no-answer' });
    expect(refundKnown(answer({ result: ok, refundStatus: 'PROCESSING' }))).toMatchObject({
      kind: 'pending',
      answer: { refundStatus: 'PROCESSING' },
    });
    expect(refundKnown(answer({ result: ok, refundStatus: 'SUCCESS', refundId: 'r' }))).toMatchObject({
      kind: 'final',
      answer: { result: { resultStatus: 'S' } },
    });
    // A failed refund reads F (never "F with resultCode SUCCESS", the query's own code).
    expect(refundKnown(answer({ result: ok, refundStatus: 'FAIL' }))).toMatchObject({
      kind: 'final',
      answer: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL' } },
    });
  });
});
