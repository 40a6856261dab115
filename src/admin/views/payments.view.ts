import { shownBin } from '../../antom/card-mask';
import { AuditRow } from '../../audit/audit.service';
import type { DisputeListRow } from '../../operations/disputes.service';
import { ApprovalRequest } from '../actions/approvals.service';
import { MONEY_ROLES } from '../auth/roles';
import { AdminContext } from '../http/admin-http';
import { AdminPayment, ListTotals, Operation, Pager, TimelineEvent } from '../payments/admin-payments.service';
import { AVS_CODES, CVV_CODES, describeCheckCode } from '../payments/card-check-codes';
import { DisputeStanding, disputeStanding, refundWarning } from '../payments/dispute-standing';
import { formatMinor, formatMoney, inMajorUnits } from '../payments/money';
import { NotificationView } from '../payments/notifications.service';
import { BRANDS, PaymentFilters, SORTS, STATUSES } from '../payments/payment-filters';
import { badge } from './badge';
import { paymentDisputesSection } from './disputes.view';
import { html, SafeHtml, when } from './html';
import { csrfField, fmtShort, fmtTime, layout, notice } from './layout';
import { Actors, actorsFrom, describeDetail, timelineTable } from './timeline.view';

export function maskedCard(p: { cardBin: string | null; cardLast4: string | null; cardBrand: string | null }): string {
  if (!p.cardBin && !p.cardLast4) return '—';
  return `${p.cardBrand ?? ''} ${p.cardBin ? shownBin(p.cardBin) : '??????'} •••• ${p.cardLast4 ?? '????'}`.trim();
}

/** Brand above the masked number, so the number never breaks in a narrow column. */
function cardLines(p: AdminPayment): SafeHtml | string {
  if (!p.cardBin && !p.cardLast4) return '—';
  return html`<span class="muted">${p.cardBrand ?? ''}</span><span class="clip">${p.cardBin ? shownBin(p.cardBin) : '??????'} •••• ${p.cardLast4 ?? '????'}</span>`;
}

export { badge } from './badge';

const SOON_MS = 24 * 3600_000;

