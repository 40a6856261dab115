import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { antomPaths } from '../antom/api-paths';
import { validateBody } from '../antom/requests/common.dto';
import { AcceptDisputeRequestDto, DownloadDisputeEvidenceRequestDto, SupplyDefenseDocumentRequestDto } from '../antom/requests/dispute.dto';
import { AnswerOf } from '../antom/wire';
import { DisputesService } from '../operations/disputes.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';
import { ANSWER, ResponseSigner } from './response-signer';

/** Antom's dispute APIs (request/ams/dispute in its SDKs), at Antom's paths, signed both ways like the rest. */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseFilters(AntomExceptionFilter)
export class DisputesController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly signer: ResponseSigner,
  ) {}

  @Post(antomPaths('payments/acceptDispute'))
  @HttpCode(200)
  async acceptDispute(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const dto = await validateBody(AcceptDisputeRequestDto, req.antomBody);
    const answer: AnswerOf<'payments/acceptDispute'> = await this.disputes.accept(merchantOf(req).id, dto.disputeId, { by: 'merchant' });
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/supplyDefenseDocument'))
  @HttpCode(200)
  async supplyDefenseDocument(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const dto = await validateBody(SupplyDefenseDocumentRequestDto, req.antomBody);
    const answer: AnswerOf<'payments/supplyDefenseDocument'> = await this.disputes.supply(merchantOf(req).id, dto.disputeId, dto.disputeEvidence, {
      by: 'merchant',
    });
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('payments/downloadDisputeEvidence'))
  @HttpCode(200)
  async downloadDisputeEvidence(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const dto = await validateBody(DownloadDisputeEvidenceRequestDto, req.antomBody);
    const answer: AnswerOf<'payments/downloadDisputeEvidence'> = await this.disputes.download(
      merchantOf(req).id,
      dto.disputeId,
      dto.disputeEvidenceType,
      { by: 'merchant' },
    );
    return this.signer.send(req, reply, answer);
  }
}
