import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AcquirerAnswersService } from '../acquirer-answers/acquirer-answers.service';
import { OperationRedrive } from '../acquirer-answers/operation-redrive';
import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { UpstreamRefundAnswer } from '../antom/answers';
import { AntomError } from '../antom/antom-error';
import { RefundRequestDto } from '../antom/requests/lifecycle.dto';
import { RefundAnswer } from '../antom/wire';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Refund } from '../payments/capture.entity';
import { refundResponse } from '../payments/lifecycle-views';
import { guardRefund } from '../payments/operation-guards';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { eventInsert, PaymentRef, PaymentsRepository } from '../payments/payments.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { PaymentProcessor } from '../upstream/payment-processor';
import { Guarded, MoneyOperation } from './money-operation';
import { keyHash, sameRequest } from './request-key';
import { upstreamRefund } from './upstream-operation-requests';

export interface RefundReserved {
  p: Payment;
  r: Refund;
  /** The acquirer's id of the capture the merchant named (`captureId`), if any. */
  upstreamCaptureId: string | null;
}

type Answer = RefundAnswer;

/** Antom's payments/refund, in the MoneyOperation phases. */
@Injectable()
export class RefundOperation implements MoneyOperation<RefundRequestDto, RefundReserved, UpstreamRefundAnswer, Answer> {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly answers: AcquirerAnswersService,
    private readonly reconciliation: ReconciliationService,
    private readonly redrive: OperationRedrive,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  /**
   * A refund needs a booked capture. Right after an automatic-capture pay the acquirer's capture
   * notification may not have arrived: the capture is asked for and booked first, so the refund is not
   * refused for a condition that passes by itself (what is still missing then answers U, see guardRefund).
   */
  async beforeLock(merchant: MerchantIdentity, req: RefundRequestDto): Promise<void> {
    const p = await this.payments.findByPaymentId(merchant.id, req.paymentId);
    if (p?.captureMode === 'AUTOMATIC' && p.status === 'SUCCEEDED' && p.capturedAmount === 0n) await this.reconciliation.bookAutomaticCapture(p.id);
  }

  target(req: RefundRequestDto): PaymentRef {
    return { paymentId: req.paymentId };
  }

  async guard(tx: EntityManager, p: Payment, merchant: MerchantIdentity, req: RefundRequestDto): Promise<Guarded<RefundReserved, Answer>> {
    const amount = BigInt(req.refundAmount.value);
    const hash = keyHash(req.paymentId, req.refundAmount.currency, req.refundAmount.value);
    const existing = await this.operations.findRefund({ merchantId: merchant.id, refundRequestId: req.refundRequestId }, tx);
    if (existing) return { kind: 'replay', reserved: { p, r: sameRequest(existing, hash), upstreamCaptureId: null } };
    guardRefund(p, req.refundAmount.currency, amount, await this.operations.reserved(tx, 'refund', p.id));
    const upstreamCaptureId = await this.captureToRefund(merchant.id, p, req.captureId, tx);
    const r = Object.assign(new Refund(), {
      id: randomUUID(),
      refundId: `gwr_${randomUUID().replace(/-/g, '')}`,
      merchantId: merchant.id,
      paymentId: p.id,
      refundRequestId: req.refundRequestId,
      requestHash: hash,
      currency: p.currency,
      amount,
      reason: req.refundReason ?? null,
      notifyUrl: req.refundNotifyUrl ?? null,
      status: 'PROCESSING',
    });
    await this.operations.reserve(
      tx,
      r,
      eventInsert([p.id, 'REFUND_REQUESTED', p.status, p.status, amount, { refundRequestId: req.refundRequestId }]),
      this.config.RECONCILE_FIRST_DELAY_SECONDS,
    );
    return { kind: 'reserved', reserved: { p, r, upstreamCaptureId } };
  }

  callUpstream({ p, r, upstreamCaptureId }: RefundReserved, req: RefundRequestDto): Promise<UpstreamOutcome<UpstreamRefundAnswer>> {
    return this.upstream.refund(upstreamRefund(p, r, req, upstreamCaptureId));
  }

  async apply({ r }: RefundReserved, outcome: UpstreamOutcome<UpstreamRefundAnswer>): Promise<Answer> {
    const { payment, refund } = await this.answers.applyRefundOutcome(r.id, outcome);
    return refundResponse(payment, refund);
  }

  awaitingTwin({ r }: RefundReserved): boolean {
    return r.status === 'PROCESSING' && r.resultStatus === null;
  }

  async reload(reserved: RefundReserved): Promise<RefundReserved> {
    return { ...reserved, r: (await this.operations.reload(reserved.r)) ?? reserved.r };
  }

  /** The same refundRequestId again: as CaptureOperation.replay; the resend carries this request's captureId, reference and async flag. */
  async replay({ p, r }: RefundReserved, merchant: MerchantIdentity, req: RefundRequestDto): Promise<Answer> {
    if (!this.redrive.refundRedrivable(r)) return refundResponse(p, r);
    const resend = async (current: Refund) => {
      const captureId = req.captureId ? await this.captureToRefund(merchant.id, p, req.captureId) : null;
      return this.upstream.refund(upstreamRefund(p, current, req, captureId));
    };
    const d = await this.redrive.redriveRefund(p, r, resend);
    return d ? refundResponse(d.payment, d.refund) : refundResponse(p, (await this.operations.reload(r)) ?? r);
  }

  /** The acquirer's id of the capture a refund names (`captureId`): one successful capture of this payment, else F naming it. */
  private async captureToRefund(merchantId: string, p: Payment, captureId: string | undefined, tx?: EntityManager): Promise<string | null> {
    if (!captureId) return null;
    const c = await this.operations.findCapture({ merchantId, captureId, paymentId: p.id }, tx);
    if (!c || c.status !== 'SUCCESS') throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter captureId: not a successful capture of this payment.');
    return c.upstreamCaptureId;
  }
}
