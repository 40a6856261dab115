import { Injectable } from '@nestjs/common';
import { AntomError } from '../antom/antom-error';
import { InquiryPaymentRequestDto } from '../merchant-api/dto/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { inquiryResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';

/** inquiryPayment from the gateway's own records (paymentId wins over paymentRequestId, as in Antom). */
@Injectable()
export class InquiryService {
  constructor(private readonly payments: PaymentsRepository) {}

  async inquirePayment(merchant: MerchantIdentity, req: InquiryPaymentRequestDto): Promise<Record<string, unknown>> {
    if (!req.paymentId && !req.paymentRequestId) throw new AntomError('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.');
    const payment = req.paymentId
      ? await this.payments.findByPaymentId(merchant.id, req.paymentId)
      : await this.payments.findByRequestId(merchant.id, req.paymentRequestId!);
    if (!payment) throw new AntomError('ORDER_NOT_EXIST', 'No payment with this id for this merchant.');
    return inquiryResponse(payment);
  }
}
