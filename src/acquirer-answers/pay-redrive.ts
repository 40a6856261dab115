import { Inject, Injectable } from '@nestjs/common';

import { UpstreamPayAnswer } from '../antom/answers';
import { inquireAdvice } from '../antom/unknown-advice';
import { GatewayConfig } from '../config/gateway-config';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { clockMs } from '../platform/clock';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { payKnown } from './acquirer-knows';
import { isStale, mayResend, neverReachedIsFinal, RedriveTiming, redriveTiming, underLease, windowEnd } from './redrive-timing';

/** The pay as its first call sent it, with the same paymentRequestId (the payment row's id): the pay path's own forward. */
export type PayResend = (p: Payment) => Promise<UpstreamOutcome<UpstreamPayAnswer>>;

export interface PayRedriven {
  payment: Payment;
  /** The merchant's AVS policy decided a void with the result: the caller sends the cancel. */
  policyVoid: boolean;
}

/** What reconciliation closes a pay with once it never reached the acquirer (and never can any more). */
const NEVER_REACHED: UpstreamOutcome<UpstreamPayAnswer> = {
  kind: 'answer',
  body: { result: { resultStatus: 'F', resultCode: 'PROCESS_FAIL', resultMessage: 'The payment never reached the acquirer.' } },
};

/**
 * A pay left U, driven to completion. The merchant's retry with the same paymentRequestId re-drives it
 * (`redrive`); reconciliation closes what never arrived once the retry window is over (`closeIfNeverReached`).
 * One re-drive: inquire the acquirer, then, by what it knows —
 *
 *   | the acquirer says        | within the retry window       | after it                          |
 *   |--------------------------|-------------------------------|-----------------------------------|
 *   | a final result           | applied (settlement)          | applied (settlement)              |
 *   | pending                  | kept U, advice: inquire       | kept U, advice: inquire           |
 *   | no such payment          | resent, its answer applied    | F PROCESS_FAIL once nothing can still arrive |
 *   | nothing (still failing)  | kept U, advice: retry         | kept U, advice: retry             |
 *
 * Invariants: every result is applied by AcquirerAnswersService (under the payment's row lock; final never
 * moves); a re-drive holds the payment's lease (RedriveLeaseRepository), so two retries — or a retry and
 * reconciliation's close — never resend or close at once, and a payment is re-driven at most once per
 * interval; F PROCESS_FAIL is written only after the window, under the lease, once the last resend's
 * request can no longer arrive.
 */
@Injectable()
export class PayRedrive {
  private readonly timing: RedriveTiming;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly leases: RedriveLeaseRepository,
    private readonly settlement: AcquirerAnswersService,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.timing = redriveTiming(config);
  }

  /** Left U: UNKNOWN, or RECEIVED whose first call is long over (its process died before writing the answer); no cancel asked. */
  redrivable(p: Payment, now = clockMs()): boolean {
    if (p.cancelRequestedAt) return false;
    return p.status === 'UNKNOWN' || (p.status === 'RECEIVED' && isStale(p.createdAt, now, this.timing));
  }

  /** One re-drive for the merchant's retry; null: another re-drive holds the payment (or ran within the interval) — replay. */
  redrive(p: Payment, resend: PayResend): Promise<PayRedriven | null> {
    return underLease(this.leases, 'payment', p.id, this.timing, async (previous) => {
      const current = await this.payments.findById(p.id);
      if (!current || !this.redrivable(current)) return { payment: current ?? p, policyVoid: false };
      return this.driveOnce(current, previous, resend);
    });
  }

  private async driveOnce(p: Payment, previous: Date | null, resend: PayResend): Promise<PayRedriven> {
    const known = payKnown(await this.upstream.inquiryPayment({ paymentRequestId: p.id }, { paymentId: p.paymentId }));
    switch (known.kind) {
      case 'final':
        return this.settlement.settlePay(p.id, { kind: 'answer', body: known.answer }, 'INQUIRY');
      case 'pending':
        // Written once (its advice, the acquirer's paymentId); a RECEIVED payment's first answer may have been a page.
        if (p.status !== 'UNKNOWN' || p.resultMessage === inquireAdvice('payment') || !known.answer) return { payment: p, policyVoid: false };
        return this.settlement.settlePay(p.id, { kind: 'answer', body: known.answer }, 'INQUIRY');
      case 'not-there':
        if (mayResend(p.createdAt, clockMs(), this.timing)) return this.settlement.settlePay(p.id, await resend(p), 'RESPONSE');
        return { payment: await this.closeNeverReached(p, previous), policyVoid: false };
      default:
        return { payment: p, policyVoid: false }; // the acquirer is still failing: the stored U (retry) stands
    }
  }

  /**
   * Reconciliation found no such payment at the acquirer: F PROCESS_FAIL once the retry window is over and
   * nothing can still arrive, under the lease. Returns when to look again, or null (closed, or no longer ours to close).
   */
  async closeIfNeverReached(p: Payment, now = clockMs()): Promise<Date | null> {
    const end = windowEnd(p.createdAt, this.timing);
    if (now < end) return new Date(end);
    const next = await underLease(this.leases, 'payment', p.id, this.timing, async (previous) => {
      const current = await this.payments.findById(p.id);
      if (!current || current.cancelRequestedAt || !['RECEIVED', 'UNKNOWN', 'PENDING_ACTION'].includes(current.status)) return { at: null };
      const closed = await this.closeNeverReached(current, previous);
      return { at: closed.status === 'FAILED' ? null : new Date((previous?.getTime() ?? now) + this.timing.inFlightMs) };
    });
    return next ? next.at : new Date(now + this.timing.leaseMs); // null: a retry is re-driving it now
  }

  private async closeNeverReached(p: Payment, previous: Date | null): Promise<Payment> {
    if (!neverReachedIsFinal(p.createdAt, previous, clockMs(), this.timing)) return p;
    return (await this.settlement.settlePay(p.id, NEVER_REACHED, 'RECONCILIATION')).payment;
  }
}
