import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';

import { AntomError } from '../antom/antom-error';
import { isMerchantApiPath } from '../antom/api-paths';
import { originForm } from '../antom/origin-form';
import { antomResult } from '../antom/result-codes';
import { LOGGER } from '../platform/logging/logger.tokens';
import { ResponseSigner } from './response-signer';

/**
 * Every failure on the merchant API is answered in Antom's format: HTTP 200, `result` F with a
 * precise code. An unexpected error is U UNKNOWN_EXCEPTION, never F: it may have happened after the
 * upstream took the money, so the merchant must inquire, not retry blindly with a new id.
 */
@Catch()
export class AntomExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly signer: ResponseSigner,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Matched on the origin-form: an absolute-form request line (Python SDK) is a merchant call too.
    if (!isMerchantApiPath(originForm(req.url))) return this.plain(error, reply);
    const body = this.toBody(error, req);
    void reply.send(this.signer.send(req, reply, body));
  }

  private toBody(error: unknown, req: FastifyRequest): object {
    // Refusals are logged with every other answer, once, by the signer ('merchant request').
    if (error instanceof AntomError) {
      return { result: error.result, ...error.extra };
    }
    if (error instanceof HttpException && error.getStatus() === 404) {
      return { result: antomResult('NO_INTERFACE_DEF', `No API at ${req.method} ${originForm(req.url).split('?')[0]}.`) };
    }
    // Body-level failures (Fastify, mapped by Nest to HttpException): the request never reached a handler.
    const status = error instanceof HttpException ? error.getStatus() : (error as { statusCode?: number }).statusCode;
    if (status === 413) return { result: antomResult('PARAM_ILLEGAL', 'The request body is too large.') };
    if (typeof status === 'number' && status >= 400 && status < 500)
      return { result: antomResult('PARAM_ILLEGAL', 'The request could not be read.') };
    this.logger.error({ err: describe(error), path: req.url }, 'unexpected error on the merchant API');
    return { result: antomResult('UNKNOWN_EXCEPTION') };
  }

  private plain(error: unknown, reply: FastifyReply): void {
    const status = error instanceof HttpException ? error.getStatus() : (clientErrorStatus(error) ?? 500);
    // A body the client abandoned or sent unreadable (Fastify marks it 4xx): one line, no stack, no message.
    if (status >= 400 && status < 500 && !(error instanceof HttpException))
      this.logger.info({ statusCode: status, code: errorCode(error) }, 'request body aborted or unreadable');
    if (status >= 500) this.logger.error({ err: describe(error) }, 'unexpected error');
    void reply.status(status).send({ statusCode: status, message: status === 404 ? 'Not Found' : 'Error' });
  }
}

/** Error name and stack only: messages from libraries could quote input. Redaction still applies. */
function describe(error: unknown): { type: string; message?: string; stack?: string } {
  return error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : { type: typeof error };
}

/** Fastify's body-reading failures (aborted, bad length, bad JSON) carry a 4xx statusCode. */
function clientErrorStatus(error: unknown): number | undefined {
  const s = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

function errorCode(error: unknown): string | null {
  const c = (error as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c.slice(0, 64) : null;
}
