import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Logger } from 'pino';

import { LOGGER } from '../../platform/logging/logger.tokens';
import { errorPage } from '../views/error.view';
import { AdminRedirect, AdminRefusal, AdminRequest, redirect, sendPage } from './admin-http';

/** The console answers in HTML: redirects to the login page, refusals with a reason, never a stack trace. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<AdminRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof AdminRedirect) return redirect(reply, error.location);
    if (error instanceof AdminRefusal) return sendPage(reply, errorPage(error.status, error.reason, req.admin), error.status);
    if (error instanceof HttpException && error.getStatus() < 500) {
      return sendPage(
        reply,
        errorPage(error.getStatus(), error.getStatus() === 404 ? 'Not found.' : 'The request was refused.', req.admin),
        error.getStatus(),
      );
    }
    this.logger.error(
      {
        err: error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : { type: typeof error },
        path: req.url.split('?')[0],
      },
      'admin console error',
    );
    sendPage(reply, errorPage(500, 'Something went wrong. Nothing was changed unless the audit log says so.', req.admin), 500);
  }
}
