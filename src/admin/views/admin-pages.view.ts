import { randomBytes } from 'node:crypto';

import { AuditRow } from '../../audit/audit.service';
import { VerifyResult } from '../../audit/audit-verifier';
import { ApprovalRequest } from '../actions/approvals.service';
import { Eligibility, INDEPENDENT_APPROVER_HINT } from '../actions/approver-eligibility.service';
import { RoleLimit } from '../actions/role-limits.service';
import { AuditFilters, OUTCOMES } from '../audit-log/audit-filters';
import { AdminUser } from '../auth/admin-users.service';
import { MONEY_ROLES, ROLES } from '../auth/roles';
import { AdminContext } from '../http/admin-http';
import { describeAnyCurrency, formatMoney } from '../payments/money';
import { html, SafeHtml, when } from './html';
import { csrfField, fmtTime, layout, notice } from './layout';
import { approvalsTable, auditTable, badge } from './payments.view';

export function approvalsPage(
  ctx: AdminContext,
  pending: ApprovalRequest[],
  recent: ApprovalRequest[],
  thresholds: Map<string, bigint>,
  eligibility: Map<string, Eligibility>,
  message?: SafeHtml,
): SafeHtml {
  const canDecide = MONEY_ROLES.includes(ctx.user.role);
  // Who could approve, by name, or how to set up the first one when nobody on this console can.
  const whoCould = (e: Eligibility | undefined) =>
    e && e.others.length
      ? html`<div class="muted who-could">Could approve: ${e.others.join(', ')}.</div>`
      : html`<div class="muted who-could">Nobody on this console can approve it yet: every account that may approve is linked to the requester. ${INDEPENDENT_APPROVER_HINT}</div>`;
  const decide = (a: ApprovalRequest) => {
    const e = eligibility.get(a.id);
    const reject = html`<form method="post" action="/admin/approvals/${a.id}/reject">${csrfField(ctx)}<button class="secondary" type="submit">${e?.mine ? 'Withdraw' : 'Reject'}</button></form>`;
    if (e?.mine) return html`<span class="muted">your request</span>${whoCould(e)}${reject}`;
    if (!e?.canApprove)
      return html`<div class="cannot-approve"><strong>You cannot approve this.</strong> ${e?.why ?? ''}</div>${whoCould(e)}${reject}`;
    return html`<form method="post" action="/admin/approvals/${a.id}/approve" class="approve">${csrfField(ctx)}<button type="submit">Approve ${a.action.toLowerCase().replace('_', ' ')} of ${formatMoney(a.amount, a.currency)}</button></form>${reject}`;
  };
  return layout(
    'Four-eyes approvals',
    ctx,
    html`${message}
<p class="muted">A capture or refund waits here for a second person when, with what the same person already moved on the payment without approval, it comes to more than ${[...thresholds].map(([c, v]) => (c === '*' ? describeAnyCurrency(v) : formatMoney(v, c))).join(', ')} (or goes past the daily threshold). Neither the requester nor an account linked to them by a password one of them set may approve, and the amount must be within the approver's own role limit. <em>Approve</em> is offered only to those who may.</p>
<h2>Waiting</h2>
${approvalsTable(pending, canDecide ? decide : undefined)}
<h2>Recent decisions</h2>
${approvalsTable(recent)}`,
  );
}

