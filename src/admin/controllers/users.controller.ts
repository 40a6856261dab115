import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { containsCardNumber } from '../../antom/pan-runs';
import { AuditService } from '../../audit/audit.service';
import { RoleLimitsService } from '../actions/role-limits.service';
import { AdminGuard } from '../auth/admin.guard';
import { AdminUsersService } from '../auth/admin-users.service';
import { oneTimePassword } from '../auth/passwords';
import { RecoveryCodesService } from '../auth/recovery-codes';
import { AllowRoles, isRole } from '../auth/roles';
import { SessionsService } from '../auth/sessions.service';
import { isUserName } from '../auth/user-name';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clientIp, formOf, redirect, sendPage, signedIn } from '../http/admin-http';
import { parseAmount } from '../payments/money';
import { oneTimePasswordNotice, UsersFormError, usersPage } from '../views/admin-pages.view';
import { SafeHtml } from '../views/html';
import { notice } from '../views/layout';

const DONE: Record<string, string> = {
  'role:viewer': 'now viewer',
  'role:operator': 'now operator',
  'role:admin': 'now admin',
  disable: 'disabled',
  enable: 'enabled',
  unlock: 'unlocked',
  'reset-password': 'password reset',
  'reset-2fa': 'two-factor sign-in reset',
};

/** Each form carries a fresh id; the same id twice (reload, back button) changes nothing the second time. */
function formIdOf(f: URLSearchParams): string {
  const id = f.get('formId') ?? '';
  if (!/^[0-9a-f]{32}$/.test(id)) throw new AdminRefusal(400, 'The form is damaged; reload the Users page and try again.');
  return id;
}

