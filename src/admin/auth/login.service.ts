import { Injectable } from '@nestjs/common';

import { AuditOutcome, AuditService } from '../../audit/audit.service';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { AdminUser, AdminUsersService, INACTIVE_DAYS, inactiveSince } from './admin-users.service';
import { AttemptClaim, AttemptGate } from './attempt-gate';
import { withHashSlot } from './hash-slots';
import { INITIAL_ADMIN } from './initial-admin';
import { burnVerifyTime, verifyInHeldSlot } from './passwords';
import { RecoveryCodesService } from './recovery-codes';
import { SessionsService } from './sessions.service';
import { totpStep } from './totp';
import { isUserName } from './user-name';

export type LoginOutcome = { kind: 'ok'; token: string; user: AdminUser } | { kind: 'totp'; token: string; user: AdminUser } | { kind: 'refused' };

interface Origin {
  ip: string;
  userAgent: string;
}

/**
 * Password sign-in with lockout (10 failed attempts → 30 minutes) and the optional TOTP step. Every
 * attempt is first claimed from the AttemptGate (one atomic statement: count it, lock at the tenth,
 * refuse if locked) and only then checked, so parallel attempts and the second factor all count and
 * none gets past a lock. Unknown, locked, disabled and wrong all cost one argon2 verify (HashesBusy
 * when too many are in flight), and the person is only ever told "sign-in failed": whether the name
 * exists or is locked shows in the audit log.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: AdminUsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly gate: AttemptGate,
    private readonly metrics: MetricsService,
    private readonly recovery: RecoveryCodesService,
  ) {}

  /**
   * Throws HashesBusy, before anything is counted or recorded, when no argon2 slot comes free in time. The slots
   * are shared fairly per address and per user name (hash-slots.ts): a flood from elsewhere does not shut a person out.
   */
  login(username: string, password: string, from: Origin): Promise<LoginOutcome> {
    const name = username.trim().toLowerCase();
    // What was typed is only looked up or recorded when it is a user name: never a mistyped card number.
    const valid = isUserName(name);
    return withHashSlot(() => this.loginHoldingSlot(name, valid, password, from), { address: from.ip, name: valid ? name : '[invalid]' });
  }

  private async loginHoldingSlot(name: string, valid: boolean, password: string, from: Origin): Promise<LoginOutcome> {
    const user = valid ? await this.users.findByUsername(name) : null;
    const actor = `admin:${valid ? name : '[invalid]'}`;
    const record = (outcome: AuditOutcome, reason?: string, extra: Record<string, unknown> = {}) => {
      if (outcome === 'FAILURE' || outcome === 'DENIED') this.metrics.countSignInFailure(reason ?? 'refused');
      return this.audit.append({
        actorId: user?.id ?? null,
        actor,
        action: 'LOGIN',
        target: user ? user.username : null,
        ip: from.ip,
        outcome,
        detail: reason ? { reason, ...extra } : extra,
      });
    };
    if (!user) {
      await burnVerifyTime(password);
      await record('FAILURE', valid ? 'unknown user' : 'invalid user name');
      return { kind: 'refused' };
    }
    if (user.disabled) {
      await burnVerifyTime(password);
      await record('DENIED', 'account disabled');
      return { kind: 'refused' };
    }
    if (inactiveSince(user, Date.now())) {
      // PCI DSS 8.2.6: unused for 90 days, the account is disabled; an administrator re-enables it.
      await burnVerifyTime(password);
      await this.users.update(user.id, { disabled: true });
      await record('DENIED', `inactive for ${INACTIVE_DAYS} days: account disabled`, { lastLoginAt: user.lastLoginAt?.toISOString() ?? null });
      return { kind: 'refused' };
    }
    const claim = await this.gate.claim(user.id);
    if (!claim) {
      await burnVerifyTime(password);
      await record('DENIED', 'account locked', user.lockedUntil ? { lockedUntil: user.lockedUntil.toISOString() } : {});
      return { kind: 'refused' };
    }
    const lock = (c: AttemptClaim) => ({ attempt: c.attempt, ...(c.lockedUntil ? { lockedUntil: c.lockedUntil.toISOString() } : {}) });
    if (!(await verifyInHeldSlot(user.passwordHash, password))) {
      await record('FAILURE', 'wrong password', { failedAttempts: claim.attempt, ...lock(claim) });
      return { kind: 'refused' };
    }
    if (user.totpSecret) {
      if (!(await this.gate.passedFirstFactor(user.id, claim))) {
        await record('DENIED', 'account locked', { ...lock(claim), during: 'password check' });
        return { kind: 'refused' };
      }
      const token = await this.sessions.create(user.id, 'MFA', from.ip, from.userAgent);
      await record('PENDING', 'password accepted, TOTP code required', { attempt: claim.attempt });
      return { kind: 'totp', token, user };
    }
    if (!(await this.gate.succeeded(user.id, claim))) {
      await record('DENIED', 'account locked', { ...lock(claim), during: 'password check' });
      return { kind: 'refused' };
    }
    const token = await this.sessions.create(user.id, 'ACTIVE', from.ip, from.userAgent);
    await record('SUCCESS', undefined, { attempt: claim.attempt });
    await this.retireBootstrapAdmin(user, from.ip);
    return { kind: 'ok', token, user };
  }

  /**
   * PCI DSS 8.2.2: the generic `admin` account is disabled as soon as a named admin has signed in (the users
   * page says so). A named admin's sign-in is the moment: from then on someone accountable can administer.
   */
  private async retireBootstrapAdmin(user: AdminUser, ip: string): Promise<void> {
    if (user.role !== 'admin' || user.username === INITIAL_ADMIN) return;
    if (!(await this.users.retireBootstrap(INITIAL_ADMIN))) return;
    await this.audit.append({
      actorId: user.id,
      actor: `admin:${user.username}`,
      action: 'RETIRE_BOOTSTRAP_ADMIN',
      target: INITIAL_ADMIN,
      ip,
      outcome: 'SUCCESS',
      detail: { reason: 'a named admin signed in (PCI DSS 8.2.2)' },
    });
  }

  /**
   * Second step: the code for the current time step, each step accepted once. The code is an attempt
   * like a password: claimed first (a locked account's session gets no answer but the end of it), and
   * a wrong one counts toward the lock. A recovery code (XXXX-XXXX-XXXX-XXXX) stands in for a lost
   * authenticator: the same attempt, each code accepted once.
   */
  async secondFactor(user: AdminUser, sessionIdHash: string, code: string, ip: string): Promise<boolean> {
    const base = { actorId: user.id, actor: `admin:${user.username}`, action: 'LOGIN_TOTP', target: user.username, ip };
    const claim = await this.gate.claim(user.id);
    if (!claim) {
      await this.sessions.destroy(sessionIdHash);
      this.metrics.countSignInFailure('account locked');
      await this.audit.append({ ...base, outcome: 'DENIED', detail: { reason: 'account locked' } });
      return false;
    }
    const recoveryCode = !/^\s*\d{6}\s*$/.test(code);
    const step = user.totpSecret && !recoveryCode ? totpStep(user.totpSecret, code.trim()) : null;
    const ok = recoveryCode
      ? !!user.totpSecret && (await this.recovery.use(user.id, code))
      : step !== null && (await this.users.claimTotpStep(user.id, step));
    if (!ok) {
      this.metrics.countSignInFailure('wrong TOTP code');
      await this.audit.append({
        ...base,
        outcome: 'FAILURE',
        detail: { failedAttempts: claim.attempt, ...(claim.lockedUntil ? { lockedUntil: claim.lockedUntil.toISOString() } : {}) },
      });
      if (claim.lockedUntil) await this.sessions.destroy(sessionIdHash);
      return false;
    }
    if (!(await this.gate.succeeded(user.id, claim))) {
      await this.sessions.destroy(sessionIdHash);
      this.metrics.countSignInFailure('account locked');
      await this.audit.append({ ...base, outcome: 'DENIED', detail: { reason: 'account locked', attempt: claim.attempt } });
      return false;
    }
    await this.sessions.activate(sessionIdHash);
    await this.audit.append({
      ...base,
      outcome: 'SUCCESS',
      detail: {
        attempt: claim.attempt,
        ...(recoveryCode ? { method: 'recovery code', recoveryCodesLeft: await this.recovery.remaining(user.id) } : {}),
      },
    });
    await this.retireBootstrapAdmin(user, ip);
    return true;
  }
}
