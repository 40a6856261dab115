import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { UpstreamCancelAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { CancelRequestDto } from '../antom/requests/lifecycle.dto';
import { upstreamUnknownCode } from '../antom/result-codes';
import { CancelAnswer } from '../antom/wire';
import { cancelResponse } from '../payments/lifecycle-views';
import { guardCancel } from '../payments/operation-guards';
import { Payment } from '../payments/payment.entity';
import { PaymentRef, PaymentsRepository } from '../payments/payments.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { Guarded, MoneyOperation } from './money-operation';

type Answer = CancelAnswer;

/**
 * Antom's payments/cancel (void), in the MoneyOperation phases. The reservation is the cancel request on the
 * payment row (with reconciliation due, so a cancel whose answer is lost is resent); F and U are thrown as
 * the merchant's answer (the payment itself stays as it was).
 */
@Injectable()
export class CancelOperation implements MoneyOperation<CancelRequestDto, Payment, UpstreamCancelAnswer, Answer> {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly answers: AcquirerAnswersService,
    private readonly upstream: PaymentProcessor,
  ) {}

  validate(req: CancelRequestDto): void {
    if (!req.paymentId && !req.paymentRequestId) throw new AntomError('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.');
  }

  target(req: CancelRequestDto): PaymentRef {
    return req.paymentId ? { paymentId: req.paymentId } : { paymentRequestId: req.paymentRequestId };
  }

  async guard(tx: EntityManager, p: Payment): Promise<Guarded<Payment, Answer>> {
    if (guardCancel(p) === 'ALREADY') return { kind: 'answered', answer: cancelResponse(p) };
    await this.payments.requestCancel(tx, p, this.answers.nextReconcile('UNKNOWN'));
    return { kind: 'reserved', reserved: p };
  }

  callUpstream(p: Payment): Promise<UpstreamOutcome<UpstreamCancelAnswer>> {
    return this.upstream.cancel({ paymentRequestId: p.id, ...(p.upstreamPaymentId ? { paymentId: p.upstreamPaymentId } : {}) });
  }

  async apply(p: Payment, outcome: UpstreamOutcome<UpstreamCancelAnswer>): Promise<Answer> {
    const after = await this.answers.applyCancelOutcome(p.id, neverReachedCountsAsCancelled(p, outcome));
    if (after.status === 'CANCELLED') return cancelResponse(after);
    const ids = { paymentId: p.paymentId, paymentRequestId: p.paymentRequestId };
    // The acquirer's refusal keeps its code (CANCEL_WINDOW_EXCEED, ORDER_IS_CLOSED, …) and message.
    if (outcome.kind === 'answer' && outcome.body.result?.resultStatus === 'F')
      throw AntomError.upstreamRefusal(outcome.body.result, 'ORDER_STATUS_INVALID', ids);
    const code = upstreamUnknownCode('cancel', outcome.kind === 'answer' ? outcome.body.result?.resultCode : undefined);
    throw new AntomError(code, 'The cancel result is unknown; it will be retried. Inquire the payment later.', ids);
  }
}

/**
 * Abandoning a payment the acquirer never saw (our pay request never arrived): its "order does not
 * exist" means there is nothing to void, so the cancel succeeds locally.
 */
export function neverReachedCountsAsCancelled(p: Payment, outcome: UpstreamOutcome<UpstreamCancelAnswer>): UpstreamOutcome<UpstreamCancelAnswer> {
  const body = outcome.kind === 'answer' ? outcome.body : undefined;
  if (body?.result?.resultCode === 'ORDER_NOT_EXIST' && ['RECEIVED', 'UNKNOWN'].includes(p.status)) {
    return { kind: 'answer', body: { result: { resultStatus: 'S', resultCode: 'SUCCESS' } } };
  }
  return outcome;
}
