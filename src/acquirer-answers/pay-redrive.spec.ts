import { UpstreamInquiryAnswer, UpstreamPayAnswer } from '../antom/answers';
import { inquireAdvice, retryAdvice } from '../antom/unknown-advice';
import { loadConfig } from '../config/gateway-config';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { mapPayOutcome } from './pay-outcome';
import { PayRedrive } from './pay-redrive';
import { answer, FakeLeases, noAnswer, ScriptedCalls } from './redrive.fakes';

// In flight 3 × 1 s + 5 s = 8 s; the retry window 300 s; a first call is over after 4 s + 5 s.
const config = loadConfig({}, { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_TOTAL_BUDGET_MS: '4000', RETRY_WINDOW_SECONDS: '300' });
const NOT_THERE = answer<UpstreamInquiryAnswer>({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } });
const SUCCESS = answer<UpstreamPayAnswer>({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentId: 'up-1' });

function unknownPayment(ageMs: number, changes: Partial<Payment> = {}): Payment {
  return Object.assign(
    new Payment(),
    {
      id: 'p-row-1',
      paymentId: 'gwp_1',
      paymentRequestId: 'merchant-1',
      status: 'UNKNOWN',
      captureMode: 'AUTOMATIC',
      amount: 100n,
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: retryAdvice('payment'),
      paymentResultInfo: {},
      cardId: null,
      cancelRequestedAt: null,
      createdAt: new Date(Date.now() - ageMs),
    },
    changes,
  );
}

/** PayRedrive over faked repositories: the payment row in memory, settlement applying with the real mapping. */
function setup(p: Payment, ...inquiries: Array<UpstreamOutcome<UpstreamInquiryAnswer>>) {
  const rows = new Map([[p.id, p]]);
  const applied: string[] = [];
  const payments = { findById: async (id: string) => rows.get(id) ?? null } as unknown as PaymentsRepository;
  const settlement = {
    settlePay: async (id: string, outcome: UpstreamOutcome<UpstreamPayAnswer>, source: string) => {
      applied.push(source);
      const row = rows.get(id)!;
      if (!['RECEIVED', 'UNKNOWN', 'PENDING_ACTION'].includes(row.status)) return { payment: row, policyVoid: false };
      const m = mapPayOutcome(row, outcome, source === 'INQUIRY' ? 'INQUIRY' : 'RESPONSE');
      Object.assign(row, m.changes, { status: m.status });
      return { payment: row, policyVoid: false };
    },
  } as unknown as AcquirerAnswersService;
  const inquiry = new ScriptedCalls<UpstreamInquiryAnswer>(...inquiries);
  const leases = new FakeLeases();
  const upstream = { inquiryPayment: inquiry.call } as unknown as PaymentProcessor;
  const service = new PayRedrive(payments, leases as unknown as RedriveLeaseRepository, settlement, upstream, config);
  const resent: Payment[] = [];
  const resend = (outcome: UpstreamOutcome<UpstreamPayAnswer>) => async (x: Payment) => {
    resent.push(x);
    return outcome;
  };
  return { service, applied, inquiry, leases, resent, resend, row: p };
}

