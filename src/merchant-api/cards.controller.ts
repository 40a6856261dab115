import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AntomError } from '../antom/antom-error';
import { antomPaths } from '../antom/api-paths';
import { antomResult } from '../antom/result-codes';
import { AnswerOf } from '../antom/wire';
import { CardTokensService } from '../pci/card-collection/card-tokens.service';
import { CollectSessionService } from '../pci/card-collection/collect/collect-session.service';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AuthenticatedRequest, MerchantAuthGuard, merchantOf } from './merchant-auth.guard';
import { ANSWER, ResponseSigner } from './response-signer';

const paths = antomPaths;

/**
 * Card storage for merchants, signed exactly like pay: store a card for a token, delete it
 * (crypto-shredding), and open a hosted collection session so the card never touches the merchant.
 */
@Controller()
@UseGuards(MerchantAuthGuard)
@UseFilters(AntomExceptionFilter)
export class CardsController {
  constructor(
    private readonly tokens: CardTokensService,
    private readonly sessions: CollectSessionService,
    private readonly signer: ResponseSigner,
  ) {}

  @Post(paths('cards'))
  @HttpCode(200)
  async store(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const body = req.antomBody as Record<string, unknown>;
    const nested = body.paymentMethod as Record<string, unknown> | undefined;
    const meta = body.paymentMethodMetaData ?? nested?.paymentMethodMetaData;
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
      throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodMetaData: the card is required.');
    }
    const m = meta as Record<string, unknown>;
    const onFile = isTrue(body.isCardOnFile) || isTrue(m.isCardOnFile);
    const view = await this.tokens.store(merchantOf(req).id, { meta: m, onFile });
    const answer: AnswerOf<'cards'> = { result: antomResult('SUCCESS'), ...view };
    return this.signer.send(req, reply, answer);
  }

  @Post(paths('cards/delete'))
  @HttpCode(200)
  async delete(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const body = req.antomBody as Record<string, unknown>;
    await this.tokens.delete(merchantOf(req).id, body.cardToken);
    const answer: AnswerOf<'cards/delete'> = {
      result: antomResult('SUCCESS'),
      cardToken: typeof body.cardToken === 'string' ? body.cardToken : undefined,
      deleted: true,
    }; // the vault refused any other
    return this.signer.send(req, reply, answer);
  }

  @Post(paths('cards/collectSession'))
  @HttpCode(200)
  async collectSession(@Req() req: AuthenticatedRequest, @Res(ANSWER) reply: FastifyReply): Promise<string> {
    const body = req.antomBody as Record<string, unknown>;
    const session = await this.sessions.create(merchantOf(req).id, body.parentOrigin, isTrue(body.isCardOnFile));
    const answer: AnswerOf<'cards/collectSession'> = { result: antomResult('SUCCESS'), ...session };
    return this.signer.send(req, reply, answer);
  }
}

/** Antom's docs write booleans as strings; its SDKs send real ones. */
function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}
