import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { AuditService } from '../../audit/audit.service';
import { AdminSettings } from '../admin-settings';
import { AdminGuard } from '../auth/admin.guard';
import { AdminUsersService } from '../auth/admin-users.service';
import { AttemptGate } from '../auth/attempt-gate';
import { HashesBusy, withHashSlot } from '../auth/hash-slots';
import { passwordProblem, verifyInHeldSlot } from '../auth/passwords';
import { AllowBeforePasswordChange } from '../auth/roles';
import { SessionsService } from '../auth/sessions.service';
import { newTotpSecret, totpStep, totpUri } from '../auth/totp';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clearCookie, clientIp, redirect, sendPage } from '../http/admin-http';
import { accountPage } from '../views/admin-pages.view';
import { notice } from '../views/layout';

/** The signed-in person's own account: password (forced at first login), TOTP, sign-out. */
@Controller('admin')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AccountController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly settings: AdminSettings,
    private readonly gate: AttemptGate,
  ) {}

  @Get('account')
  @AllowBeforePasswordChange()
  page(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    sendPage(reply, accountPage(req.admin!, {}));
  }

  @Post('account/password')
  @AllowBeforePasswordChange()
  async password(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { user, session } = req.admin!;
    const f = req.form!;
    const next = f.get('next') ?? '';
    // The current password is a guess like a sign-in: claimed from the lockout first (holding an argon2
    // slot, so a busy refusal counts nothing), counted if wrong.
    const checked = await withHashSlot(async () => {
      const c = await this.gate.claim(user.id);
      return { claim: c, right: c ? await verifyInHeldSlot(user.passwordHash, f.get('current') ?? '') : false };
    }).catch((e) => {
      if (e instanceof HashesBusy) throw new AdminRefusal(503, 'Too many password checks at this moment. Nothing was changed: try again in a few seconds.');
      throw e;
    });
    const { claim, right } = checked;
    if (!claim) return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    if (right && !(await this.gate.succeeded(user.id, claim, false))) return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    if (!right && claim.lockedUntil) {
      await this.record(req, 'CHANGE_PASSWORD', 'FAILURE', { reason: 'The current password is wrong.', failedAttempts: claim.attempt });
      return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    }
    const problem = !right
      ? 'The current password is wrong.'
      : next !== f.get('again') ? 'The two new passwords differ.'
        : next === f.get('current') ? 'Choose a password different from the current one.' : passwordProblem(next, user.username);
    await this.record(req, 'CHANGE_PASSWORD', problem ? 'FAILURE' : 'SUCCESS', problem ? { reason: problem, ...(right ? {} : { failedAttempts: claim.attempt }) } : {});
    if (problem) return sendPage(reply, accountPage(req.admin!, { message: notice('error', problem) }), 400);
    await this.users.setPassword(user.id, next, false);
    await this.sessions.destroyAllFor(user.id, session.idHash);
    redirect(reply, '/admin/payments');
  }

  @Post('account/totp/setup')
  totpSetup(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const secret = newTotpSecret();
    sendPage(reply, accountPage(req.admin!, { totpSetup: { secret, uri: totpUri(secret, req.admin!.user.username) } }));
  }

  @Post('account/totp/enable')
  async totpEnable(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const secret = req.form!.get('secret') ?? '';
    const ok = /^[A-Z2-7]{32}$/.test(secret) && totpStep(secret, req.form!.get('code') ?? '') !== null;
    await this.record(req, 'ENABLE_TOTP', ok ? 'SUCCESS' : 'FAILURE', {});
    if (ok) await this.users.setTotpSecret(req.admin!.user.id, secret);
    const ctx = { ...req.admin!, user: { ...req.admin!.user, totpSecret: ok ? secret : null } };
    sendPage(reply, accountPage(ctx, { message: notice(ok ? 'ok' : 'error', ok ? 'Two-factor sign-in is on.' : 'That code did not match; set up again.') }));
  }

  @Post('account/totp/disable')
  async totpDisable(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { user } = req.admin!;
    // A code is a guess: claimed from the lockout first, counted if wrong (a stolen session cannot try them all).
    const claim = await this.gate.claim(user.id);
    if (!claim) return this.lockedOut(req, reply, 'DISABLE_TOTP');
    const ok = !!user.totpSecret && totpStep(user.totpSecret, req.form!.get('code') ?? '') !== null && (await this.gate.succeeded(user.id, claim, false));
    await this.record(req, 'DISABLE_TOTP', ok ? 'SUCCESS' : 'FAILURE', ok ? {} : { failedAttempts: claim.attempt });
    if (!ok && claim.lockedUntil) return this.lockedOut(req, reply, 'DISABLE_TOTP');
    if (ok) await this.users.setTotpSecret(user.id, null);
    const ctx = { ...req.admin!, user: { ...user, totpSecret: ok ? null : user.totpSecret } };
    sendPage(reply, accountPage(ctx, { message: notice(ok ? 'ok' : 'error', ok ? 'Two-factor sign-in is off.' : 'That code did not match.') }));
  }

  @Post('logout')
  @AllowBeforePasswordChange()
  async logout(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    await this.sessions.destroy(req.admin!.session.idHash);
    await this.record(req, 'LOGOUT', 'SUCCESS', {});
    clearCookie(reply, this.settings.cookieName, this.settings.secureCookies);
    redirect(reply, '/admin/login?out=1');
  }

  /** The account is locked (by this attempt or another): the session ends, as a sign-in would be refused. */
  private async lockedOut(req: AdminRequest, reply: FastifyReply, action: string) {
    await this.sessions.destroy(req.admin!.session.idHash);
    await this.record(req, action, 'DENIED', { reason: 'account locked' });
    clearCookie(reply, this.settings.cookieName, this.settings.secureCookies);
    redirect(reply, '/admin/login?failed=1');
  }

  private record(req: AdminRequest, action: string, outcome: 'SUCCESS' | 'FAILURE' | 'DENIED', detail: Record<string, unknown>) {
    const u = req.admin!.user;
    return this.audit.append({ actorId: u.id, actor: `admin:${u.username}`, action, target: u.username, ip: clientIp(req), outcome, detail });
  }
}