describe('PayRedrive: the same-id retry of a pay left U', () => {
  it('the acquirer never received it: resent with the same request id, its answer applied and answered (S)', async () => {
    const s = setup(unknownPayment(5_000), NOT_THERE);
    const r = await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(r?.payment).toMatchObject({ status: 'SUCCEEDED', resultStatus: 'S' });
    expect(s.inquiry.requests).toEqual([{ paymentRequestId: 'p-row-1' }]);
    expect(s.resent.map((x) => x.id)).toEqual(['p-row-1']); // the row's id: the acquirer's idempotency key
    expect(s.applied).toEqual(['RESPONSE']);
  });

  it('the acquirer has a final result: applied, nothing resent', async () => {
    const s = setup(
      unknownPayment(5_000),
      answer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'FAIL', paymentResultCode: 'DO_NOT_HONOR' }),
    );
    const r = await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(r?.payment).toMatchObject({ status: 'FAILED', resultCode: 'DO_NOT_HONOR' });
    expect(s.resent).toEqual([]);
    expect(s.applied).toEqual(['INQUIRY']);
  });

  it('the acquirer is processing it: U that says "inquire", written once', async () => {
    const s = setup(
      unknownPayment(5_000),
      answer({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentStatus: 'PENDING', paymentId: 'up-1' }),
    );
    const r = await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(r?.payment).toMatchObject({
      status: 'UNKNOWN',
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: inquireAdvice('payment'),
      upstreamPaymentId: 'up-1',
    });
    s.leases.endedAgo('payment', 'p-row-1', 1);
    await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(s.applied).toEqual(['INQUIRY']);
    expect(s.resent).toEqual([]);
  });

  it('the acquirer is still failing: the U stands ("retry with the same paymentRequestId"), nothing written or resent', async () => {
    const s = setup(unknownPayment(5_000), noAnswer());
    const r = await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(r?.payment).toMatchObject({ status: 'UNKNOWN', resultMessage: expect.stringMatching(/Retry with the same paymentRequestId/) });
    expect(s.applied).toEqual([]);
    expect(s.resent).toEqual([]);
  });

  it('two retries at once: one re-drives, the other replays; then at most once per interval', async () => {
    const s = setup(unknownPayment(5_000), NOT_THERE);
    let finish!: () => void;
    const slowResend = async (x: Payment) => {
      s.resent.push(x);
      await new Promise<void>((r) => {
        finish = r;
      });
      return SUCCESS;
    };
    const first = s.service.redrive(s.row, slowResend);
    while (s.resent.length === 0) await new Promise((r) => setImmediate(r));
    expect(await s.service.redrive(s.row, slowResend)).toBeNull();
    finish();
    expect((await first)?.payment.status).toBe('SUCCEEDED');
    expect(s.resent).toHaveLength(1);
    expect(await s.service.redrive(s.row, slowResend)).toBeNull(); // within the interval: replay
  });

  it("after the retry window nothing is resent: F PROCESS_FAIL once the last re-drive's request can no longer arrive", async () => {
    const s = setup(unknownPayment(301_000), NOT_THERE);
    s.leases.endedAgo('payment', 'p-row-1', 2_000); // a resend 2 s ago may still arrive
    expect((await s.service.redrive(s.row, s.resend(SUCCESS)))?.payment.status).toBe('UNKNOWN');
    s.leases.endedAgo('payment', 'p-row-1', 9_000);
    const r = await s.service.redrive(s.row, s.resend(SUCCESS));
    expect(r?.payment).toMatchObject({ status: 'FAILED', resultCode: 'PROCESS_FAIL', resultMessage: 'The payment never reached the acquirer.' });
    expect(s.resent).toEqual([]);
  });

  it('re-drives only what is left U: not a page, not a cancel asked for, not a first call still in flight', () => {
    const { service } = setup(unknownPayment(0));
    expect(service.redrivable(unknownPayment(0))).toBe(true);
    expect(service.redrivable(unknownPayment(0, { status: 'PENDING_ACTION' }))).toBe(false);
    expect(service.redrivable(unknownPayment(0, { cancelRequestedAt: new Date() }))).toBe(false);
    expect(service.redrivable(unknownPayment(1_000, { status: 'RECEIVED' }))).toBe(false);
    expect(service.redrivable(unknownPayment(10_000, { status: 'RECEIVED' }))).toBe(true); // its process died
    expect(service.redrivable(unknownPayment(0, { status: 'SUCCEEDED' }))).toBe(false);
  });
});

describe('PayRedrive.closeIfNeverReached: reconciliation', () => {
  it('inside the retry window: nothing written, look again when it ends', async () => {
    const s = setup(unknownPayment(60_000));
    const at = await s.service.closeIfNeverReached(s.row);
    expect(at!.getTime()).toBe(s.row.createdAt.getTime() + 300_000);
    expect(s.leases.claims).toBe(0);
    expect(s.applied).toEqual([]);
  });

  it('after it: F PROCESS_FAIL; while a retry holds the lease: not now', async () => {
    const s = setup(unknownPayment(301_000));
    await s.leases.claim('payment', 'p-row-1', 60_000); // a retry re-driving it
    expect(await s.service.closeIfNeverReached(s.row)).not.toBeNull();
    expect(s.applied).toEqual([]);
    s.leases.endedAgo('payment', 'p-row-1', 9_000);
    expect(await s.service.closeIfNeverReached(s.row)).toBeNull();
    expect(s.row).toMatchObject({ status: 'FAILED', resultCode: 'PROCESS_FAIL' });
  });
});