export function paymentsListPage(ctx: AdminContext, f: PaymentFilters, rows: AdminPayment[], pager: Pager, totals: ListTotals | null): SafeHtml {
  const canCapture = MONEY_ROLES.includes(ctx.user.role);
  const v = (k: string) => f.raw[k] ?? '';
  const query = () => {
    const q = new URLSearchParams(f.raw);
    q.delete('after');
    q.delete('before');
    for (const s of f.statuses) q.append('status', s);
    return q;
  };
  /** A page link: the filter, and the keyset cursor of where that page starts (none: the first page). */
  const qs = (cursor?: { after: string } | { before: string }) => {
    const q = query();
    for (const [k, c] of Object.entries(cursor ?? {})) q.set(k, c);
    const s = q.toString();
    return s ? '?' + s : '';
  };
  return layout(
    'Payments',
    ctx,
    html`
<form method="get" action="/admin/payments" class="card filters" id="filters">
  <label>Payment / request id <input name="id" value="${v('id')}" maxlength="64"></label>
  <fieldset class="statuses"><legend>Status (any if none ticked)</legend>${STATUSES.map((s) => html`<label><input type="checkbox" name="status" value="${s}" ${f.statuses.includes(s) ? 'checked' : ''}>${s}</label>`)}</fieldset>
  <label>Merchant (client id or name) <input name="merchant" value="${v('merchant')}" maxlength="128"></label>
  <label>From <input type="date" name="from" value="${v('from')}"></label>
  <label>To <input type="date" name="to" value="${v('to')}"></label>
  <label>Currency <input name="currency" value="${v('currency')}" maxlength="3" placeholder="EUR"></label>
  <label>Amount min <input name="amountMin" value="${v('amountMin')}" inputmode="decimal" placeholder="10.00" maxlength="32"></label>
  <label>Amount max <input name="amountMax" value="${v('amountMax')}" inputmode="decimal" maxlength="32"></label>
  <label>Reference order id <input name="referenceOrderId" value="${v('referenceOrderId')}" maxlength="64"></label>
  <label>Card: BIN and/or last 4 <input name="card" id="card-filter" value="${v('card')}" placeholder="411111, 1111 or 411111******1111" autocomplete="off" maxlength="32" aria-describedby="card-filter-error"></label>
  <label>Brand <select name="brand"><option value="">any</option>${BRANDS.map((b) => html`<option ${b === f.brand ? 'selected' : ''}>${b}</option>`)}</select></label>
  <label>Sort <select name="sort">${Object.entries(SORTS).map(([k, label]) => html`<option value="${k}" ${k === f.sort ? 'selected' : ''}>${label}</option>`)}</select></label>
  <button type="submit">Search</button>
  ${when(totals, () => html`<a href="/admin/payments/export.csv?${query().toString()}" id="export-csv" download>Export CSV</a>`)}
  <p class="notice error" id="card-filter-error" role="alert" hidden></p>
</form>
${f.errors.map((e) => notice('error', e))}
${when(totals, (t) => totalsLine(t))}
${when(f.sort === 'expiry', () => html`<p class="muted">Authorizations nearest their expiry come first (highlighted when under 24 hours), then the newest payments.</p>`)}
<form method="post" action="/admin/payments/bulk-capture/confirm" id="bulk">
${csrfField(ctx)}
<table id="payments" class="fit">
<colgroup>${when(canCapture, () => html`<col class="c-check">`)}<col class="c-payment"><col class="c-merchant"><col class="c-status"><col class="c-amount"><col class="c-card"><col class="c-order"><col class="c-expires"></colgroup>
<thead><tr>${when(canCapture, () => html`<th><input type="checkbox" id="select-all" aria-label="select all"></th>`)}<th>Payment · created (UTC)</th><th>Merchant</th><th>Status</th><th class="num">Amount<br>capturable</th><th>Card</th><th>Order</th><th>Auth expires (UTC)</th></tr></thead>
<tbody>
${rows.map(
  (
    p,
  ) => html`<tr class="${p.capturable > 0n && p.authExpiryTime && p.authExpiryTime.getTime() - Date.now() < SOON_MS ? 'soon' : ''}" data-payment-id="${p.paymentId}">
  ${when(canCapture, () => html`<td>${when(p.capturable > 0n, () => html`<input type="checkbox" name="paymentId" value="${p.paymentId}" aria-label="select ${p.paymentId}">`)}</td>`)}
  <td><a href="/admin/payments/${p.paymentId}" class="mono clip" title="${p.paymentId}">${p.paymentId}</a><span class="muted">${fmtShort(p.createdAt)}</span></td>
  <td><span class="clip" title="${p.merchantName}">${p.merchantName}</span><span class="muted mono clip" title="${p.merchantClientId}">${p.merchantClientId}</span></td>
  <td>${badge(p.status)}${when(p.dispute, (st) => html` ${listDisputeBadge(p.paymentId, st)}`)}</td>
  <td class="num">${formatMoney(p.amount, p.currency)}<br><span class="muted">${p.capturable > 0n ? formatMoney(p.capturable, p.currency) : '—'}</span></td>
  <td class="mono">${cardLines(p)}</td>
  <td>${p.referenceOrderId ? html`<span class="mono clip" title="${p.referenceOrderId}">${p.referenceOrderId}</span>` : '—'}</td>
  <td class="nowrap">${p.capturable > 0n ? fmtShort(p.authExpiryTime) : '—'}</td>
</tr>`,
)}
${when(rows.length === 0, () => html`<tr><td colspan="${canCapture ? 8 : 7}" class="muted">No payments match.</td></tr>`)}
</tbody>
</table>
${when(canCapture && rows.some((p) => p.capturable > 0n), () => html`<p><button type="submit">Capture selected in full…</button> <span class="muted">You will see the amounts and confirm.</span></p>`)}
</form>
<div class="pager">
${when(pager.prev, (c) => html`<a href="/admin/payments${qs({ before: c })}" id="page-prev" rel="prev">← Previous</a>`)}
${when(f.after || f.before, () => html`<a href="/admin/payments${qs()}" id="page-first">First page</a>`)}
${when(pager.next, (c) => html`<a href="/admin/payments${qs({ after: c })}" id="page-next" rel="next">Next →</a>`)}
</div>`,
  );
}

/**
 * The filter's count and per-currency totals. Past COUNT_CAP the count stops ("10,000+", and the unfiltered
 * list adds PostgreSQL's estimate of all payments): counting or summing a million rows would cost seconds on
 * every page, so the page says it stopped and how to get exact totals.
 */
