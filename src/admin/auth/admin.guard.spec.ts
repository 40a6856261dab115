import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mock } from 'jest-mock-extended';

import { AuditService } from '../../audit/audit.service';
import { anAdminUser, anAuditRow, UUID } from '../admin.fakes';
import { AdminSettings } from '../admin-settings';
import { AdminRedirect, AdminRefusal, AdminRequest, UPLOAD_KEY } from '../http/admin-http';
import { AdminGuard } from './admin.guard';
import { AdminUser } from './admin-users.service';
import { ALLOW_BEFORE_MFA_ENROLMENT, ALLOW_BEFORE_PASSWORD_CHANGE, ROLES, ROLES_KEY } from './roles';
import { AdminSession, SessionsService } from './sessions.service';

const CSRF = 'c'.repeat(43);
const session = (over: Partial<AdminSession> = {}): AdminSession => ({
  idHash: 'h',
  userId: UUID.alice,
  csrfToken: CSRF,
  stage: 'ACTIVE',
  totpPending: null,
  ...over,
});

interface Case {
  method?: 'GET' | 'POST';
  url?: string;
  cookie?: string | null;
  body?: string;
  contentType?: string;
  site?: string;
  /** Route metadata (roles, the early-access flags, the upload limit). */
  meta?: Record<string, unknown>;
  user?: AdminUser;
  found?: { session: AdminSession; user: AdminUser } | null;
  requireMfa?: boolean;
  multipart?: AsyncIterable<unknown>;
}

async function guard(c: Case = {}) {
  const sessions = mock<SessionsService>();
  const settings = mock<AdminSettings>({ cookieName: 'gw_admin', requireMfa: c.requireMfa ?? false });
  const audit = mock<AuditService>();
  const reflector = mock<Reflector>();
  audit.append.mockResolvedValue(anAuditRow('1'));
  const found = c.found === undefined ? { session: session(), user: c.user ?? anAdminUser({ totpSecret: 'SECRET' }) } : c.found;
  sessions.resolve.mockResolvedValue(found);
  // Every route declares roles (deny by default); a case that means an undeclared route says [ROLES_KEY]: undefined.
  const meta: Record<string, unknown> = { [ROLES_KEY]: [...ROLES], ...c.meta };
  reflector.getAllAndOverride.mockImplementation((key: unknown) => meta[key as string]);
  const req = {
    method: c.method ?? 'GET',
    url: c.url ?? '/admin/payments/gwp_1/capture?x=1',
    ip: '192.0.2.7',
    body: Buffer.from(c.body ?? `_csrf=${CSRF}&amount=10`),
    headers: {
      ...(c.cookie === null ? {} : { cookie: c.cookie ?? 'gw_admin=tok; other=1' }),
      'content-type': c.contentType ?? 'application/x-www-form-urlencoded',
      ...(c.site ? { 'sec-fetch-site': c.site } : {}),
    },
    isMultipart: () => c.multipart !== undefined,
    parts: () => c.multipart,
  } as unknown as AdminRequest;
  const handler = () => undefined;
  const ctx = mock<ExecutionContext>();
  ctx.switchToHttp.mockReturnValue({ getRequest: () => req, getResponse: () => ({}), getNext: () => undefined } as never);
  ctx.getHandler.mockReturnValue(handler);
  ctx.getClass.mockReturnValue(AdminGuard);
  const run = new AdminGuard(sessions, settings, audit, reflector).canActivate(ctx);
  const outcome = await run.then(
    (ok) => ({ ok, error: null as unknown }),
    (error: unknown) => ({ ok: false, error }),
  );
  return { ...outcome, req, sessions, audit, reflector, handler };
}

const redirectTo = (e: unknown) => (e instanceof AdminRedirect ? e.location : null);
const refusal = (e: unknown) => (e instanceof AdminRefusal ? [e.status, e.reason] : null);

