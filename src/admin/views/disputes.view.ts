import {
  DEFENSE_DOCUMENT_MAX_BYTES,
  DISPUTE_STATUSES,
  DisputeListRow,
  DisputeStatus,
  FINAL_DISPUTE_STATUSES,
} from '../../operations/disputes.service';
import { MONEY_ROLES } from '../auth/roles';
import { AdminContext } from '../http/admin-http';
import { formatMoney } from '../payments/money';
import { badge } from './badge';
import { html, SafeHtml, when } from './html';
import { csrfField, fmtShort, fmtTime, layout, notice } from './layout';

const SOON_MS = 3 * 24 * 3600_000;

export interface DisputeFilters {
  statuses: DisputeStatus[];
  merchant: string;
  errors: string[];
}

/** ?status=OPEN&status=DEFENDED&merchant=<client id>: known statuses only, a bounded client id; nothing else is read. */
export function parseDisputeFilters(query: Record<string, unknown>): DisputeFilters {
  const raw = query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status];
  const errors: string[] = [];
  const statuses = raw.filter((s): s is DisputeStatus => DISPUTE_STATUSES.includes(s as DisputeStatus));
  if (statuses.length !== raw.length) errors.push(`Status must be one of ${DISPUTE_STATUSES.join(', ')}.`);
  const merchant = typeof query.merchant === 'string' ? query.merchant.trim() : '';
  if (merchant && !/^[A-Za-z0-9_.-]{1,64}$/.test(merchant)) errors.push('Merchant must be a client id (letters, digits, _ . -).');
  return { statuses, merchant: errors.length ? '' : merchant, errors };
}

const money = (d: DisputeListRow) => (d.amount !== null && d.currency ? formatMoney(d.amount, d.currency) : '—');
const open = (d: DisputeListRow) => d.status === 'OPEN' || d.status === 'DEFENDED';
const soon = (d: DisputeListRow) => open(d) && d.defenseDueAt !== null && d.defenseDueAt.getTime() - Date.now() < SOON_MS;

/** Every dispute, the one whose defence is due first on top (none due last), filtered by status and merchant. */
export function disputesListPage(ctx: AdminContext, f: DisputeFilters, rows: DisputeListRow[]): SafeHtml {
  return layout(
    'Disputes',
    ctx,
    html`
<form method="get" action="/admin/disputes" class="card filters" id="dispute-filters">
  <fieldset class="statuses"><legend>Status (any if none ticked)</legend>${DISPUTE_STATUSES.map((s) => html`<label><input type="checkbox" name="status" value="${s}" ${f.statuses.includes(s) ? 'checked' : ''}>${s}</label>`)}</fieldset>
  <label>Merchant (client id) <input name="merchant" value="${f.merchant}" maxlength="64"></label>
  <button type="submit">Search</button>
</form>
${f.errors.map((e) => notice('error', e))}
<p class="muted">Defence deadline nearest first (highlighted when under 3 days and still open); disputes without a deadline last.</p>
<table id="disputes">
<thead><tr><th>Defence due (UTC)</th><th>Dispute</th><th>Payment</th><th>Merchant</th><th>Status</th><th class="num">Amount</th><th>Reason</th><th>Opened (UTC)</th></tr></thead>
<tbody>
${rows.map(
  (d) => html`<tr data-dispute-id="${d.disputeId}" data-status="${d.status}" class="${soon(d) ? 'soon' : ''}">
  <td class="nowrap">${fmtShort(d.defenseDueAt)}</td>
  <td class="mono">${d.disputeId}</td>
  <td><a class="mono" href="/admin/payments/${d.paymentId}#disputes">${d.paymentId}</a></td>
  <td>${d.merchantName} <span class="muted mono">${d.merchantClientId}</span></td>
  <td>${badge(d.status)}</td>
  <td class="num">${money(d)}</td>
  <td>${[d.reasonCode, d.reasonMsg].filter(Boolean).join(' · ') || '—'}</td>
  <td class="nowrap">${fmtShort(d.disputeTime ?? d.createdAt)}</td>
</tr>`,
)}
${when(rows.length === 0, () => html`<tr><td colspan="8" class="muted">No disputes match.</td></tr>`)}
</tbody></table>`,
  );
}

