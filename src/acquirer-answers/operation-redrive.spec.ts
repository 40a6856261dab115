import { UpstreamCaptureAnswer, UpstreamInquiryAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { inquireAdvice, retryAdvice } from '../antom/unknown-advice';
import { loadConfig } from '../config/gateway-config';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { OperationRedrive } from './operation-redrive';
import { answer, FakeLeases, noAnswer, ScriptedCalls } from './redrive.fakes';

const config = loadConfig({}, { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_TOTAL_BUDGET_MS: '4000', RETRY_WINDOW_SECONDS: '300' });
const ok = { resultStatus: 'S', resultCode: 'SUCCESS' };
const payment = Object.assign(new Payment(), { id: 'p-row-1', paymentId: 'gwp_1', upstreamPaymentId: 'up-p1', status: 'AUTHORIZED' });

function capture(ageMs: number, changes: Partial<Capture> = {}): Capture {
  const at = new Date(Date.now() - ageMs);
  return Object.assign(
    new Capture(),
    {
      id: 'c-row-1',
      captureRequestId: 'cap-1',
      status: 'UNKNOWN',
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: retryAdvice('capture'),
      createdAt: at,
      updatedAt: at,
    },
    changes,
  );
}

function refund(ageMs: number, changes: Partial<Refund> = {}): Refund {
  const at = new Date(Date.now() - ageMs);
  return Object.assign(
    new Refund(),
    {
      id: 'r-row-1',
      refundRequestId: 'ref-1',
      status: 'PROCESSING',
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: retryAdvice('refund'),
      createdAt: at,
      updatedAt: at,
    },
    changes,
  );
}

/** The rows in memory; settlement's apply reduced to its outcome table (S → SUCCESS, F → FAIL, else U with its advice). */
function setup(row: Capture | Refund, inquiries: Array<UpstreamOutcome<UpstreamInquiryAnswer | UpstreamRefundAnswer>>) {
  const applied: string[] = [];
  const apply = (
    outcome: UpstreamOutcome<{ result?: { resultStatus?: string; resultCode?: string; resultMessage?: string }; refundStatus?: string }>,
    how: string,
    what: 'capture' | 'refund',
  ) => {
    applied.push(how);
    if (row.status === 'SUCCESS' || row.status === 'FAIL') return;
    const r = outcome.kind === 'answer' ? (outcome.body.result ?? {}) : {};
    const processing = outcome.kind === 'answer' && (outcome.body.refundStatus === 'PROCESSING' || r.resultCode === 'REFUND_IN_PROCESS');
    if (r.resultStatus === 'S' && !processing) Object.assign(row, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS' });
    else if (r.resultStatus === 'F')
      Object.assign(row, { status: 'FAIL', resultStatus: 'F', resultCode: r.resultCode, resultMessage: r.resultMessage });
    else if (what === 'refund')
      Object.assign(row, {
        resultStatus: 'U',
        resultCode: processing ? 'REFUND_IN_PROCESS' : 'UNKNOWN_EXCEPTION',
        resultMessage: processing ? inquireAdvice('refund') : retryAdvice('refund'),
      });
    else
      Object.assign(row, {
        status: 'UNKNOWN',
        resultStatus: 'U',
        resultMessage: how === 'INQUIRY' ? inquireAdvice('capture') : retryAdvice('capture'),
      });
  };
  const settlement = {
    applyCaptureOutcome: async (_id: string, o: UpstreamOutcome<UpstreamCaptureAnswer>, learntBy = 'RESPONSE') => {
      apply(o, learntBy, 'capture');
      return { payment, capture: row };
    },
    applyRefundOutcome: async (_id: string, o: UpstreamOutcome<UpstreamRefundAnswer>) => {
      apply(o, 'APPLY', 'refund');
      return { payment, refund: row };
    },
  } as unknown as AcquirerAnswersService;
  const operations = { findCapture: async () => row, findRefund: async () => row } as unknown as OperationsRepository;
  const inquiry = new ScriptedCalls<UpstreamInquiryAnswer | UpstreamRefundAnswer>(...inquiries);
  const upstream = { inquiryPayment: inquiry.call, inquiryRefund: inquiry.call } as unknown as PaymentProcessor;
  const leases = new FakeLeases();
  const service = new OperationRedrive(operations, leases as unknown as RedriveLeaseRepository, settlement, upstream, config);
  const resent: string[] = [];
  return { service, applied, inquiry, leases, resent };
}

describe('OperationRedrive: the same-id retry of a capture left U', () => {
  const capturedAt = (id: string, status: string) =>
    answer<UpstreamInquiryAnswer>({
      result: ok,
      transactions: [{ transactionType: 'CAPTURE', transactionRequestId: id, transactionStatus: status, transactionId: 'up-c1' }],
    });

  it('the acquirer never received it: resent with the same captureRequestId (our row id), answered S', async () => {
    const c = capture(5_000);
    const s = setup(c, [answer({ result: ok, transactions: [] })]);
    const r = await s.service.redriveCapture(payment, c, async (x) => {
      s.resent.push(x.id);
      return answer({ result: ok, captureId: 'up-c1' });
    });
    expect(r?.capture).toMatchObject({ status: 'SUCCESS', resultStatus: 'S' });
    expect(s.resent).toEqual(['c-row-1']);
    expect(s.inquiry.requests).toEqual([{ paymentRequestId: 'p-row-1' }]);
  });

  it('the acquirer has it, captured: applied from the inquiry, nothing resent', async () => {
    const c = capture(5_000);
    const s = setup(c, [capturedAt('c-row-1', 'SUCCESS')]);
    expect(
      (
        await s.service.redriveCapture(payment, c, async () => {
          throw new Error('not resent');
        })
      )?.capture.status,
    ).toBe('SUCCESS');
    expect(s.applied).toEqual(['INQUIRY']);
  });

  it('the acquirer is processing it: U that says "inquire"; still failing: the U stands', async () => {
    const c = capture(5_000);
    const s = setup(c, [capturedAt('c-row-1', 'PROCESSING'), noAnswer()]);
    expect(
      (
        await s.service.redriveCapture(payment, c, async () => {
          throw new Error('not resent');
        })
      )?.capture.resultMessage,
    ).toBe(inquireAdvice('capture'));
    const failing = capture(5_000);
    const f = setup(failing, [noAnswer()]);
    expect(
      (
        await f.service.redriveCapture(payment, failing, async () => {
          throw new Error('not resent');
        })
      )?.capture,
    ).toMatchObject({ status: 'UNKNOWN', resultMessage: retryAdvice('capture') });
    expect(f.applied).toEqual([]);
  });

  it('two retries at once resend once; the second replays', async () => {
    const c = capture(5_000);
    const s = setup(c, [answer({ result: ok, transactions: [] })]);
    let finish!: () => void;
    const resend = async () => {
      s.resent.push('c');
      await new Promise<void>((r) => {
        finish = r;
      });
      return answer<UpstreamCaptureAnswer>({ result: ok });
    };
    const first = s.service.redriveCapture(payment, c, resend);
    while (s.resent.length === 0) await new Promise((r) => setImmediate(r));
    expect(await s.service.redriveCapture(payment, c, resend)).toBeNull();
    finish();
    await first;
    expect(s.resent).toHaveLength(1);
  });

  it('re-drives a capture that answered U, or whose process died before writing; not one in flight or final', () => {
    const { service } = setup(capture(0), []);
    expect(service.captureRedrivable(capture(0))).toBe(true);
    expect(service.captureRedrivable(capture(1_000, { status: 'PROCESSING', resultStatus: null }))).toBe(false);
    expect(service.captureRedrivable(capture(10_000, { status: 'PROCESSING', resultStatus: null }))).toBe(true);
    expect(service.captureRedrivable(capture(0, { status: 'SUCCESS', resultStatus: 'S' }))).toBe(false);
  });
});

describe('OperationRedrive: refunds', () => {
  const NOT_THERE = answer<UpstreamRefundAnswer>({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } });

  it('the retry resends a refund the acquirer never received, with the same refundRequestId', async () => {
    const r = refund(5_000);
    const s = setup(r, [NOT_THERE]);
    const d = await s.service.redriveRefund(payment, r, async (x) => {
      s.resent.push(x.id);
      return answer({ result: ok, refundId: 'up-r1' });
    });
    expect(d?.refund).toMatchObject({ status: 'SUCCESS' });
    expect(s.resent).toEqual(['r-row-1']);
    expect(s.inquiry.requests).toEqual([{ refundRequestId: 'r-row-1' }]);
  });

  it('an asynchronous refund in process: its retry inquires, never resends, and says "inquire"', async () => {
    const r = refund(5_000, { resultCode: 'REFUND_IN_PROCESS', resultMessage: 'x' });
    const s = setup(r, [answer({ result: ok, refundStatus: 'PROCESSING' })]);
    const d = await s.service.redriveRefund(payment, r, async () => {
      throw new Error('not resent');
    });
    expect(d?.refund).toMatchObject({
      status: 'PROCESSING',
      resultStatus: 'U',
      resultCode: 'REFUND_IN_PROCESS',
      resultMessage: inquireAdvice('refund'),
    });
  });

  it('reconciliation (and inquiryRefund): "no such refund" is no failure inside the window; F PROCESS_FAIL after it', async () => {
    const young = refund(60_000);
    const s = setup(young, [NOT_THERE]);
    const inside = await s.service.settleRefund(payment, young);
    expect(inside.refund.status).toBe('PROCESSING');
    expect(inside.lookAgainAt!.getTime()).toBe(young.createdAt.getTime() + 300_000);
    expect(s.applied).toEqual([]);
    const old = refund(301_000);
    const t = setup(old, [NOT_THERE]);
    const after = await t.service.settleRefund(payment, old);
    expect(after.refund).toMatchObject({ status: 'FAIL', resultCode: 'PROCESS_FAIL', resultMessage: 'The refund never reached the acquirer.' });
    expect(after.lookAgainAt).toBeNull();
  });
});
