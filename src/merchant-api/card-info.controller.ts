import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { antomPaths } from '../antom/api-paths';
import { GetCardInfoRequestDto, InquireInstallmentRequestDto } from '../antom/requests/card-info.dto';
import { validateBody } from '../antom/requests/common.dto';
import { ConsultRequestDto } from '../antom/requests/consult.dto';
import { AnswerOf } from '../antom/wire';
import { CardInfoService } from '../card-info/card-info.service';
import { ConsultService } from '../card-info/consult.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AuthenticatedRequest, MerchantAuthGuard } from './merchant-auth.guard';
import { ANSWER, ResponseSigner } from './response-signer';

/** getCardInfo, inquireInstallment and consult (cards): signed both ways like every merchant API, answered by the gateway. */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseFilters(AntomExceptionFilter)
export class CardInfoController {
  constructor(
    private readonly cardInfo: CardInfoService,
    private readonly consultService: ConsultService,
    private readonly signer: ResponseSigner,
  ) {}

  @Post(antomPaths('payments/getCardInfo'))
  @HttpCode(200)
  async getCardInfo(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/getCardInfo'> = await this.cardInfo.getCardInfo(await validateBody(GetCardInfoRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/inquireInstallment'))
  @HttpCode(200)
  async inquireInstallment(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    await validateBody(InquireInstallmentRequestDto, req.antomBody);
    const answer: AnswerOf<'payments/inquireInstallment'> = await this.cardInfo.inquireInstallment();
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/consult'))
  @HttpCode(200)
  async consult(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'payments/consult'> = await this.consultService.consult(await validateBody(ConsultRequestDto, req.antomBody));
    return this.signer.send(req, reply, answer);
  }
}
