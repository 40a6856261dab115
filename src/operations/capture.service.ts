import { Injectable } from '@nestjs/common';

import { OperationRedrive } from '../acquirer-answers/operation-redrive';
import { AntomError } from '../antom/antom-error';
import { CancelRequestDto, CaptureRequestDto, InquiryRefundRequestDto, RefundRequestDto } from '../antom/requests/lifecycle.dto';
import { CancelAnswer, CaptureAnswer, InquiryRefundAnswer, RefundAnswer } from '../antom/wire';
import { MerchantIdentity } from '../merchants/merchants.service';
import { inquiryRefundResponse } from '../payments/lifecycle-views';
import { OperationsRepository } from '../payments/operations.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { CancelOperation } from './cancel.operation';
import { CaptureOperation } from './capture.operation';
import { OperationRunner } from './operation-runner';
import { RefundOperation } from './refund.operation';

/**
 * Capture, cancel (void) and refund as the merchant API, the admin console and the expiry worker call them:
 * each is a MoneyOperation (capture.operation.ts, cancel.operation.ts, refund.operation.ts) run by the one
 * OperationRunner — lock the payment + guard + reserve (one transaction) → upstream → apply.
 */
@Injectable()
export class CaptureService {
  constructor(
    private readonly runner: OperationRunner,
    private readonly captureOp: CaptureOperation,
    private readonly cancelOp: CancelOperation,
    private readonly refundOp: RefundOperation,
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly redrive: OperationRedrive,
  ) {}

  capture(merchant: MerchantIdentity, req: CaptureRequestDto): Promise<CaptureAnswer> {
    return this.runner.run(this.captureOp, merchant, req);
  }

  cancel(merchant: MerchantIdentity, req: CancelRequestDto): Promise<CancelAnswer> {
    return this.runner.run(this.cancelOp, merchant, req);
  }

  refund(merchant: MerchantIdentity, req: RefundRequestDto): Promise<RefundAnswer> {
    return this.runner.run(this.refundOp, merchant, req);
  }

  /** Not a money movement: the refund as stored, a PROCESSING one settled first by what the acquirer knows. */
  async inquiryRefund(merchant: MerchantIdentity, req: InquiryRefundRequestDto): Promise<InquiryRefundAnswer> {
    if (!req.refundId && !req.refundRequestId) throw new AntomError('PARAM_ILLEGAL', 'refundId or refundRequestId is required.');
    const where = req.refundId
      ? { merchantId: merchant.id, refundId: req.refundId }
      : { merchantId: merchant.id, refundRequestId: req.refundRequestId };
    let r = await this.operations.findRefund(where);
    if (!r) throw new AntomError('ORDER_NOT_EXIST', 'No refund with this id for this merchant.');
    const p = r.status === 'PROCESSING' ? await this.payments.findById(r.paymentId) : null;
    // What the acquirer knows, applied as reconciliation applies it: its "no such refund" is not a failed
    // refund until the retry window is over and nothing sent can still arrive.
    if (p) r = (await this.redrive.settleRefund(p, r)).refund;
    return inquiryRefundResponse(r);
  }
}
