import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AuditService } from '../../audit/audit.service';
import { AdminSettings } from '../admin-settings';
import { AdminGuard } from '../auth/admin.guard';
import { AdminUsersService } from '../auth/admin-users.service';
import { AttemptGate } from '../auth/attempt-gate';
import { HashesBusy, withHashSlot } from '../auth/hash-slots';
import { passwordProblem, verifyInHeldSlot } from '../auth/passwords';
import { RecoveryCodesService } from '../auth/recovery-codes';
import { AllowAnySignedIn, AllowBeforeMfaEnrolment, AllowBeforePasswordChange } from '../auth/roles';
import { SessionsService } from '../auth/sessions.service';
import { newTotpSecret, totpQrSvg, totpStep, totpUri } from '../auth/totp';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { ADMIN_CSP, AdminContext, AdminRefusal, AdminRequest, clearCookie, clientIp, formOf, redirect, sendPage, signedIn } from '../http/admin-http';
import { accountPage, AccountPageOptions } from '../views/admin-pages.view';
import { notice } from '../views/layout';

/**
 * The signed-in person's own account: password (forced at first login), TOTP enrolment with a QR code and
 * recovery codes, sign-out. With ADMIN_REQUIRE_MFA on, this page is all a person without TOTP may reach.
 */
@Controller('admin')
@UseGuards(AdminGuard)
@AllowAnySignedIn()
@UseFilters(AdminExceptionFilter)
export class AccountController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly settings: AdminSettings,
    private readonly gate: AttemptGate,
    private readonly recovery: RecoveryCodesService,
  ) {}

  @Get('account')
  @AllowBeforePasswordChange()
  @AllowBeforeMfaEnrolment()
  async page(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const wrong = (req.query as Record<string, string>).totp === 'wrong' && !!signedIn(req).session.totpPending;
    await this.render(
      signedIn(req),
      reply,
      wrong
        ? {
            message: notice(
              'error',
              'That code did not match. The key stays the same: check the clock of the device and enter the code it shows now.',
            ),
          }
        : {},
    );
  }

  @Post('account/password')
  @AllowBeforePasswordChange()
  @AllowBeforeMfaEnrolment()
  async password(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { user, session } = signedIn(req);
    const f = formOf(req);
    const next = f.get('next') ?? '';
    // The current password is a guess like a sign-in: claimed from the lockout first (holding an argon2
    // slot, so a busy refusal counts nothing), counted if wrong.
    const checked = await withHashSlot(
      async () => {
        const c = await this.gate.claim(user.id);
        return { claim: c, right: c ? await verifyInHeldSlot(user.passwordHash, f.get('current') ?? '') : false };
      },
      { address: clientIp(req), name: user.username },
    ).catch((e) => {
      if (e instanceof HashesBusy)
        throw new AdminRefusal(503, 'Too many password checks at this moment. Nothing was changed: try again in a few seconds.');
      throw e;
    });
    const { claim, right } = checked;
    if (!claim) return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    if (right && !(await this.gate.succeeded(user.id, claim, false))) return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    if (!right && claim.lockedUntil) {
      await this.record(req, 'CHANGE_PASSWORD', 'FAILURE', { reason: 'The current password is wrong.', failedAttempts: claim.attempt });
      return this.lockedOut(req, reply, 'CHANGE_PASSWORD');
    }
    const firstProblem = !right
      ? 'The current password is wrong.'
      : next !== f.get('again')
        ? 'The two new passwords differ.'
        : next === f.get('current')
          ? 'Choose a password different from the current one.'
          : passwordProblem(next, user.username);
    // PCI DSS 8.3.7: none of the last four passwords (argon2 checks, so only once everything else is right).
    const reused =
      !firstProblem && (await this.users.reusesPassword(user, next)) ? 'Choose a password you have not used for your last four passwords.' : null;
    const problem = firstProblem ?? reused;
    await this.record(
      req,
      'CHANGE_PASSWORD',
      problem ? 'FAILURE' : 'SUCCESS',
      problem ? { reason: problem, ...(right ? {} : { failedAttempts: claim.attempt }) } : {},
    );
    if (problem) return this.render(signedIn(req), reply, { message: notice('error', problem) }, 400);
    await this.users.setPassword(user.id, next, false);
    await this.sessions.destroyAllFor(user.id, session.idHash);
    redirect(reply, '/admin/payments');
  }

  /**
   * A new secret waits in the session (never in the form, never on the account) until a correct code from
   * it: a wrong first code keeps it there to try again; only a correct one moves it to the account.
   */
  @Post('account/totp/setup')
  @AllowBeforeMfaEnrolment()
  async totpSetup(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const ctx = signedIn(req);
    if (ctx.user.totpSecret) return redirect(reply, '/admin/account');
    const secret = newTotpSecret();
    await this.sessions.setTotpPending(ctx.session.idHash, secret);
    redirect(reply, '/admin/account#totp');
  }

  /** The QR code of the pending secret, from the console itself (img-src 'self'); only to its session. */
  @Get('account/totp/qr.svg')
  @AllowBeforeMfaEnrolment()
  async totpQr(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { session, user } = signedIn(req);
    if (!session.totpPending || user.totpSecret) throw new AdminRefusal(404, 'No two-factor set-up in progress.');
    void reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('content-security-policy', ADMIN_CSP)
      .header('cache-control', 'no-store')
      .send(await totpQrSvg(totpUri(session.totpPending, user.username)));
  }

  @Post('account/totp/enable')
  @AllowBeforeMfaEnrolment()
  async totpEnable(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const ctx = signedIn(req);
    const secret = ctx.session.totpPending;
    if (ctx.user.totpSecret) return redirect(reply, '/admin/account');
    if (!secret)
      return this.render(ctx, reply, { message: notice('error', 'The set-up expired (a new sign-in starts afresh). Choose Set up again.') }, 400);
    const step = totpStep(secret, (formOf(req).get('code') ?? '').trim());
    if (step === null) {
      await this.record(req, 'ENABLE_TOTP', 'FAILURE', { reason: 'wrong first code' });
      return redirect(reply, '/admin/account?totp=wrong#totp'); // a reload then re-sends nothing
    }
    await this.users.setTotpSecret(ctx.user.id, secret);
    await this.users.claimTotpStep(ctx.user.id, step); // the enrolment code cannot also sign in
    await this.sessions.setTotpPending(ctx.session.idHash, null);
    const codes = await this.recovery.replace(ctx.user.id);
    await this.record(req, 'ENABLE_TOTP', 'SUCCESS', { recoveryCodes: codes.length });
    const next = { ...ctx, user: { ...ctx.user, totpSecret: secret }, session: { ...ctx.session, totpPending: null } };
    await this.render(next, reply, { message: notice('ok', 'Two-factor sign-in is on.'), recoveryCodes: codes });
  }

  /** A fresh set of ten recovery codes (the old ones stop working), for the current TOTP code. */
  @Post('account/totp/recovery-codes')
  async totpRecoveryCodes(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { user } = signedIn(req);
    const ok = await this.checkCode(req, reply, 'NEW_RECOVERY_CODES');
    if (ok === null) return;
    if (!ok) return this.render(signedIn(req), reply, { message: notice('error', 'That code did not match.') }, 400);
    const codes = await this.recovery.replace(user.id);
    await this.record(req, 'NEW_RECOVERY_CODES', 'SUCCESS', { recoveryCodes: codes.length });
    await this.render(signedIn(req), reply, { message: notice('ok', 'New recovery codes made; the old ones no longer work.'), recoveryCodes: codes });
  }

  @Post('account/totp/disable')
  async totpDisable(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const { user } = signedIn(req);
    if (this.settings.requireMfa) {
      await this.record(req, 'DISABLE_TOTP', 'DENIED', { reason: 'ADMIN_REQUIRE_MFA' });
      throw new AdminRefusal(403, 'Two-factor sign-in is required on this gateway and cannot be turned off.');
    }
    const ok = await this.checkCode(req, reply, 'DISABLE_TOTP');
    if (ok === null) return;
    if (ok) {
      await this.users.setTotpSecret(user.id, null);
      await this.recovery.removeAll(user.id);
    }
    const ctx = { ...signedIn(req), user: { ...user, totpSecret: ok ? null : user.totpSecret } };
    await this.render(
      ctx,
      reply,
      { message: notice(ok ? 'ok' : 'error', ok ? 'Two-factor sign-in is off.' : 'That code did not match.') },
      ok ? 200 : 400,
    );
  }

  /**
   * The current TOTP code, as a guess: claimed from the lockout first, counted if wrong (a stolen session
   * cannot try them all). Null when the account is (now) locked and the session was ended.
   */
  private async checkCode(req: AdminRequest, reply: FastifyReply, action: string): Promise<boolean | null> {
    const { user } = signedIn(req);
    const claim = await this.gate.claim(user.id);
    if (!claim) {
      await this.lockedOut(req, reply, action);
      return null;
    }
    const step = user.totpSecret ? totpStep(user.totpSecret, (formOf(req).get('code') ?? '').trim()) : null;
    const ok = step !== null && (await this.users.claimTotpStep(user.id, step)) && (await this.gate.succeeded(user.id, claim, false));
    if (!ok) await this.record(req, action, 'FAILURE', { failedAttempts: claim.attempt });
    if (!ok && claim.lockedUntil) {
      await this.lockedOut(req, reply, action);
      return null;
    }
    if (ok && action === 'DISABLE_TOTP') await this.record(req, action, 'SUCCESS', {});
    return ok;
  }

  private async render(ctx: AdminContext, reply: FastifyReply, opts: AccountPageOptions, status = 200) {
    const setup =
      !ctx.user.totpSecret && ctx.session.totpPending
        ? { secret: ctx.session.totpPending, uri: totpUri(ctx.session.totpPending, ctx.user.username) }
        : undefined;
    const recoveryLeft = ctx.user.totpSecret ? await this.recovery.remaining(ctx.user.id) : 0;
    sendPage(reply, accountPage(ctx, { totpSetup: setup, recoveryLeft, mfaRequired: this.settings.requireMfa, ...opts }), status);
  }

  @Post('logout')
  @AllowBeforePasswordChange()
  @AllowBeforeMfaEnrolment()
  async logout(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    await this.sessions.destroy(signedIn(req).session.idHash);
    await this.record(req, 'LOGOUT', 'SUCCESS', {});
    clearCookie(reply, this.settings.cookieName, this.settings.secureCookies);
    redirect(reply, '/admin/login?out=1');
  }

  /** The account is locked (by this attempt or another): the session ends, as a sign-in would be refused. */
  private async lockedOut(req: AdminRequest, reply: FastifyReply, action: string) {
    await this.sessions.destroy(signedIn(req).session.idHash);
    await this.record(req, action, 'DENIED', { reason: 'account locked' });
    clearCookie(reply, this.settings.cookieName, this.settings.secureCookies);
    redirect(reply, '/admin/login?failed=1');
  }

  private record(req: AdminRequest, action: string, outcome: 'SUCCESS' | 'FAILURE' | 'DENIED', detail: Record<string, unknown>) {
    const u = signedIn(req).user;
    return this.audit.append({ actorId: u.id, actor: `admin:${u.username}`, action, target: u.username, ip: clientIp(req), outcome, detail });
  }
}
