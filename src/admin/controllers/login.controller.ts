import { randomBytes } from 'node:crypto';

import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AdminSettings } from '../admin-settings';
import { crossSite, tokensMatch } from '../auth/csrf';
import { HashesBusy } from '../auth/hash-slots';
import { LoginService } from '../auth/login.service';
import { PublicRoute } from '../auth/roles';
import { SessionsService } from '../auth/sessions.service';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clearCookie, clientIp, readCookie, readForm, redirect, sendPage, setCookie } from '../http/admin-http';
import { loginPage, totpPage } from '../views/login.view';

/**
 * Sign-in. Before a session exists, CSRF protection is a double-submit token: a random value in a
 * SameSite=Strict cookie that the form must repeat (login CSRF would sign a victim into our account).
 */
@Controller('admin')
@PublicRoute()
@UseFilters(AdminExceptionFilter)
export class LoginController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly settings: AdminSettings,
  ) {}

  private get preCookie(): string {
    return `${this.settings.cookieName}_pre`;
  }

  @Get()
  root(@Res() reply: FastifyReply) {
    redirect(reply, '/admin/payments');
  }

  @Get('login')
  page(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const token = randomBytes(24).toString('base64url');
    setCookie(reply, this.preCookie, token, this.settings.secureCookies, 3600);
    const q = req.query as Record<string, string>;
    sendPage(reply, loginPage(token, q.failed === '1', q.out === '1' ? 'You are signed out.' : undefined));
  }

  @Post('login')
  async submit(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const form = readForm(req);
    if (crossSite(req) || !tokensMatch(readCookie(req, this.preCookie) ?? '', form.get('_csrf'))) {
      throw new AdminRefusal(403, 'The sign-in form expired or came from another site. Open the sign-in page again.');
    }
    const outcome = await this.login
      .login(form.get('username') ?? '', form.get('password') ?? '', { ip: clientIp(req), userAgent: String(req.headers['user-agent'] ?? '') })
      .catch((e) => {
        // Too many password checks in flight: refused before the attempt was counted; say so plainly.
        if (e instanceof HashesBusy)
          throw new AdminRefusal(503, 'Too many sign-ins at this moment. Nothing was checked: wait a few seconds and sign in again.');
        throw e;
      });
    if (outcome.kind === 'refused') return redirect(reply, '/admin/login?failed=1');
    clearCookie(reply, this.preCookie, this.settings.secureCookies);
    setCookie(reply, this.settings.cookieName, outcome.token, this.settings.secureCookies);
    // ADMIN_REQUIRE_MFA: a person without a second factor goes straight to enrolment (the guard allows nothing else).
    const enrol = this.settings.requireMfa && !outcome.user.totpSecret && !outcome.user.mustChangePassword;
    redirect(reply, outcome.kind === 'totp' ? '/admin/login/totp' : enrol ? '/admin/account#totp' : '/admin/payments');
  }

  @Get('login/totp')
  async totpForm(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const found = await this.sessions.resolve(readCookie(req, this.settings.cookieName));
    if (!found || found.session.stage !== 'MFA') return redirect(reply, '/admin/login');
    sendPage(reply, totpPage(found.session.csrfToken, (req.query as Record<string, string>).failed === '1'));
  }

  @Post('login/totp')
  async totpSubmit(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const found = await this.sessions.resolve(readCookie(req, this.settings.cookieName));
    if (!found || found.session.stage !== 'MFA') return redirect(reply, '/admin/login');
    const form = readForm(req);
    if (crossSite(req) || !tokensMatch(found.session.csrfToken, form.get('_csrf'))) throw new AdminRefusal(403, 'The form expired. Sign in again.');
    const ok = await this.login.secondFactor(found.user, found.session.idHash, form.get('code') ?? '', clientIp(req));
    redirect(reply, ok ? '/admin/payments' : '/admin/login/totp?failed=1');
  }
}
