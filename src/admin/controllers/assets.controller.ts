import { Controller, Get, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { PublicRoute } from '../auth/roles';
import { ADMIN_CSS, ADMIN_ICON, ADMIN_JS } from '../views/assets';

/** The stylesheet and script, from the gateway itself ('self' in the CSP). */
@Controller('admin/assets')
@PublicRoute()
export class AssetsController {
  @Get('admin.css')
  css(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_CSS);
  }

  @Get('favicon.svg')
  icon(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(ADMIN_ICON);
  }

  @Get('admin.js')
  js(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_JS);
  }
}

/** Browsers ask for /favicon.ico on their own; an empty answer instead of a 404 in the console. */
@Controller()
@PublicRoute()
export class FaviconController {
  @Get('favicon.ico')
  favicon(@Res() reply: FastifyReply) {
    void reply.status(204).header('cache-control', 'public, max-age=86400').send();
  }
}
