import { Inject, Injectable } from '@nestjs/common';

import { UpstreamCaptureAnswer, UpstreamRefundAnswer } from '../antom/answers';
import { inquireAdvice } from '../antom/unknown-advice';
import { GatewayConfig } from '../config/gateway-config';
import { Capture, Refund } from '../payments/capture.entity';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { RedriveLeaseRepository, RedriveTable } from '../payments/redrive-lease.repository';
import { clockMs } from '../platform/clock';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { AcquirerKnows, captureKnown, refundKnown } from './acquirer-knows';
import { isStale, mayResend, neverReachedIsFinal, RedriveTiming, redriveTiming, underLease, windowEnd } from './redrive-timing';

/** The operation as its first call sent it, with the same request id (the row's id). */
export type CaptureResend = (c: Capture) => Promise<UpstreamOutcome<UpstreamCaptureAnswer>>;
export type RefundResend = (r: Refund) => Promise<UpstreamOutcome<UpstreamRefundAnswer>>;

export interface CaptureRedriven {
  payment: Payment;
  capture: Capture;
}
export interface RefundRedriven {
  payment: Payment;
  refund: Refund;
}

const neverReached = (what: string) => ({
  kind: 'answer' as const,
  body: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL', resultMessage: `The ${what} never reached the acquirer.` } },
});

/** How one kind of operation is inquired, resent and applied: the table below is the same for both. */
interface Driver<Row extends Capture | Refund, Answer> {
  table: RedriveTable;
  reload(id: string): Promise<Row | null>;
  inquire(row: Row, p: Payment): Promise<AcquirerKnows<Answer>>;
  /** Applies through AcquirerAnswersService (the operation's and the payment's row locks). */
  apply(row: Row, outcome: UpstreamOutcome<Answer>, learntBy: 'RESPONSE' | 'INQUIRY' | 'RECONCILIATION'): Promise<{ payment: Payment; row: Row }>;
  /** The U already says "inquire": a pending verdict writes nothing more. */
  saysInquire(row: Row): boolean;
  what: string;
}

/**
 * Captures and refunds left U, driven to completion as pays are (PayRedrive, same table): the merchant's
 * retry with the same captureRequestId / refundRequestId re-drives one — inquire; a final result is applied,
 * pending says "inquire", no such request at the acquirer is resent within the retry window and closed F
 * PROCESS_FAIL after it (once nothing can still arrive), no answer leaves the U ("retry"). Reconciliation
 * and the merchant's inquiryRefund settle what the acquirer knows and close what never arrived, never
 * resend (the merchant's request is what is resent). Invariants as PayRedrive's: one re-drive per row at
 * a time and per interval (the row's lease), every result applied by AcquirerAnswersService, a final
 * operation never moves.
 */
@Injectable()
export class OperationRedrive {
  private readonly timing: RedriveTiming;
  private readonly captures: Driver<Capture, UpstreamCaptureAnswer>;
  private readonly refunds: Driver<Refund, UpstreamRefundAnswer>;

