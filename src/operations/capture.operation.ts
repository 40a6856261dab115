import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { OperationRedrive } from '../acquirer-answers/operation-redrive';
import { UpstreamCaptureAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { CaptureRequestDto } from '../antom/requests/lifecycle.dto';
import { CaptureAnswer } from '../antom/wire';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { Capture } from '../payments/capture.entity';
import { captureResponse } from '../payments/lifecycle-views';
import { guardCapture } from '../payments/operation-guards';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { eventInsert, PaymentRef, PaymentsRepository } from '../payments/payments.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateOperation } from './amount-update.operation';
import { Guarded, MoneyOperation } from './money-operation';
import { keyHash, sameRequest } from './request-key';
import { upstreamCapture } from './upstream-operation-requests';

export interface CaptureReserved {
  p: Payment;
  c: Capture;
}

type Answer = CaptureAnswer;

/** Antom's payments/capture of a manual-capture authorization, in the MoneyOperation phases. */
@Injectable()
export class CaptureOperation implements MoneyOperation<CaptureRequestDto, CaptureReserved, UpstreamCaptureAnswer, Answer> {
  readonly crashPoint = 'after-upstream-capture' as const;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly amountUpdates: AmountUpdatesRepository,
    private readonly amountUpdate: AmountUpdateOperation,
    private readonly answers: AcquirerAnswersService,
    private readonly redrive: OperationRedrive,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  /** An update left open is resolved first: a capture is judged against the authorized amount as it will stand. */
  async beforeLock(merchant: MerchantIdentity, req: CaptureRequestDto): Promise<void> {
    const known = await this.payments.findByPaymentId(merchant.id, req.paymentId);
    if (known) await this.amountUpdate.settlePending(known.id);
  }

  target(req: CaptureRequestDto): PaymentRef {
    return { paymentId: req.paymentId };
  }

  async guard(tx: EntityManager, p: Payment, merchant: MerchantIdentity, req: CaptureRequestDto): Promise<Guarded<CaptureReserved, Answer>> {
    const amount = BigInt(req.captureAmount.value);
    const hash = keyHash(req.paymentId, req.captureAmount.currency, req.captureAmount.value);
    const existing = await this.operations.findCapture({ merchantId: merchant.id, captureRequestId: req.captureRequestId }, tx);
    if (existing) return { kind: 'replay', reserved: { p, c: sameRequest(existing, hash) } };
    // Not final: the authorized amount is about to change (the acquirer is answering an updateAmount).
    if (await this.amountUpdates.inFlight(tx, p.id))
      throw new AntomError(
        'UNKNOWN_EXCEPTION',
        'An amount update of this payment is in process; retry the capture with the same captureRequestId shortly.',
      );
    guardCapture(p, req.captureAmount.currency, amount, await this.operations.reserved(tx, 'capture', p.id));
    const c = Object.assign(new Capture(), {
      id: randomUUID(),
      captureId: `gwc_${randomUUID().replace(/-/g, '')}`,
      merchantId: merchant.id,
      paymentId: p.id,
      captureRequestId: req.captureRequestId,
      requestHash: hash,
      currency: p.currency,
      amount,
      isLast: req.isLastCapture === true,
      automatic: false,
      status: 'PROCESSING',
    });
    await this.operations.reserve(
      tx,
      c,
      eventInsert([p.id, 'CAPTURE_REQUESTED', p.status, p.status, amount, { captureRequestId: req.captureRequestId, isLastCapture: c.isLast }]),
      this.config.RECONCILE_FIRST_DELAY_SECONDS,
    );
    return { kind: 'reserved', reserved: { p, c } };
  }

  callUpstream({ p, c }: CaptureReserved): Promise<UpstreamOutcome<UpstreamCaptureAnswer>> {
    return this.upstream.capture(upstreamCapture(p, c));
  }

  async apply({ c }: CaptureReserved, outcome: UpstreamOutcome<UpstreamCaptureAnswer>): Promise<Answer> {
    const { payment, capture } = await this.answers.applyCaptureOutcome(c.id, outcome);
    return captureResponse(payment, capture);
  }

  awaitingTwin({ c }: CaptureReserved): boolean {
    return c.status === 'PROCESSING' && c.resultStatus === null;
  }

  async reload({ p, c }: CaptureReserved): Promise<CaptureReserved> {
    return { p, c: (await this.operations.reload(c)) ?? c };
  }

  /**
   * The same captureRequestId again: the stored answer, a capture left U re-driven first (OperationRedrive:
   * inquired, resent as first sent if the acquirer never received it, its result applied).
   */
  async replay({ p, c }: CaptureReserved): Promise<Answer> {
    if (!this.redrive.captureRedrivable(c)) return captureResponse(p, c);
    const r = await this.redrive.redriveCapture(p, c, (current) => this.upstream.capture(upstreamCapture(p, current)));
    return r ? captureResponse(r.payment, r.capture) : captureResponse(p, (await this.operations.reload(c)) ?? c);
  }
}