export function auditPage(
  ctx: AdminContext,
  rows: AuditRow[],
  f: AuditFilters,
  verify: VerifyResult | null,
  nextBefore: string | null,
  count: number | null,
): SafeHtml {
  const v = (k: string) => f.raw[k] ?? '';
  const kept = () => {
    const q = new URLSearchParams(f.raw);
    q.delete('before');
    return q;
  };
  return layout(
    'Audit log',
    ctx,
    html`
<form method="get" action="/admin/audit" class="card filters" id="audit-filters">
  <label>Who (e.g. alice) <input name="actor" value="${v('actor')}" maxlength="128"></label>
  <label>What (e.g. capture) <input name="action" value="${v('action')}" maxlength="128"></label>
  <label>Target (payment id, user) <input name="target" value="${v('target')}" maxlength="128"></label>
  <label>From <input type="date" name="from" value="${v('from')}"></label>
  <label>To <input type="date" name="to" value="${v('to')}"></label>
  <label>Outcome <select name="outcome"><option value="">any</option>${OUTCOMES.map((o) => html`<option ${o === f.outcome ? 'selected' : ''}>${o}</option>`)}</select></label>
  <button type="submit">Filter</button>
  ${when(count !== null, () => html`<a href="/admin/audit/export.csv?${kept().toString()}" id="export-csv" download>Export CSV</a>`)}
  <a href="/admin/audit?verify=1">Verify the hash chain</a>
</form>
<p class="muted">Who, what and target match any part, in any case (dates in UTC, both days included).</p>
${f.errors.map((e) => notice('error', e))}
${when(count !== null, () => html`<p id="audit-count"><strong>${count}</strong> entr${count === 1 ? 'y matches' : 'ies match'}.</p>`)}
${when(verify, (v) =>
  v.ok
    ? notice('ok', `Hash chain intact: ${v.checked} entries verified.`)
    : notice('error', `Hash chain BROKEN at entry ${v.broken.id}: ${v.broken.reason}`),
)}
${when(count !== null, () => auditTable(rows))}
${when(
  nextBefore,
  (before) =>
    html`<div class="pager"><a href="/admin/audit?${(() => {
      const q = kept();
      q.set('before', before);
      return q.toString();
    })()}">Older →</a></div>`,
)}`,
  );
}

const formId = () => randomBytes(16).toString('hex');

/** A form of the Users page sent back with its error: shown in the form, beside its fields, with what was typed kept. */
export interface UsersFormError {
  form: 'new-user' | 'set-limit';
  error: string;
  fields: Record<string, string>;
}

export function usersPage(ctx: AdminContext, users: AdminUser[], limits: RoleLimit[], message?: SafeHtml, formError?: UsersFormError): SafeHtml {
  const typed = (form: UsersFormError['form'], name: string) => (formError?.form === form ? (formError.fields[name] ?? '') : '');
  const errorIn = (form: UsersFormError['form']) =>
    when(
      formError?.form === form ? formError : undefined,
      (e) => html`<p class="notice error field-error" id="${form}-error" role="alert">${e.error}</p>`,
    );
  const invalid = (form: UsersFormError['form']) => (formError?.form === form ? html`aria-invalid="true" aria-describedby="${form}-error"` : '');
  // PCI DSS 8.2.2: say plainly that the generic bootstrap account is retired, or will be.
  const bootstrap = users.find((u) => u.username === 'admin');
  const named = users.some((u) => u.username !== 'admin' && u.role === 'admin' && !u.disabled && u.lastLoginAt);
  const retired =
    bootstrap && named && bootstrap.disabled
      ? notice(
          'ok',
          'The generic bootstrap account "admin" is disabled: named administrators exist (PCI DSS 8.2.2). Every action is recorded under a person\'s own account.',
        )
      : bootstrap && !bootstrap.disabled
        ? notice(
            'warn',
            'The generic bootstrap account "admin" is still enabled. Create a named admin account: it is disabled automatically when a named admin first signs in (PCI DSS 8.2.2).',
          )
        : undefined;
  return layout(
    'Users & limits',
    ctx,
    html`${message}${retired}
<table id="users"><thead><tr><th>User</th><th>Name</th><th>Role</th><th>State</th><th>Last login</th><th>Change</th></tr></thead><tbody>
${users.map(
  (u) => html`<tr><td class="mono">${u.username}</td><td>${u.displayName}</td><td>${u.role}</td>
<td>${u.disabled ? badge('DISABLED') : u.lockedUntil && u.lockedUntil > new Date() ? html`<span class="badge DENIED">LOCKED until ${fmtTime(u.lockedUntil)}</span>` : 'active'}${u.totpSecret ? ' · TOTP' : ''}${u.mustChangePassword ? ' · must change password' : ''}</td>
<td>${fmtTime(u.lastLoginAt)}</td>
<td>${when(
    u.id !== ctx.user.id,
    () => html`<form method="post" action="/admin/users/${u.id}">${csrfField(ctx)}
  <input type="hidden" name="formId" value="${formId()}">
  <select name="op" aria-label="change for ${u.username}" required><option value="" selected disabled>choose a change…</option>${ROLES.filter((r) => r !== u.role).map((r) => html`<option value="role:${r}">make ${r}</option>`)}
  <option value="${u.disabled ? 'enable' : 'disable'}">${u.disabled ? 'enable' : 'disable'}</option><option value="unlock">unlock</option><option value="reset-password">reset password</option>${when(u.totpSecret, () => html`<option value="reset-2fa">reset two-factor sign-in</option>`)}</select>
  <button type="submit" class="secondary">Apply</button></form>`,
  )}</td></tr>`,
)}
</tbody></table>
<h2>Add a user</h2>
<form method="post" action="/admin/users" class="card filters" id="new-user">${csrfField(ctx)}<input type="hidden" name="formId" value="${formId()}">
  ${errorIn('new-user')}
  <label>User name <input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{1,63}" value="${typed('new-user', 'username')}" ${invalid('new-user')}></label>
  <label>Full name <input name="displayName" required maxlength="128" value="${typed('new-user', 'displayName')}"></label>
  <label>Role <select name="role">${ROLES.map((r) => html`<option ${r === typed('new-user', 'role') ? 'selected' : ''}>${r}</option>`)}</select></label>
  <button type="submit">Create with one-time password</button>
