import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

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
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';
import { ANSWER, ResponseSigner } from './response-signer';

@Controller()
@UseGuards(MerchantAuthGuard)
@UseFilters(AntomExceptionFilter)
export class PaymentsController {
  constructor(
    private readonly authorization: AuthorizationService,
    private readonly inquiry: InquiryService,
    private readonly lifecycle: CaptureService,
    private readonly amountUpdate: AmountUpdateService,
    private readonly signer: ResponseSigner,
  ) {}

  @Post(antomPaths('payments/pay'))
  @HttpCode(200)
  async pay(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/pay'> = await this.authorization.pay(merchantOf(req), await validateBody(PayRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/inquiryPayment'))
  @HttpCode(200)
  async inquiryPayment(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/inquiryPayment'> = await this.inquiry.inquirePayment(
      merchantOf(req),
      await validateBody(InquiryPaymentRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/capture'))
  @HttpCode(200)
  async capture(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/capture'> = await this.lifecycle.capture(merchantOf(req), await validateBody(CaptureRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/updateAmount'))
  @HttpCode(200)
  async updateAmount(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/updateAmount'> = await this.amountUpdate.updateAmount(
      merchantOf(req),
      await validateBody(UpdateAmountRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/cancel'))
  @HttpCode(200)
  async cancel(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/cancel'> = await this.lifecycle.cancel(merchantOf(req), await validateBody(CancelRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/refund'))
  @HttpCode(200)
  async refund(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/refund'> = await this.lifecycle.refund(merchantOf(req), await validateBody(RefundRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/inquiryRefund'))
  @HttpCode(200)
  async inquiryRefund(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/inquiryRefund'> = await this.lifecycle.inquiryRefund(
      merchantOf(req),
      await validateBody(InquiryRefundRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }
}
