import { Controller, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';

import { antomPaths } from '../antom/api-paths';
import { GetCardInfoRequestDto, InquireInstallmentRequestDto } from '../antom/requests/card-info.dto';
import { validateBody } from '../antom/requests/common.dto';
import { ConsultRequestDto } from '../antom/requests/consult.dto';
import { AnswerOf } from '../antom/wire';
import { CardInfoService } from '../card-info/card-info.service';
import { ConsultService } from '../card-info/consult.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { AuthenticatedRequest, MerchantAuthGuard } from './merchant-auth.guard';

/** getCardInfo, inquireInstallment and consult (cards): signed both ways like every merchant API, answered by the gateway. */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseInterceptors(AntomResponseInterceptor)
@UseFilters(AntomExceptionFilter)
export class CardInfoController {
  constructor(
    private readonly cardInfo: CardInfoService,
    private readonly consultService: ConsultService,
  ) {}

  @Post(antomPaths('payments/getCardInfo'))
  @HttpCode(200)
  async getCardInfo(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/getCardInfo'>> {
    return this.cardInfo.getCardInfo(await validateBody(GetCardInfoRequestDto, req.antomBody));
  }

  @Post(antomPaths('payments/inquireInstallment'))
  @HttpCode(200)
  async inquireInstallment(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/inquireInstallment'>> {
    await validateBody(InquireInstallmentRequestDto, req.antomBody);
    return this.cardInfo.inquireInstallment();
  }

  @Post(antomPaths('payments/consult'))
  @HttpCode(200)
  async consult(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/consult'>> {
    return this.consultService.consult(await validateBody(ConsultRequestDto, req.antomBody));
  }
}
