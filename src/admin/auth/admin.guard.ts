import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AuditService } from '../../audit/audit.service';
import { AdminSettings } from '../admin-settings';
import { AdminRedirect, AdminRefusal, AdminRequest, clientIp, formOf, readCookie, readForm, readUpload, UPLOAD_KEY } from '../http/admin-http';
import { crossSite, tokensMatch } from './csrf';
import { AdminRole, ALLOW_BEFORE_MFA_ENROLMENT, ALLOW_BEFORE_PASSWORD_CHANGE, ROLES_KEY } from './roles';
import { SessionsService } from './sessions.service';

/**
 * Every console route but the login pages: a live session, the forced password change done, a second
 * factor enrolled when ADMIN_REQUIRE_MFA is on, the CSRF token on every POST, and the route's roles. Refused POSTs are audited (a viewer trying to
 * capture is worth knowing about).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly settings: AdminSettings,
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AdminRequest>();
    const found = await this.sessions.resolve(readCookie(req, this.settings.cookieName));
    if (!found) throw new AdminRedirect('/admin/login');
    if (found.session.stage === 'MFA') throw new AdminRedirect('/admin/login/totp');
    req.admin = found;
    const post = req.method === 'POST';
    const actor = { actorId: found.user.id, actor: `admin:${found.user.username}`, ip: clientIp(req) };
    if (post) {
      const uploadLimit = this.reflector.getAllAndOverride<number | undefined>(UPLOAD_KEY, [ctx.getHandler(), ctx.getClass()]);
      if (uploadLimit && req.isMultipart()) Object.assign(req, await readUpload(req, uploadLimit));
      else req.form = readForm(req);
      if (crossSite(req) || !tokensMatch(found.session.csrfToken, formOf(req).get('_csrf'))) {
        await this.audit.append({ ...actor, action: 'CSRF_REJECTED', target: req.url.split('?')[0], outcome: 'DENIED' });
        throw new AdminRefusal(403, 'The form was missing its security token or came from another site. Reload the page and try again.');
      }
    }
    const early = this.reflector.getAllAndOverride<boolean>(ALLOW_BEFORE_PASSWORD_CHANGE, [ctx.getHandler(), ctx.getClass()]);
    if (found.user.mustChangePassword && !early) throw new AdminRedirect('/admin/account');
    // PCI DSS 8.4.2: without a second factor, nothing but enrolling one (and the password change before it).
    const enrolling = this.reflector.getAllAndOverride<boolean>(ALLOW_BEFORE_MFA_ENROLMENT, [ctx.getHandler(), ctx.getClass()]);
    if (this.settings.requireMfa && !found.user.totpSecret && !enrolling) {
      if (post) await this.audit.append({ ...actor, action: 'MFA_REQUIRED', target: req.url.split('?')[0], outcome: 'DENIED' });
      throw new AdminRedirect('/admin/account');
    }
    const roles = this.reflector.getAllAndOverride<AdminRole[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    // Deny by default (7.2 / 7.3.3): a route that declares no roles is nobody's.
    if (!roles) {
      if (post)
        await this.audit.append({
          ...actor,
          action: 'ROLE_REFUSED',
          target: req.url.split('?')[0],
          outcome: 'DENIED',
          detail: { role: found.user.role, undeclared: true },
        });
      throw new AdminRefusal(403, 'This page declares no roles, so nobody may use it.');
    }
    if (!roles.includes(found.user.role)) {
      if (post)
        await this.audit.append({
          ...actor,
          action: 'ROLE_REFUSED',
          target: req.url.split('?')[0],
          outcome: 'DENIED',
          detail: { role: found.user.role },
        });
      throw new AdminRefusal(403, `Your role (${found.user.role}) may not do this.`);
    }
    return true;
  }
}
