import { randomBytes } from 'node:crypto';

import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';

import { antomResult } from '../../../antom/result-codes';
import { CSP_REPORT_GROUP, CSP_REPORT_PATH } from '../../../platform/http/csp-report';
import { COLLECT_CSS, COLLECT_JS, collectPageHtml } from './collect-page-assets';
import { CollectSessionService } from './collect-session.service';

/**
 * The hosted card page, public (the session id is the capability). Strict CSP: no inline script or
 * style, the script by nonce, network only to the gateway itself, and framing only by the session's
 * parent origin (one of the merchant's allowed origins).
 */
@Controller('collect')
export class CollectPageController {
  constructor(private readonly sessions: CollectSessionService) {}

  @Get('assets/collect.js')
  script(@Res() reply: FastifyReply): void {
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(COLLECT_JS);
  }

  @Get('assets/collect.css')
  styles(@Res() reply: FastifyReply): void {
    void reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(COLLECT_CSS);
  }

  @Get(':sessionId')
  async page(@Param('sessionId') sessionId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.sessions.open(sessionId, header(req, 'accept'));
    noStore(reply);
    if (!session) {
      void reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('This card page is no longer available.');
      return;
    }
    const nonce = randomBytes(18).toString('base64');
    // helmet sets its defaults on the raw response: drop its CSP (ours replaces it) and X-Frame-Options,
    // which would contradict frame-ancestors and block the merchant's own checkout in some browsers.
    reply.raw.removeHeader('x-frame-options');
    reply.raw.removeHeader('content-security-policy');
    void reply
      .header(
        'content-security-policy',
        [
          "default-src 'none'",
          `script-src 'nonce-${nonce}'`,
          "style-src 'self'",
          "connect-src 'self'",
          "img-src 'self'",
          // A vaulting session's page is opened top level (Antom's normalUrl): nobody may frame it.
          "form-action 'self'",
          "base-uri 'none'",
          `frame-ancestors ${session.framed ? session.parentOrigin : "'none'"}`,
          // PCI DSS 6.4.3 / 11.6.1: a blocked script or style is reported to the gateway and counted (csp-report.ts).
          `report-uri ${CSP_REPORT_PATH}`,
          `report-to ${CSP_REPORT_GROUP}`,
        ].join('; '),
      )
      .header('reporting-endpoints', `${CSP_REPORT_GROUP}="${CSP_REPORT_PATH}"`)
      .header('content-type', 'text/html; charset=utf-8')
      .send(collectPageHtml({ sessionId: session.id, parentOrigin: session.parentOrigin, nonce, redirectUrl: session.redirectUrl }));
  }

  @Post(':sessionId/card')
  async submit(@Param('sessionId') sessionId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    noStore(reply);
    // JSON only: a cross-site "simple" POST (text/plain, form) is refused before anything is read.
    const json = /^application\/json\b/i.test(header(req, 'content-type') ?? '');
    const body = json ? parseJson(req.body) : null;
    const answer = body
      ? await this.sessions.submit(sessionId, body, { clientIp: req.ip, userAgent: header(req, 'user-agent') })
      : { result: antomResult('PARAM_ILLEGAL', 'The request body must be a JSON object.') };
    void reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ result: answer.result, ...answer.card }));
  }
}

function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// Record: the page's body as posted (untrusted JSON, any fields); the readers after it check each field they take.
function parseJson(raw: unknown): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
