import { Controller, Get, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ADMIN_CSS, ADMIN_JS } from '../views/assets';

/** The stylesheet and script, from the gateway itself ('self' in the CSP). */
@Controller('admin/assets')
export class AssetsController {
  @Get('admin.css')
  css(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_CSS);
  }

  @Get('admin.js')
  js(@Res() reply: FastifyReply) {
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_JS);
  }
}
