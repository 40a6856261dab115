import { Controller, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';

import { antomPaths } from '../antom/api-paths';
import { validateBody } from '../antom/requests/common.dto';
import {
  CancelRequestDto,
  CaptureRequestDto,
  InquiryRefundRequestDto,
  RefundRequestDto,
  UpdateAmountRequestDto,
} from '../antom/requests/lifecycle.dto';
import { InquiryPaymentRequestDto, PayRequestDto } from '../antom/requests/pay.dto';
import { AnswerOf } from '../antom/wire';
import { AuthorizationService } from '../authorization/authorization.service';
import { AmountUpdateService } from '../operations/amount-update.service';
import { CaptureService } from '../operations/capture.service';
import { InquiryService } from '../operations/inquiry.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';

@Controller()
@UseGuards(MerchantAuthGuard)
@UseInterceptors(AntomResponseInterceptor)
@UseFilters(AntomExceptionFilter)
export class PaymentsController {
  constructor(
    private readonly authorization: AuthorizationService,
    private readonly inquiry: InquiryService,
    private readonly lifecycle: CaptureService,
    private readonly amountUpdate: AmountUpdateService,
  ) {}

  @Post(antomPaths('payments/pay'))
  @HttpCode(200)
  async pay(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/pay'>> {
    return this.authorization.pay(merchantOf(req), await validateBody(PayRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/inquiryPayment'))
  @HttpCode(200)
  async inquiryPayment(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/inquiryPayment'>> {
    return this.inquiry.inquirePayment(merchantOf(req), await validateBody(InquiryPaymentRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/capture'))
  @HttpCode(200)
  async capture(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/capture'>> {
    return this.lifecycle.capture(merchantOf(req), await validateBody(CaptureRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/updateAmount'))
  @HttpCode(200)
  async updateAmount(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/updateAmount'>> {
    return this.amountUpdate.updateAmount(merchantOf(req), await validateBody(UpdateAmountRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/cancel'))
  @HttpCode(200)
  async cancel(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/cancel'>> {
    return this.lifecycle.cancel(merchantOf(req), await validateBody(CancelRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/refund'))
  @HttpCode(200)
  async refund(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/refund'>> {
    return this.lifecycle.refund(merchantOf(req), await validateBody(RefundRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/inquiryRefund'))
  @HttpCode(200)
  async inquiryRefund(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/inquiryRefund'>> {
    return this.lifecycle.inquiryRefund(merchantOf(req), await validateBody(InquiryRefundRequestDto, req.antomBody));
  }
}