function totalsLine(t: ListTotals): SafeHtml {
  if (t.capped)
    return html`<p id="list-totals"><strong>${t.count.toLocaleString('en-US')}+</strong> payments match${t.estimate ? html` (about ${t.estimate.toLocaleString('en-US')} payments in all, PostgreSQL's estimate)` : ''}. <span class="muted" id="totals-capped">Counted up to ${t.count.toLocaleString('en-US')}: totals per currency are shown when at most ${t.count.toLocaleString('en-US')} payments match — narrow the dates, merchant or status.</span></p>`;
  return html`<p id="list-totals"><strong>${t.count}</strong> payment${t.count === 1 ? '' : 's'} match${t.count === 1 ? 'es' : ''}${t.byCurrency.length ? ': ' : '.'}${t.byCurrency.map((c, i) => html`${i ? ' · ' : ''}<span class="total" data-currency="${c.currency}">${c.count} in ${c.currency}, ${formatMoney(c.amount, c.currency)} ordered, ${formatMoney(c.captured, c.currency)} captured, ${formatMoney(c.refunded, c.currency)} refunded</span>`)}</p>`;
}

export interface DetailData {
  p: AdminPayment;
  operations: { captures: Operation[]; refunds: Operation[] };
  timeline: TimelineEvent[];
  notifications: NotificationView[];
  approvals: ApprovalRequest[];
  audit: AuditRow[];
  disputes: DisputeListRow[];
  /** A capture or refund form sent back with its error: shown at the field, with what was typed kept. */
  form?: FormError;
}

export interface FormError {
  action: 'capture' | 'refund';
  error: string;
  fields: Record<string, string>;
}

export function paymentDetailPage(ctx: AdminContext, d: DetailData): SafeHtml {
  const { p } = d;
  const info = p.paymentResultInfo ?? {};
  const actors = actorsFrom(d.audit);
  const standing = disputeStanding(d.disputes);
  return layout(
    `Payment ${p.paymentId}`,
    ctx,
    html`
<div class="grid2">
<section class="card" id="summary"><h2>Summary</h2><dl class="kv">
  <dt>Status</dt><dd>${badge(p.status)}${when(standing, (st) => html` ${disputeBadge(st)}`)} <span class="muted">${p.resultStatus ?? ''} ${p.resultCode ?? ''}</span></dd>
  <dt>Merchant</dt><dd>${p.merchantName} <span class="mono muted">${p.merchantClientId}</span></dd>
  <dt>Payment request id</dt><dd class="mono">${p.paymentRequestId}</dd>
  <dt>Antom payment id</dt><dd class="mono" id="upstream-payment-id">${p.upstreamPaymentId ?? '—'}</dd>
  <dt>Network transaction id</dt><dd class="mono" id="network-transaction-id">${str(info.networkTransactionId)}</dd>
  <dt>Reference order id</dt><dd>${p.referenceOrderId ?? '—'}</dd>
  <dt>Order description</dt><dd id="order-description">${p.orderDescription ?? '—'}</dd>
  <dt>Buyer (your id)</dt><dd class="mono" id="buyer-id">${p.referenceBuyerId ?? '—'}</dd>
  <dt>Client IP</dt><dd class="mono" id="client-ip">${p.clientIp ?? '—'}</dd>
  <dt>Capture mode</dt><dd>${p.captureMode}</dd>
  <dt>Card</dt><dd class="mono">${maskedCard(p)}</dd>
  <dt>Created</dt><dd>${fmtTime(p.createdAt)}</dd>
  <dt>Authorized at</dt><dd>${fmtTime(p.paymentTime)}</dd>
  <dt>Authorization expires</dt><dd>${fmtTime(p.authExpiryTime)}</dd>
  <dt>Result message</dt><dd>${p.resultMessage ?? '—'}</dd>
  <dt>Notify URL</dt><dd class="mono" id="notify-url">${p.notifyUrl ?? '—'}</dd>
</dl></section>
<section class="card" id="amounts"><h2>Amounts (${p.currency})</h2><dl class="kv">
  <dt>Order amount</dt><dd class="num">${formatMinor(p.amount, p.currency)}</dd>
  <dt>Authorized</dt><dd class="num">${formatMinor(p.authorizedAmount, p.currency)}</dd>
  <dt>Captured</dt><dd class="num" id="captured">${formatMinor(p.capturedAmount, p.currency)}</dd>
  <dt>Refunded</dt><dd class="num">${formatMinor(p.refundedAmount, p.currency)}</dd>
  <dt>Capturable</dt><dd class="num" id="capturable">${formatMinor(p.capturable, p.currency)}${when(p.pendingCapture > 0n, () => html` <span class="muted">(${formatMoney(p.pendingCapture, p.currency)} more waits for approval)</span>`)}</dd>
  <dt>Refundable</dt><dd class="num" id="refundable">${formatMinor(p.refundable, p.currency)}${when(p.pendingRefund > 0n, () => html` <span class="muted">(${formatMoney(p.pendingRefund, p.currency)} more waits for approval)</span>`)}</dd>
</dl></section>
<section class="card" id="checks"><h2>Card checks</h2><dl class="kv">
  <dt>AVS result</dt><dd id="avs-result">${describeCheckCode(AVS_CODES, info.avsResultRaw)}</dd>
  <dt>CVV result</dt><dd id="cvv-result">${describeCheckCode(CVV_CODES, info.cvvResultRaw)}</dd>
  <dt>3-D Secure</dt><dd>${threeDs(info.threeDSResult)}</dd>
  <dt>Authorization code</dt><dd>${str(info.authorizationCode)}</dd>
  <dt>Retrieval reference (RRN)</dt><dd class="mono" id="rrn">${str(info.rrn)}</dd>
  <dt>Funding / issuing country</dt><dd>${str(info.funding)} / ${str(info.issuingCountry)}</dd>
</dl></section>
</div>
${when(MONEY_ROLES.includes(ctx.user.role), () => actionForms(ctx, p, standing, d.form))}
${approvalsSection(d.approvals)}
${operationsSection(p, d.operations, actors)}
${paymentDisputesSection(ctx, d.disputes)}
<h2>Timeline</h2>
${timelineTable(p, d.timeline, actors)}
${notificationsSection(ctx, p, d.notifications)}
<h2>Audit entries for this payment</h2>
${auditTable(d.audit)}`,
  );
}

/** Statuses in which the console offers a cancel (void); with nothing authorized yet it says so, never "EUR 0.00". */
const CANCELLABLE = ['AUTHORIZED', 'UNKNOWN', 'PENDING_ACTION', 'RECEIVED'];

function operationsSection(p: AdminPayment, ops: { captures: Operation[]; refunds: Operation[] }, actors: Actors): SafeHtml | undefined {
  if (ops.captures.length === 0 && ops.refunds.length === 0) return undefined;
  const by = (o: Operation) => {
    const person = actors.byRequestId.get(o.requestId);
    return person ? `${person.by}${person.approvedBy ? `, approved by ${person.approvedBy}` : ''}` : o.automatic ? 'automatic' : 'merchant (API)';
  };
  const table = (id: string, title: string, list: Operation[], refunds: boolean) =>
    when(
      list.length,
      () => html`<h2>${title}</h2>
<table id="${id}"><thead><tr><th>Requested (UTC)</th><th>By</th><th class="num">Amount</th><th>Status</th><th>Acquirer id</th><th>${refunds ? 'Reason' : 'Last capture'}</th><th>Result</th></tr></thead><tbody>
${list.map(
  (
    o,
  ) => html`<tr><td class="nowrap">${fmtTime(o.createdAt)}</td><td>${by(o)}</td><td class="num">${formatMoney(o.amount, p.currency)}</td><td>${badge(o.status)}</td><td class="mono">${o.upstreamId ?? '—'}</td>
<td>${refunds ? (o.reason ?? '—') : o.isLast ? 'yes' : ''}</td><td>${[o.resultCode, o.resultMessage ? inMajorUnits(o.resultMessage) : null].filter(Boolean).join(': ')}</td></tr>`,
)}
</tbody></table>`,
    );
  return html`${table('captures', 'Captures', ops.captures, false)}${table('refunds', 'Refunds', ops.refunds, true)}`;
}

/** In a list row: the same badge, linked to the payment's disputes section. */
function listDisputeBadge(paymentId: string, s: NonNullable<DisputeStanding>): SafeHtml {
  return html`<a href="/admin/payments/${paymentId}#disputes" class="badge DISPUTED" title="dispute ${s.disputeId}: ${s.status}">${s.kind === 'charged-back' ? 'CHARGED BACK' : 'DISPUTED'}</a>`;
}

/** The dispute beside the status: CHARGED BACK (lost or accepted) or DISPUTED (open or defended), linked to the disputes section. */
export function disputeBadge(s: NonNullable<DisputeStanding>): SafeHtml {
  return html`<a href="#disputes" class="badge DISPUTED" id="dispute-badge" title="dispute ${s.disputeId}: ${s.status}">${s.kind === 'charged-back' ? 'CHARGED BACK' : 'DISPUTED'}</a>`;
}

/** A form's error at its field: the input marked invalid and described by the message. */
function fieldError(form: FormError | undefined, action: FormError['action']): SafeHtml | undefined {
  return when(
    form?.action === action ? form : undefined,
    (f) => html`<p class="notice error field-error" id="${action}-amount-error" role="alert">${f.error}</p>`,
  );
}

function actionForms(ctx: AdminContext, p: AdminPayment, standing: DisputeStanding, form?: FormError): SafeHtml {
  const amount = (v: bigint) => formatMinor(v, p.currency).replace(/,/g, '');
  // What the person typed comes back with the error; otherwise the form offers the most that can be moved, except a
  // refund on a disputed payment, which must be typed deliberately.
  const typed = (action: FormError['action'], name: string, fallback: string) => (form?.action === action ? (form.fields[name] ?? '') : fallback);
  const invalid = (action: FormError['action']) =>
    form?.action === action ? html`aria-invalid="true" aria-describedby="${action}-amount-error"` : '';
  const cancellable = CANCELLABLE.includes(p.status);
  const open = p.authorizedAmount - p.capturedAmount;
  return html`<h2>Actions</h2><div class="actions">
${when(
  p.capturable > 0n,
  () => html`<form method="post" action="/admin/payments/${p.paymentId}/capture/confirm" id="capture-form">${csrfField(ctx)}
  <label>Capture amount (${p.currency}) <input name="amount" value="${typed('capture', 'amount', amount(p.capturable))}" inputmode="decimal" required ${invalid('capture')}></label>
  ${fieldError(form, 'capture')}
  <label><input type="checkbox" name="isLastCapture" value="true" ${typed('capture', 'isLastCapture', '') === 'true' ? 'checked' : ''}> Last capture (release the rest)</label>
  <button type="submit">Capture…</button></form>`,
)}
${when(
  cancellable,
  () => html`<form method="post" action="/admin/payments/${p.paymentId}/cancel/confirm" id="cancel-form">${csrfField(ctx)}
  <p>${open > 0n ? `Void the authorization of ${formatMoney(open, p.currency)}.` : `Cancel the payment: nothing is authorized yet (status ${p.status}${p.status === 'PENDING_ACTION' ? ', the buyer has not finished 3-D Secure' : ''}).`}</p>
  <button type="submit" class="danger">Cancel payment…</button></form>`,
)}
${when(
  p.refundable > 0n,
  () => html`<form method="post" action="/admin/payments/${p.paymentId}/refund/confirm" id="refund-form">${csrfField(ctx)}
  ${when(standing, (st) => notice('warn', html`<span id="refund-dispute-warning">${refundWarning(st)}</span>`))}
  <label>Refund amount (${p.currency}) <input name="amount" value="${typed('refund', 'amount', standing ? '' : amount(p.refundable))}" inputmode="decimal" required ${standing ? html`placeholder="at most ${amount(p.refundable)}"` : ''} ${invalid('refund')}></label>
  ${fieldError(form, 'refund')}
  <label>Reason <input name="refundReason" maxlength="256" value="${typed('refund', 'refundReason', '')}"></label>
  ${when(standing, () => html`<label><input type="checkbox" name="disputeAck" value="yes" id="refund-dispute-ack" required> I know this payment is disputed and a refund may pay the buyer twice</label>`)}
  <button type="submit">Refund…</button></form>`,
)}
${when(p.capturable === 0n && p.refundable === 0n && !cancellable, () => html`<p class="muted" id="no-actions">No money actions are possible in status ${p.status}${p.pendingCapture + p.pendingRefund > 0n ? ' while requests wait for approval' : ''}.</p>`)}
</div>`;
}

function approvalsSection(list: ApprovalRequest[]): SafeHtml | undefined {
  if (list.length === 0) return undefined;
  return html`<h2>Four-eyes requests</h2>${approvalsTable(list)}`;
}

export function approvalsTable(list: ApprovalRequest[], actions?: (a: ApprovalRequest) => SafeHtml | undefined): SafeHtml {
  return html`<table class="approvals"><thead><tr><th>Requested</th><th>Action</th><th>Payment</th><th class="num">Amount</th><th>By</th><th>Status</th><th>Decided by</th><th>Result</th>${when(actions, () => html`<th></th>`)}</tr></thead><tbody>
${list.map(
  (
    a,
  ) => html`<tr data-approval-id="${a.id}"><td>${fmtTime(a.requestedAt)}</td><td>${a.action}</td><td><a class="mono" href="/admin/payments/${a.paymentId}">${a.paymentId}</a></td>
<td class="num">${formatMoney(a.amount, a.currency)}</td><td>${a.requestedByName}</td><td>${badge(a.expired ? 'EXPIRED' : a.status)}</td><td>${a.decidedByName ?? '—'}</td>
<td>${a.result ? describeDetail({ result: a.result.result ?? a.result }, a.currency) : ''}${when(a.params && typeof a.params.refundReason === 'string' && a.params.refundReason, () => html`<div class="muted">reason: ${String(a.params.refundReason)}</div>`)}</td>${when(actions, (act) => html`<td>${act(a)}</td>`)}</tr>`,
)}
${when(list.length === 0, () => html`<tr><td colspan="9" class="muted">None.</td></tr>`)}
</tbody></table>`;
}

function notificationsSection(ctx: AdminContext, p: AdminPayment, list: NotificationView[]): SafeHtml {
  const canRetry = MONEY_ROLES.includes(ctx.user.role);
  return html`<h2>Merchant notifications</h2>
<table id="notifications"><thead><tr><th>Type</th><th>Status</th><th>Attempts</th><th>Next attempt</th><th>Last error</th><th>Attempt log</th>${when(canRetry, () => html`<th></th>`)}</tr></thead><tbody>
${list.map(
  (
    n,
  ) => html`<tr><td>${n.notifyType}</td><td>${badge(n.held ? 'HELD' : n.status)}</td><td>${n.attempts}</td><td>${fmtTime(n.nextAttemptAt)}</td><td>${n.lastError ?? ''}</td>
<td>${n.log.map((a) => html`<div>#${a.attempt} ${fmtTime(a.at)} ${badge(a.outcome)} ${a.httpStatus ?? ''} ${a.durationMs} ms</div>`)}</td>
${when(canRetry, () => html`<td>${when(n.status !== 'DELIVERED' && !n.held, () => html`<a href="/admin/notifications/${n.id}/retry" class="retry">Retry now…</a>`)}</td>`)}</tr>`,
)}
${when(list.length === 0, () => html`<tr><td colspan="7" class="muted">No merchant notifications for this payment.</td></tr>`)}
</tbody></table>`;
}

export function auditTable(rows: AuditRow[]): SafeHtml {
  return html`<table class="audit"><thead><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Target</th><th>From</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-audit-id="${r.id}"><td>${r.id}</td><td>${fmtTime(r.occurredAt)}</td><td>${r.actor}</td><td>${r.action}</td><td class="mono">${r.target ?? ''}</td><td class="mono">${r.ip ?? ''}</td><td>${badge(r.outcome)}</td><td>${r.detail ? describeDetail(r.detail, typeof r.detail.currency === 'string' ? r.detail.currency : null) : ''}</td></tr>`)}
${when(rows.length === 0, () => html`<tr><td colspan="8" class="muted">No entries.</td></tr>`)}
</tbody></table>`;
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '—';
}

function threeDs(v: unknown): SafeHtml | string {
  if (!v || typeof v !== 'object') return '—';
  return html`${Object.entries(v as Record<string, unknown>).map(([k, x]) => html`<div><span class="muted">${k}</span> ${typeof x === 'object' ? JSON.stringify(x) : String(x)}</div>`)}`;
}