/** The payment page's disputes: facts, and (for money roles, while open) accept or upload a defence. */
export function paymentDisputesSection(ctx: AdminContext, rows: DisputeListRow[]): SafeHtml | undefined {
  if (rows.length === 0) return undefined;
  const canAct = MONEY_ROLES.includes(ctx.user.role);
  return html`<h2 id="disputes">Disputes</h2>
<table id="payment-disputes"><thead><tr><th>Dispute</th><th>Status</th><th class="num">Amount</th><th>Reason</th><th>Type</th><th>Defence due (UTC)</th><th>Defence</th><th>Judgement</th>${when(canAct, () => html`<th>Actions</th>`)}</tr></thead><tbody>
${rows.map(
  (d) => html`<tr data-dispute-id="${d.disputeId}">
  <td class="mono">${d.disputeId}</td><td>${badge(d.status)}</td><td class="num">${money(d)}</td>
  <td>${[d.reasonCode, d.reasonMsg].filter(Boolean).join(' · ') || '—'}</td><td>${d.disputeType ?? '—'}${d.defendable === false ? ' (not defendable)' : ''}</td>
  <td class="nowrap">${fmtTime(d.defenseDueAt)}</td>
  <td>${d.defenseSha256 ? html`${d.defenseFormat} · ${d.defenseBytes} bytes · <span class="mono" title="SHA-256">${d.defenseSha256.slice(0, 12)}…</span>` : '—'}</td>
  <td>${d.judgedResult ? `${d.judgedResult}${d.judgedAmount !== null && d.judgedCurrency ? ` · ${formatMoney(d.judgedAmount, d.judgedCurrency)}` : ''}` : '—'}</td>
  ${when(canAct, () => html`<td>${when(!FINAL_DISPUTE_STATUSES.includes(d.status) && d.status !== 'ACCEPTED', () => disputeForms(ctx, d))}</td>`)}
</tr>`,
)}
</tbody></table>`;
}

function disputeForms(ctx: AdminContext, d: DisputeListRow): SafeHtml {
  return html`<form method="post" action="/admin/disputes/${d.disputeId}/accept/confirm" class="accept-dispute">${csrfField(ctx)}<button type="submit" class="danger">Accept dispute…</button></form>
${when(
  d.defendable !== false,
  () => html`<form method="post" action="/admin/disputes/${d.disputeId}/defense" enctype="multipart/form-data" class="defense-upload">${csrfField(ctx)}
  <label>Defence (PDF or Word, at most ${Math.floor(DEFENSE_DOCUMENT_MAX_BYTES / 1000)} kB) <input type="file" name="document" accept=".pdf,.doc,.docx,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document" required></label>
  <button type="submit">Upload defence</button></form>`,
)}`;
}

/** Accepting concedes the disputed amount: confirmed like a refund, with the four-eyes note when it applies. */
export function acceptConfirmPage(ctx: AdminContext, d: DisputeListRow, amount: bigint, requestId: string, fourEyes: string | null): SafeHtml {
  return layout(
    'Confirm dispute acceptance',
    ctx,
    html`
<div class="card">
<p class="confirm">Accept dispute <span class="mono">${d.disputeId}</span> and concede <strong id="confirm-amount">${formatMoney(amount, d.paymentCurrency)}</strong> on payment <span class="mono">${d.paymentId}</span>?</p>
<p class="muted">${d.merchantName} · ${[d.reasonCode, d.reasonMsg].filter(Boolean).join(' · ')} · defence due ${fmtTime(d.defenseDueAt)}. An accepted dispute cannot be defended afterwards.</p>
${when(fourEyes, () => notice('warn', `${fourEyes} It will wait for a second person to approve it.`))}
<form method="post" action="/admin/disputes/${d.disputeId}/accept" id="confirm-form">
  ${csrfField(ctx)}
  <input type="hidden" name="requestId" value="${requestId}">
  <input type="hidden" name="amountMinor" value="${amount.toString()}">
  <button type="submit" class="danger">Yes, accept and concede ${formatMoney(amount, d.paymentCurrency)}</button>
  <a href="/admin/payments/${d.paymentId}#disputes">No, go back</a>
</form>
</div>`,
  );
}