describe('AdminGuard', () => {
  describe('session', () => {
    it('a live session: allowed, and the request carries who it is', async () => {
      const g = await guard();
      expect(g.ok).toBe(true);
      expect(g.sessions.resolve).toHaveBeenCalledWith('tok');
      expect(g.req.admin).toMatchObject({ user: { id: UUID.alice }, session: { csrfToken: CSRF } });
      expect(g.audit.append).not.toHaveBeenCalled();
    });

    it('no cookie, or a dead session: to the sign-in page', async () => {
      const none = await guard({ cookie: null, found: null });
      expect(redirectTo(none.error)).toBe('/admin/login');
      expect(none.sessions.resolve).toHaveBeenCalledWith(undefined);
      expect(redirectTo((await guard({ found: null })).error)).toBe('/admin/login');
    });

    it('a session still at the second factor: to the code page, nothing else reached', async () => {
      const g = await guard({ found: { session: session({ stage: 'MFA' }), user: anAdminUser() } });
      expect(redirectTo(g.error)).toBe('/admin/login/totp');
      expect(g.req.admin).toBeUndefined();
    });
  });

  describe('CSRF on every POST', () => {
    it('the right token from this site: allowed, the form parsed onto the request', async () => {
      const g = await guard({ method: 'POST', site: 'same-origin' });
      expect(g.ok).toBe(true);
      expect(g.req.form!.get('amount')).toBe('10');
    });

    it.each([
      ['a wrong token', { body: `_csrf=${'x'.repeat(43)}` }],
      ['no token', { body: 'amount=10' }],
      ['a token of another length', { body: `_csrf=${CSRF}c` }],
      ['the right token from another site', { site: 'cross-site' }],
      ['the right token from a sibling subdomain', { site: 'same-site' }],
    ])('%s: 403, audited CSRF_REJECTED against the path without its query', async (_what, c) => {
      const g = await guard({ method: 'POST', ...c });
      expect(refusal(g.error)).toEqual([403, 'The form was missing its security token or came from another site. Reload the page and try again.']);
      expect(g.audit.append).toHaveBeenCalledWith({
        actorId: UUID.alice,
        actor: 'admin:alice',
        ip: '192.0.2.7',
        action: 'CSRF_REJECTED',
        target: '/admin/payments/gwp_1/capture',
        outcome: 'DENIED',
      });
    });

    it('a POST that is not a urlencoded form: 415', async () => {
      expect(refusal((await guard({ method: 'POST', contentType: 'application/json', body: '{}' })).error)?.[0]).toBe(415);
    });

    it('a GET needs no token', async () => {
      expect((await guard({ method: 'GET', body: '' })).ok).toBe(true);
    });

    it('an upload route reads the multipart form (token included) and the file', async () => {
      async function* parts() {
        yield { type: 'field', fieldname: '_csrf', value: CSRF };
        yield { type: 'file', mimetype: 'application/pdf', toBuffer: async () => Buffer.from('%PDF-1.7') };
      }
      const g = await guard({ method: 'POST', contentType: 'multipart/form-data; boundary=x', meta: { [UPLOAD_KEY]: 1024 }, multipart: parts() });
      expect(g.ok).toBe(true);
      expect(g.req.upload).toEqual({ data: Buffer.from('%PDF-1.7'), mimetype: 'application/pdf' });
      expect(g.reflector.getAllAndOverride).toHaveBeenCalledWith(UPLOAD_KEY, [g.handler, AdminGuard]);
    });
  });

  describe('forced password change', () => {
    it('until it is done, only the routes that allow it', async () => {
      const user = anAdminUser({ mustChangePassword: true, totpSecret: 'SECRET' });
      expect(redirectTo((await guard({ user })).error)).toBe('/admin/account');
      expect((await guard({ user, meta: { [ALLOW_BEFORE_PASSWORD_CHANGE]: true } })).ok).toBe(true);
    });
  });

  describe('ADMIN_REQUIRE_MFA', () => {
    const noTotp = anAdminUser({ totpSecret: null });

    it('without a second factor: only enrolling; a refused POST is audited MFA_REQUIRED', async () => {
      const get = await guard({ requireMfa: true, user: noTotp });
      expect(redirectTo(get.error)).toBe('/admin/account');
      expect(get.audit.append).not.toHaveBeenCalled();
      const post = await guard({ requireMfa: true, user: noTotp, method: 'POST' });
      expect(redirectTo(post.error)).toBe('/admin/account');
      expect(post.audit.append).toHaveBeenCalledWith(
        expect.objectContaining({ action: 'MFA_REQUIRED', target: '/admin/payments/gwp_1/capture', outcome: 'DENIED' }),
      );
      expect((await guard({ requireMfa: true, user: noTotp, meta: { [ALLOW_BEFORE_MFA_ENROLMENT]: true } })).ok).toBe(true);
    });

    it('with one enrolled, or the setting off: allowed', async () => {
      expect((await guard({ requireMfa: true, user: anAdminUser({ totpSecret: 'SECRET' }) })).ok).toBe(true);
      expect((await guard({ requireMfa: false, user: noTotp })).ok).toBe(true);
    });
  });

  describe('roles', () => {
    const moneyRoute = { [ROLES_KEY]: ['operator', 'admin'] };

    it('a role the route allows passes; a route declaring every role (AllowAnySignedIn) lets a viewer in', async () => {
      expect((await guard({ meta: moneyRoute, user: anAdminUser({ role: 'operator', totpSecret: 'S' }) })).ok).toBe(true);
      expect((await guard({ user: anAdminUser({ role: 'viewer', totpSecret: 'S' }) })).ok).toBe(true);
    });

    it('deny by default (7.2, 7.3.3): a route without a role declaration is refused even to an admin; the POST is audited', async () => {
      const admin = anAdminUser({ role: 'admin', totpSecret: 'S' });
      const get = await guard({ meta: { [ROLES_KEY]: undefined }, user: admin });
      expect(refusal(get.error)).toEqual([403, 'This page declares no roles, so nobody may use it.']);
      const post = await guard({ meta: { [ROLES_KEY]: undefined }, user: admin, method: 'POST' });
      expect(refusal(post.error)?.[0]).toBe(403);
      expect(post.audit.append).toHaveBeenCalledWith(
        expect.objectContaining({ action: 'ROLE_REFUSED', outcome: 'DENIED', detail: { role: 'admin', undeclared: true } }),
      );
    });

    it('a viewer on a money route: 403; the POST (a viewer trying to capture) is audited ROLE_REFUSED', async () => {
      const viewer = anAdminUser({ role: 'viewer', totpSecret: 'S' });
      const get = await guard({ meta: moneyRoute, user: viewer });
      expect(refusal(get.error)).toEqual([403, 'Your role (viewer) may not do this.']);
      expect(get.audit.append).not.toHaveBeenCalled();
      const post = await guard({ meta: moneyRoute, user: viewer, method: 'POST' });
      expect(refusal(post.error)?.[0]).toBe(403);
      expect(post.audit.append).toHaveBeenCalledWith(
        expect.objectContaining({ action: 'ROLE_REFUSED', outcome: 'DENIED', detail: { role: 'viewer' } }),
      );
    });
  });
});
