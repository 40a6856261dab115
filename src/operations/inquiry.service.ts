import { Injectable } from '@nestjs/common';

import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { AntomError } from '../antom/antom-error';
import { InquiryPaymentRequestDto } from '../antom/requests/pay.dto';
import { ResultStatus } from '../antom/result-codes';
import { InquiryPaymentAnswer, TransactionView } from '../antom/wire';
import { MerchantIdentity } from '../merchants/merchants.service';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { isFinalStatus } from '../payments/payment-status';
import { inquiryResponse } from '../payments/payment-view';
import { compact, iso } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';

/**
 * inquiryPayment from the gateway's records (paymentId wins over paymentRequestId, as in Antom); a
 * payment that is not final yet is first refreshed from the acquirer.
 */
@Injectable()
export class InquiryService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly operations: OperationsRepository,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async inquirePayment(merchant: MerchantIdentity, req: InquiryPaymentRequestDto): Promise<InquiryPaymentAnswer> {
    if (!req.paymentId && !req.paymentRequestId) throw new AntomError('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.');
    let payment = await this.find(merchant.id, req);
    if (!payment) throw new AntomError('ORDER_NOT_EXIST', 'No payment with this id for this merchant.');
    if (!isFinalStatus(payment.status) && payment.status !== 'RECEIVED') {
      await this.reconciliation.settle(payment.id);
      payment = await this.payments.reload(payment.id);
    }
    return { ...inquiryResponse(payment), transactions: await this.transactions(payment) };
  }

  private find(merchantId: string, req: InquiryPaymentRequestDto): Promise<Payment | null> {
    return req.paymentId
      ? this.payments.findByPaymentId(merchantId, req.paymentId)
      : this.payments.findByRequestId(merchantId, req.paymentRequestId ?? '');
  }

  /** Antom's transactions[]: the authorization, each capture, each refund and the cancel. */
  private async transactions(p: Payment): Promise<TransactionView[]> {
    const { captures, refunds } = await this.operations.ofPayment(p.id);
    const status = (s: string) => (s === 'SUCCESS' ? 'SUCCESS' : s === 'FAIL' ? 'FAIL' : 'PROCESSING');
    const amount = (currency: string, v: bigint) => ({ currency, value: v.toString() });
    const result = (code: string | null, st: ResultStatus | null, msg: string | null) =>
      code ? { resultCode: code, resultStatus: st ?? 'U', resultMessage: msg ?? '' } : undefined;
    const list: TransactionView[] = [
      {
        transactionType: 'PAYMENT',
        transactionStatus: p.resultStatus === 'S' ? 'SUCCESS' : p.resultStatus === 'F' ? 'FAIL' : 'PROCESSING',
        transactionId: p.paymentId,
        transactionRequestId: p.paymentRequestId,
        transactionAmount: amount(p.currency, p.amount),
        transactionTime: iso(p.paymentTime ?? p.createdAt),
        transactionResult: result(p.resultCode, p.resultStatus, p.resultMessage),
      },
    ];
    for (const c of captures)
      list.push({
        transactionType: 'CAPTURE',
        transactionStatus: status(c.status),
        transactionId: c.captureId,
        transactionRequestId: c.captureRequestId,
        transactionAmount: amount(c.currency, c.amount),
        transactionTime: iso(c.captureTime ?? c.createdAt),
        transactionResult: result(c.resultCode, c.resultStatus, c.resultMessage),
      });
    for (const r of refunds)
      list.push({
        transactionType: 'REFUND',
        transactionStatus: status(r.status),
        transactionId: r.refundId,
        transactionRequestId: r.refundRequestId,
        transactionAmount: amount(r.currency, r.amount),
        transactionTime: iso(r.refundTime ?? r.createdAt),
        transactionResult: result(r.resultCode, r.resultStatus, r.resultMessage),
      });
    if (p.status === 'CANCELLED')
      list.push({
        transactionType: 'CANCEL',
        transactionStatus: 'SUCCESS',
        transactionId: p.paymentId,
        transactionRequestId: p.paymentRequestId,
        transactionAmount: amount(p.currency, p.amount),
        transactionTime: iso(p.cancelTime),
      });
    return list.map((t) => compact(t));
  }
}