</form>
<h2>Per-role limits</h2>
<p class="muted">The most one person of a role may capture (and, separately, refund) over any 24 hours, counting the four-eyes requests they made, in the currency's own units ("*" = any other currency, entered as for a two-decimal currency: 500.00 there allows JPY 50,000). An approver may approve a single request up to their own limit. No row: no limit. Amounts above the four-eyes thresholds also need a second person.</p>
<table id="limits"><thead><tr><th>Role</th><th>Currency</th><th class="num">Maximum</th><th>Updated</th><th></th></tr></thead><tbody>
${limits.map(
  (
    l,
  ) => html`<tr><td>${l.role}</td><td>${l.currency}</td><td class="num">${l.currency === '*' ? describeAnyCurrency(l.maxAmount) : formatMoney(l.maxAmount, l.currency)}</td><td>${fmtTime(l.updatedAt)}</td>
<td><form method="post" action="/admin/limits">${csrfField(ctx)}<input type="hidden" name="role" value="${l.role}"><input type="hidden" name="currency" value="${l.currency}"><input type="hidden" name="remove" value="1"><button class="secondary" type="submit">Remove</button></form></td></tr>`,
)}
${when(limits.length === 0, () => html`<tr><td colspan="5" class="muted">None.</td></tr>`)}
</tbody></table>
<form method="post" action="/admin/limits" class="card filters" id="set-limit">${csrfField(ctx)}
  ${errorIn('set-limit')}
  <label>Role <select name="role">${['operator', 'admin'].map((r) => html`<option ${r === typed('set-limit', 'role') ? 'selected' : ''}>${r}</option>`)}</select></label>
  <label>Currency (or *) <input name="currency" required maxlength="3" placeholder="EUR" value="${typed('set-limit', 'currency')}"></label>
  <label>Maximum (e.g. 500.00) <input name="maxAmount" required inputmode="decimal" placeholder="500.00" value="${typed('set-limit', 'maxAmount')}" ${invalid('set-limit')}></label>
  <button type="submit">Set limit</button>
</form>`,
  );
}

export interface AccountPageOptions {
  message?: SafeHtml;
  /** A secret waiting in the session for its first code. */
  totpSetup?: { secret: string; uri: string };
  /** Just made: shown on this answer only. */
  recoveryCodes?: string[];
  recoveryLeft?: number;
  mfaRequired?: boolean;
}

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => (secret.match(/.{1,4}/g) ?? []).join(' ');

export function accountPage(ctx: AdminContext, opts: AccountPageOptions): SafeHtml {
  const u = ctx.user;
  const enrolling = !!opts.mfaRequired && !u.totpSecret && !u.mustChangePassword;
  return layout(
    'My account',
    ctx,
    html`${opts.message}
${when(u.mustChangePassword, () => notice('warn', 'Choose a new password before anything else: the one you signed in with was a one-time password.'))}
${when(enrolling, () => notice('warn', 'This gateway requires two-factor sign-in (PCI DSS 8.4.2): set up an authenticator app below before anything else.'))}
${when(
  opts.recoveryCodes,
  (codes) => html`<div class="card narrow" id="recovery-codes"><h2>Recovery codes</h2>
<p><strong>Write these down or store them in your password manager now: they are shown only this once.</strong> Each signs you in once in place of an authenticator code, should you lose the device.</p>
<ol class="mono">${codes.map((c) => html`<li>${c}</li>`)}</ol></div>`,
)}
<form method="post" action="/admin/account/password" class="card narrow" id="password-form">${csrfField(ctx)}
  <h2>Change password</h2>
  <label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
  <label>New password (12+ characters) <input type="password" name="next" autocomplete="new-password" required minlength="12"></label>
  <label>New password again <input type="password" name="again" autocomplete="new-password" required minlength="12"></label>
  <button type="submit">Change password</button>
</form>
${when(
  !u.mustChangePassword,
  () => html`<div class="card narrow" id="totp"><h2>Two-factor sign-in (TOTP)</h2>
${
  u.totpSecret
    ? html`<p>Enabled. Recovery codes left: <strong id="recovery-left">${String(opts.recoveryLeft ?? 0)}</strong> of 10.</p>
<form method="post" action="/admin/account/totp/recovery-codes">${csrfField(ctx)}<label>Current code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label><button class="secondary" type="submit">Make new recovery codes</button></form>
${
  opts.mfaRequired
    ? html`<p class="muted">Required on this gateway: it cannot be turned off.</p>`
    : html`<form method="post" action="/admin/account/totp/disable">${csrfField(ctx)}<label>Current code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label><button class="secondary" type="submit">Turn off</button></form>`
}`
    : opts.totpSetup
      ? html`<p>1. Scan this code with an authenticator app (or type the key below into it).</p>
<p><img src="/admin/account/totp/qr.svg" alt="QR code of the TOTP key" width="200" height="200" id="totp-qr"></p>
<p>Key: <span class="mono" id="totp-secret">${grouped(opts.totpSetup.secret)}</span></p>
<p class="muted">Time-based, 6 digits, 30 seconds, SHA-1. The key is kept only once a code from it is accepted.</p>
<form method="post" action="/admin/account/totp/enable">${csrfField(ctx)}<label>2. Code the app shows <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required></label><button type="submit">Turn on</button></form>`
      : html`<p>Off.</p><form method="post" action="/admin/account/totp/setup">${csrfField(ctx)}<button type="submit">Set up</button></form>`
}
</div>`,
)}`,
  );
}

export function oneTimePasswordNotice(username: string, password: string): SafeHtml {
  return notice(
    'warn',
    html`One-time password for <strong>${username}</strong>: <code id="one-time-password">${password}</code> — hand it over in person; it is shown only now and must be changed at first login.`,
  );
}