  constructor(
    private readonly operations: OperationsRepository,
    private readonly leases: RedriveLeaseRepository,
    private readonly settlement: AcquirerAnswersService,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.timing = redriveTiming(config);
    this.captures = {
      table: 'capture',
      what: 'capture',
      reload: (id) => this.operations.findCapture({ id }),
      inquire: async (c, p) => captureKnown(await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId }), c.id),
      apply: async (c, outcome, learntBy) => {
        const r = await this.settlement.applyCaptureOutcome(c.id, outcome, learntBy === 'INQUIRY' ? 'INQUIRY' : 'RESPONSE');
        return { payment: r.payment, row: r.capture };
      },
      saysInquire: (c) => c.resultMessage === inquireAdvice('capture'),
    };
    this.refunds = {
      table: 'refund',
      what: 'refund',
      reload: (id) => this.operations.findRefund({ id }),
      inquire: async (r, p) => refundKnown(await this.upstream.inquiryRefund({ refundRequestId: r.id }, { paymentId: p.paymentId })),
      apply: async (r, outcome) => {
        const a = await this.settlement.applyRefundOutcome(r.id, outcome);
        return { payment: a.payment, row: a.refund };
      },
      saysInquire: (r) => r.resultCode === 'REFUND_IN_PROCESS' && r.resultMessage === inquireAdvice('refund'),
    };
  }

  /** A capture without a final result whose call is over: it answered U, or its process died before writing the answer. */
  captureRedrivable(c: Capture, now = clockMs()): boolean {
    return c.status === 'UNKNOWN' || (c.status === 'PROCESSING' && c.resultStatus === null && isStale(c.updatedAt, now, this.timing));
  }

  /** A refund without a final result whose call is over (an asynchronous refund too: its retry inquires). */
  refundRedrivable(r: Refund, now = clockMs()): boolean {
    return r.status === 'PROCESSING' && (r.resultStatus === 'U' || (r.resultStatus === null && isStale(r.updatedAt, now, this.timing)));
  }

  async redriveCapture(p: Payment, c: Capture, resend: CaptureResend): Promise<CaptureRedriven | null> {
    const r = await this.redrive(this.captures, p, c, (row) => this.captureRedrivable(row), resend);
    return r && { payment: r.payment, capture: r.row };
  }

  async redriveRefund(p: Payment, r: Refund, resend: RefundResend): Promise<RefundRedriven | null> {
    const d = await this.redrive(this.refunds, p, r, (row) => this.refundRedrivable(row), resend);
    return d && { payment: d.payment, refund: d.row };
  }

  /** Reconciliation: an open capture the payment's inquiry said nothing final of. Returns when to look again, or null. */
  async settleCapture(p: Payment, c: Capture, known: AcquirerKnows<UpstreamCaptureAnswer>): Promise<Date | null> {
    return this.settle(this.captures, p, c, known);
  }

  /** Reconciliation and the merchant's inquiryRefund: what the acquirer knows of an open refund, applied. */
  async settleRefund(p: Payment, r: Refund): Promise<{ refund: Refund; lookAgainAt: Date | null }> {
    const lookAgainAt = await this.settle(this.refunds, p, r, await this.refunds.inquire(r, p));
    return { refund: (await this.refunds.reload(r.id)) ?? r, lookAgainAt };
  }

  private async redrive<Row extends Capture | Refund, A>(
    d: Driver<Row, A>,
    p: Payment,
    row: Row,
    redrivable: (r: Row) => boolean,
    resend: (r: Row) => Promise<UpstreamOutcome<A>>,
  ): Promise<{ payment: Payment; row: Row } | null> {
    return underLease(this.leases, d.table, row.id, this.timing, async (previous) => {
      const current = await d.reload(row.id);
      if (!current || !redrivable(current)) return { payment: p, row: current ?? row };
      const known = await d.inquire(current, p);
      if (known.kind === 'final') return d.apply(current, { kind: 'answer', body: known.answer }, 'INQUIRY');
      if (known.kind === 'pending' && !d.saysInquire(current))
        return d.apply(current, { kind: 'answer', body: known.answer ?? ({ result: { resultStatus: 'U' } } as A) }, 'INQUIRY');
      if (known.kind === 'not-there' && mayResend(current.createdAt, clockMs(), this.timing))
        return d.apply(current, await resend(current), 'RESPONSE');
      if (known.kind === 'not-there') return { payment: p, row: await this.closeNeverReached(d, current, previous) };
      return { payment: p, row: current }; // pending (said already), or the acquirer still failing: the stored U stands
    });
  }

  private async settle<Row extends Capture | Refund, A>(d: Driver<Row, A>, p: Payment, row: Row, known: AcquirerKnows<A>): Promise<Date | null> {
    if (known.kind === 'final') {
      await d.apply(row, { kind: 'answer', body: known.answer }, 'INQUIRY');
      return null;
    }
    if (known.kind !== 'not-there') return null; // pending or no answer: the next look asks again
    const now = clockMs();
    const end = windowEnd(row.createdAt, this.timing);
    if (now < end) return new Date(end);
    const next = await underLease(this.leases, d.table, row.id, this.timing, async (previous) => {
      const current = await d.reload(row.id);
      if (!current || (current.status !== 'PROCESSING' && current.status !== 'UNKNOWN')) return { at: null };
      const after = await this.closeNeverReached(d, current, previous);
      return { at: after.status === 'FAIL' ? null : new Date((previous?.getTime() ?? now) + this.timing.inFlightMs) };
    });
    return next ? next.at : new Date(now + this.timing.leaseMs); // null: a retry is re-driving it now
  }

  private async closeNeverReached<Row extends Capture | Refund, A>(d: Driver<Row, A>, row: Row, previous: Date | null): Promise<Row> {
    if (!neverReachedIsFinal(row.createdAt, previous, clockMs(), this.timing)) return row;
    return (await d.apply(row, neverReached(d.what) as UpstreamOutcome<A>, 'RECONCILIATION')).row;
  }
}
