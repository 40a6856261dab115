import { Controller, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';

import { antomPaths } from '../antom/api-paths';
import { validateBody } from '../antom/requests/common.dto';
import { InquireVaultingRequestDto, VaultingSessionRequestDto, VaultPaymentMethodRequestDto } from '../antom/requests/vaulting.dto';
import { AnswerOf } from '../antom/wire';
import { VaultingService } from '../vaulting/vaulting.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';

/**
 * Antom's vaulting APIs in Antom's paths (AntomPathConstants: /ams/api/v1/vaults/…), signed both ways like
 * pay. Answered by the gateway, which owns the vault (vaulting/vaulting.service.ts says why nothing goes upstream).
 */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseInterceptors(AntomResponseInterceptor)
@UseFilters(AntomExceptionFilter)
export class VaultsController {
  constructor(private readonly vaulting: VaultingService) {}

  @Post(antomPaths('vaults/createVaultingSession'))
  @HttpCode(200)
  async createVaultingSession(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'vaults/createVaultingSession'>> {
    return this.vaulting.createSession(merchantOf(req), await validateBody(VaultingSessionRequestDto, req.antomBody));
  }

  @Post(antomPaths('vaults/vaultPaymentMethod'))
  @HttpCode(200)
  async vaultPaymentMethod(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'vaults/vaultPaymentMethod'>> {
    return this.vaulting.vaultPaymentMethod(merchantOf(req), await validateBody(VaultPaymentMethodRequestDto, req.antomBody));
  }

  @Post(antomPaths('vaults/inquireVaulting'))
  @HttpCode(200)
  async inquireVaulting(@Req() req: AuthenticatedRequest): Promise<AnswerOf<'vaults/inquireVaulting'>> {
    return this.vaulting.inquire(merchantOf(req), await validateBody(InquireVaultingRequestDto, req.antomBody));
  }
}