/** Admins only: accounts (create, role, disable, unlock, reset) and per-role limits. Every change is audited. */
@Controller('admin')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
@AllowRoles('admin')
export class UsersController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly sessions: SessionsService,
    private readonly limits: RoleLimitsService,
    private readonly audit: AuditService,
    private readonly recovery: RecoveryCodesService,
  ) {}

  /** After a change (post/redirect/get): the notice is read back from the admin's own audit entry. */
  @Get('users')
  async page(@Req() req: AdminRequest, @Query('done') done: unknown, @Query('again') again: unknown, @Res() reply: FastifyReply) {
    const entry = typeof done === 'string' && /^\d{1,18}$/.test(done) ? await this.ownEntry(req, done) : null;
    const op = entry ? String((entry.detail as Record<string, unknown> | null)?.op ?? '') : '';
    const message = !entry
      ? undefined
      : again === '1'
        ? notice(
            'warn',
            `That form was already submitted (audit entry #${entry.id}); nothing was changed again.${op === 'reset-password' || entry.action === 'CREATE_USER' ? ' A one-time password is shown only once: reset the password again if it was lost.' : ''}`,
          )
        : notice('ok', `${entry.target}: ${DONE[op] ?? op} (audit entry #${entry.id}).`);
    await this.render(req, reply, message);
  }

  @Post('users')
  async create(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const f = formOf(req);
    const formId = formIdOf(f);
    const repeated = await this.repeated(req, formId);
    if (repeated) return redirect(reply, `/admin/users?done=${repeated}&again=1`);
    const username = (f.get('username') ?? '').trim().toLowerCase();
    const role = f.get('role');
    const displayName = (f.get('displayName') ?? '').trim().slice(0, 128);
    if (!isUserName(username) || !isRole(role) || !displayName || containsCardNumber(displayName))
      // Back to the form with the error in it and what was typed kept (never a value holding a card number).
      return this.render(req, reply, undefined, {
        form: 'new-user',
        error: 'User name (a-z, 0-9, . _ -, with at least one letter), full name and role are required.',
        fields: keep(f, ['username', 'displayName', 'role']),
      });
    const created = await this.users.create(username, displayName, role);
    await this.record(req, 'CREATE_USER', username, created ? 'SUCCESS' : 'FAILURE', { role, formId, ...(created ? {} : { reason: 'name taken' }) });
    await this.render(
      req,
      reply,
      created ? oneTimePasswordNotice(username, created.password) : notice('error', `The user name ${username} is taken.`),
    );
  }

  @Post('users/:id')
  async change(@Req() req: AdminRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const user = /^[0-9a-f-]{36}$/.test(id) ? await this.users.findById(id) : null;
    if (!user) throw new AdminRefusal(404, 'No such user.');
    if (user.id === signedIn(req).user.id)
      throw new AdminRefusal(400, 'Change your own account on the My account page; another admin must change your role.');
    const op = formOf(req).get('op') ?? '';
    if (op === '') throw new AdminRefusal(400, `Choose a change for ${user.username} first.`);
    const formId = formIdOf(formOf(req));
    const repeated = await this.repeated(req, formId);
    if (repeated) return redirect(reply, `/admin/users?done=${repeated}&again=1`);
    let message: SafeHtml;
    if (op.startsWith('role:') && isRole(op.slice(5))) {
      await this.users.update(user.id, { role: op.slice(5) as never });
      message = notice('ok', `${user.username} is now ${op.slice(5)}.`);
    } else if (op === 'disable' || op === 'enable') {
      await this.users.update(user.id, { disabled: op === 'disable' });
      message = notice('ok', `${user.username} ${op}d.`);
    } else if (op === 'unlock') {
      await this.users.update(user.id, { unlock: true });
      message = notice('ok', `${user.username} unlocked.`);
    } else if (op === 'reset-2fa') {
      // A lost authenticator and lost recovery codes: the person enrols again at the next sign-in.
      await this.users.setTotpSecret(user.id, null);
      await this.recovery.removeAll(user.id);
      message = notice('ok', `${user.username}: two-factor sign-in reset.`);
    } else if (op === 'reset-password') {
      const password = oneTimePassword();
      await this.users.setPassword(user.id, password, true);
      message = oneTimePasswordNotice(user.username, password);
    } else {
      throw new AdminRefusal(400, 'Unknown change.');
    }
    if (op !== 'unlock') await this.sessions.destroyAllFor(user.id); // the person signs in again under the new terms
    const row = await this.record(req, 'CHANGE_USER', user.username, 'SUCCESS', { op, formId });
    // A one-time password is shown on this answer only (never in a URL, never stored); anything else redirects,
    // so a reload repeats nothing. Reloading the password answer re-sends the form id: refused above.
    if (op === 'reset-password') return this.render(req, reply, message);
    redirect(reply, `/admin/users?done=${row.id}`);
  }

  @Post('limits')
  async setLimit(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const f = formOf(req);
    const role = f.get('role');
    const currency = (f.get('currency') ?? '').trim().toUpperCase();
    const fields = keep(f, ['role', 'currency', 'maxAmount']);
    if ((role !== 'operator' && role !== 'admin') || !/^([A-Z]{3}|\*)$/.test(currency))
      return this.render(req, reply, undefined, {
        form: 'set-limit',
        error: 'Role (operator or admin) and a currency code or * are required.',
        fields,
      });
    if (f.get('remove') === '1') {
      await this.limits.remove(role, currency);
      await this.record(req, 'REMOVE_LIMIT', `${role}/${currency}`, 'SUCCESS', {});
      return this.render(req, reply, notice('ok', `Limit for ${role} in ${currency} removed.`));
    }
    // Typed in the currency's units (two decimals for '*'), stored exactly in minor units.
    const parsed = parseAmount(f.get('maxAmount') ?? '', currency === '*' ? 'USD' : currency);
    const max = parsed.ok ? parsed.minor : 0n;
    if (max <= 0n)
      return this.render(req, reply, undefined, {
        form: 'set-limit',
        error: `The maximum is an amount in ${currency === '*' ? 'the currency' : currency} above zero. ${parsed.ok ? '' : parsed.error}`.trim(),
        fields,
      });
    await this.limits.set(role, currency, max, signedIn(req).user.id);
    await this.record(req, 'SET_LIMIT', `${role}/${currency}`, 'SUCCESS', { maxAmount: max.toString() });
    await this.render(req, reply, notice('ok', `Limit for ${role} in ${currency} set.`));
  }

  /** The Users page; with `formError`, one of its forms sent back with the error in it (400). */
  private async render(req: AdminRequest, reply: FastifyReply, message?: SafeHtml, formError?: UsersFormError) {
    sendPage(reply, usersPage(signedIn(req), await this.users.list(), await this.limits.list(), message, formError), formError ? 400 : 200);
  }

  /** The audit entry of an earlier submission of this very form, if any. */
  private async repeated(req: AdminRequest, formId: string): Promise<string | null> {
    const rows = await this.audit.recent({ actor: `admin:${signedIn(req).user.username}`, limit: 200 });
    return rows.find((r) => (r.detail as Record<string, unknown> | null)?.formId === formId)?.id ?? null;
  }

  private async ownEntry(req: AdminRequest, id: string) {
    const rows = await this.audit.recent({ actor: `admin:${signedIn(req).user.username}`, beforeId: (BigInt(id) + 1n).toString(), limit: 1 });
    return rows[0]?.id === id && ['CHANGE_USER', 'CREATE_USER'].includes(rows[0].action) ? rows[0] : null;
  }

  private record(req: AdminRequest, action: string, target: string, outcome: 'SUCCESS' | 'FAILURE', detail: Record<string, unknown>) {
    return this.audit.append({
      actorId: signedIn(req).user.id,
      actor: `admin:${signedIn(req).user.username}`,
      action,
      target,
      ip: clientIp(req),
      outcome,
      detail,
    });
  }
}

/** What was typed into a form, to show it again beside its error: bounded, and never a value holding a card number. */
function keep(f: URLSearchParams, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, (f.get(n) ?? '').slice(0, 128)]).map(([n, v]) => [n, containsCardNumber(v) ? '' : v]));
}
