import { Controller, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';

import { antomPaths } from '../antom/api-paths';
import { validateBody } from '../antom/requests/common.dto';
import { AcceptDisputeRequestDto, DownloadDisputeEvidenceRequestDto, SupplyDefenseDocumentRequestDto } from '../antom/requests/dispute.dto';
import { AnswerOf } from '../antom/wire';
import { DisputesService } from '../operations/disputes.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';

/** Antom's dispute APIs (request/ams/dispute in its SDKs), at Antom's paths, signed both ways like the rest. */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseInterceptors(AntomResponseInterceptor)
@UseFilters(AntomExceptionFilter)
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Post(antomPaths('payments/acceptDispute'))
  @HttpCode(200)
  async acceptDispute(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/acceptDispute'>> {
    const dto = await validateBody(AcceptDisputeRequestDto, req.antomBody);
    return this.disputes.accept(merchantOf(req).id, dto.disputeId, { by: 'merchant' });
  }

  @Post(antomPaths('payments/supplyDefenseDocument'))
  @HttpCode(200)
  async supplyDefenseDocument(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/supplyDefenseDocument'>> {
    const dto = await validateBody(SupplyDefenseDocumentRequestDto, req.antomBody);
    return this.disputes.supply(merchantOf(req).id, dto.disputeId, dto.disputeEvidence, { by: 'merchant' });
  }

  @Post(antomPaths('payments/downloadDisputeEvidence'))
  @HttpCode(200)
  async downloadDisputeEvidence(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'payments/downloadDisputeEvidence'>> {
    const dto = await validateBody(DownloadDisputeEvidenceRequestDto, req.antomBody);
    return this.disputes.download(merchantOf(req).id, dto.disputeId, dto.disputeEvidenceType, { by: 'merchant' });
  }
}
