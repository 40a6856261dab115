import { Controller, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthorizationService } from '../authorization/authorization.service';
import { InquiryService } from '../inquiry/inquiry.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { validateBody } from './dto/common.dto';
import { InquiryPaymentRequestDto, PayRequestDto } from './dto/pay.dto';
import { AuthenticatedRequest, MerchantAuthGuard } from './merchant-auth.guard';

/** Antom's paths, the sandbox variant the SDKs use for SANDBOX_ client ids, and the seed's short form. */
export const antomPaths = (api: string) => [`/ams/api/v1/${api}`, `/ams/sandbox/api/v1/${api}`, `/v1/${api}`];

@Controller()
@UseGuards(MerchantAuthGuard)
@UseInterceptors(AntomResponseInterceptor)
@UseFilters(AntomExceptionFilter)
export class PaymentsController {
  constructor(private readonly authorization: AuthorizationService, private readonly inquiry: InquiryService) {}

  @Post(antomPaths('payments/pay'))
  @HttpCode(200)
  async pay(@Req() req: AuthenticatedRequest) {
    return this.authorization.pay(req.merchant!, await validateBody(PayRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/inquiryPayment'))
  @HttpCode(200)
  async inquiryPayment(@Req() req: AuthenticatedRequest) {
    return this.inquiry.inquirePayment(req.merchant!, await validateBody(InquiryPaymentRequestDto, req.antomBody));
  }
}
