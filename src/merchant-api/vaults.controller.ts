import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { antomPaths } from '../antom/api-paths';
import { validateBody } from '../antom/requests/common.dto';
import { InquireVaultingRequestDto, VaultingSessionRequestDto, VaultPaymentMethodRequestDto } from '../antom/requests/vaulting.dto';
import { AnswerOf } from '../antom/wire';
import { VaultingService } from '../vaulting/vaulting.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';
import { ANSWER, ResponseSigner } from './response-signer';

/**
 * Antom's vaulting APIs in Antom's paths (AntomPathConstants: /ams/api/v1/vaults/…), signed both ways like
 * pay. Answered by the gateway, which owns the vault (vaulting/vaulting.service.ts says why nothing goes upstream).
 */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseFilters(AntomExceptionFilter)
export class VaultsController {
  constructor(
    private readonly vaulting: VaultingService,
    private readonly signer: ResponseSigner,
  ) {}

  @Post(antomPaths('vaults/createVaultingSession'))
  @HttpCode(200)
  async createVaultingSession(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'vaults/createVaultingSession'> = await this.vaulting.createSession(
      merchantOf(req),
      await validateBody(VaultingSessionRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('vaults/vaultPaymentMethod'))
  @HttpCode(200)
  async vaultPaymentMethod(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'vaults/vaultPaymentMethod'> = await this.vaulting.vaultPaymentMethod(
      merchantOf(req),
      await validateBody(VaultPaymentMethodRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }

  @Post(antomPaths('vaults/inquireVaulting'))
  @HttpCode(200)
  async inquireVaulting(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const answer: AnswerOf<'vaults/inquireVaulting'> = await this.vaulting.inquire(
      merchantOf(req),
      await validateBody(InquireVaultingRequestDto, req.antomBody),
    );
    return this.signer.send(req, reply, answer);
  }
}
