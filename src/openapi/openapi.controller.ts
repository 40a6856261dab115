import { createHash } from 'node:crypto';

import { Controller, Get, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';

import { buildOpenApiDocument } from './openapi-document';

/** Built once per process: the document depends on the code alone (no setting, no merchant, no card). */
let served: { body: string; etag: string } | undefined;

export function openApiJson(): { body: string; etag: string } {
  if (!served) {
    const body = JSON.stringify(buildOpenApiDocument());
    served = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  }
  return served;
}

/** GET /openapi.json: public, unauthenticated, cacheable, revalidated by ETag (a new build may change it). */
@Controller()
export class OpenApiController {
  constructor() {
    openApiJson(); // at start-up: a document that cannot be built fails the boot, not the first reader
  }

  @Get('/openapi.json')
  document(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const { body, etag } = openApiJson();
    void reply.header('cache-control', 'public, max-age=300').header('etag', etag);
    if (req.headers['if-none-match'] === etag) {
      void reply.status(304).send();
      return;
    }
    void reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
