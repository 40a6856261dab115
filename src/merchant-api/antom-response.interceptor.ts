import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';

import { ResponseSigner } from './response-signer';

@Injectable()
export class AntomResponseInterceptor implements NestInterceptor {
  constructor(private readonly signer: ResponseSigner) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<string> {
    const http = ctx.switchToHttp();
    return next.handle().pipe(map((body: object) => this.signer.send(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), body)));
  }
}
