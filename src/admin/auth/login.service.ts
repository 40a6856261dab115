import { Injectable } from '@nestjs/common';
import { AuditOutcome, AuditService } from '../../audit/audit.service';
import { AdminUser, AdminUsersService, USERNAME } from './admin-users.service';
import { burnVerifyTime, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';
import { totpStep } from './totp';

export type LoginOutcome =
  | { kind: 'ok'; token: string; user: AdminUser }
  | { kind: 'totp'; token: string; user: AdminUser }
  | { kind: 'refused' };

interface Origin {
  ip: string;
  userAgent: string;
}

/**
 * Password sign-in with lockout (10 failures → 30 minutes) and the optional TOTP step. The person
 * is only ever told "sign-in failed": whether the name exists or is locked shows in the audit log.
 */
@Injectable()
export class LoginService {
  constructor(private readonly users: AdminUsersService, private readonly sessions: SessionsService, private readonly audit: AuditService) {}

  async login(username: string, password: string, from: Origin): Promise<LoginOutcome> {
    const name = username.trim().toLowerCase();
    const user = USERNAME.test(name) ? await this.users.findByUsername(name) : null;
    // What was typed is only recorded when it looks like a user name: never a mistyped card number.
    const actor = `admin:${USERNAME.test(name) ? name : '[invalid]'}`;
    const record = (outcome: AuditOutcome, reason?: string, extra: Record<string, unknown> = {}) =>
      this.audit.append({ actorId: user?.id ?? null, actor, action: 'LOGIN', target: user ? user.username : null, ip: from.ip, outcome, detail: reason ? { reason, ...extra } : extra });
    if (!user) {
      await burnVerifyTime(password);
      await record('FAILURE', 'unknown user');
      return { kind: 'refused' };
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await record('DENIED', 'account locked', { lockedUntil: user.lockedUntil.toISOString() });
      return { kind: 'refused' };
    }
    if (user.disabled) {
      await record('DENIED', 'account disabled');
      return { kind: 'refused' };
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const after = await this.users.recordFailure(user.id);
      await record('FAILURE', 'wrong password', { failedAttempts: after.failedAttempts, ...(after.lockedUntil ? { lockedUntil: after.lockedUntil.toISOString() } : {}) });
      return { kind: 'refused' };
    }
    if (user.totpSecret) {
      const token = await this.sessions.create(user.id, 'MFA', from.ip, from.userAgent);
      await record('PENDING', 'password accepted, TOTP code required');
      return { kind: 'totp', token, user };
    }
    await this.users.recordSuccess(user.id);
    const token = await this.sessions.create(user.id, 'ACTIVE', from.ip, from.userAgent);
    await record('SUCCESS');
    return { kind: 'ok', token, user };
  }

  /** Second step: the code for the current time step, each step accepted once; failures count toward lockout. */
  async secondFactor(user: AdminUser, sessionIdHash: string, code: string, ip: string): Promise<boolean> {
    const step = user.totpSecret ? totpStep(user.totpSecret, code.trim()) : null;
    const ok = step !== null && (await this.users.claimTotpStep(user.id, step));
    const base = { actorId: user.id, actor: `admin:${user.username}`, action: 'LOGIN_TOTP', target: user.username, ip };
    if (!ok) {
      const after = await this.users.recordFailure(user.id);
      await this.audit.append({ ...base, outcome: 'FAILURE', detail: { failedAttempts: after.failedAttempts } });
      if (after.lockedUntil) await this.sessions.destroy(sessionIdHash);
      return false;
    }
    await this.users.recordSuccess(user.id);
    await this.sessions.activate(sessionIdHash);
    await this.audit.append({ ...base, outcome: 'SUCCESS' });
    return true;
  }
}
