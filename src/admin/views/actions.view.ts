import { ActionOutcome } from '../actions/payment-actions.service';
import { AdminContext } from '../http/admin-http';
import { AdminPayment } from '../payments/admin-payments.service';
import { formatMoney, inMajorUnits } from '../payments/money';
import { html, SafeHtml, when } from './html';
import { csrfField, layout, notice } from './layout';
import { maskedCard } from './payments.view';

export interface ConfirmSpec {
  verb: 'Capture' | 'Refund' | 'Cancel';
  p: AdminPayment;
  amount: bigint;
  requestId?: string;
  extra?: Record<string, string>;
  /** Why it will wait for a second person's approval; false or null when it runs at once. */
  fourEyes: string | false | null;
  /** A refund on a disputed or charged-back payment: said again on the confirmation. */
  warning?: string;
}

/** The confirmation step: amount and currency in large type; the hidden request id makes a double submit harmless. */
export function confirmPage(ctx: AdminContext, c: ConfirmSpec): SafeHtml {
  const path = `/admin/payments/${c.p.paymentId}/${c.verb.toLowerCase()}`;
  return layout(
    `Confirm ${c.verb.toLowerCase()}`,
    ctx,
    html`
<div class="card">
${
  c.verb === 'Cancel' && c.amount === 0n
    ? html`<p class="confirm">Cancel payment <span class="mono">${c.p.paymentId}</span>? <span id="confirm-amount">Nothing is authorized yet</span>; the buyer can no longer complete it.</p>`
    : html`<p class="confirm">${c.verb} <strong id="confirm-amount">${formatMoney(c.amount, c.p.currency)}</strong> on payment <span class="mono">${c.p.paymentId}</span>?</p>`
}
<p class="muted">${c.p.merchantName} · ${maskedCard(c.p)} · order ${c.p.referenceOrderId ?? '—'}</p>
${when(c.warning, (w) => notice('warn', html`<strong id="confirm-dispute-warning">${w}</strong>`))}
${when(c.fourEyes, () => notice('warn', `${c.fourEyes} It will wait for a second person to approve it.`))}
<form method="post" action="${path}" id="confirm-form">
  ${csrfField(ctx)}
  <input type="hidden" name="amountMinor" value="${c.amount.toString()}">
  <input type="hidden" name="currency" value="${c.p.currency}">
  ${when(c.requestId, (id) => html`<input type="hidden" name="requestId" value="${id}">`)}
  ${Object.entries(c.extra ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
  <button type="submit" class="${c.verb === 'Cancel' ? 'danger' : ''}">Yes, ${c.verb.toLowerCase()}${c.verb === 'Cancel' && c.amount === 0n ? ' the payment' : ` ${formatMoney(c.amount, c.p.currency)}`}</button>
  <a href="/admin/payments/${c.p.paymentId}">No, go back</a>
</form>
</div>`,
  );
}

export function outcomePage(ctx: AdminContext, verb: string, p: AdminPayment, amount: bigint | null, o: ActionOutcome): SafeHtml {
  return layout(
    `${verb} result`,
    ctx,
    html`${outcomeNotice(verb, p, amount, o)}<p><a href="/admin/payments/${p.paymentId}" id="back-to-payment">Back to payment ${p.paymentId}</a></p>`,
  );
}

export function outcomeNotice(verb: string, p: AdminPayment, amount: bigint | null, o: ActionOutcome): SafeHtml {
  const what = amount === null ? verb : `${verb} of ${formatMoney(amount, p.currency)}`;
  if (o.kind === 'refused') return notice('error', `${what} refused: ${inMajorUnits(o.reason)}`);
  if (o.kind === 'needs-approval')
    return notice(
      'warn',
      html`${what} needs a second operator's approval. The request is waiting on the <a href="/admin/approvals">Approvals</a> page; no money has moved.`,
    );
  const r = (o.response.result ?? {}) as { resultCode?: string; resultMessage?: string };
  if (o.status === 'S') return notice('ok', `${what} succeeded (${r.resultCode ?? 'SUCCESS'}).`);
  if (o.status === 'F') return notice('error', `${what} failed: ${r.resultCode ?? ''} ${inMajorUnits(r.resultMessage ?? '')}`);
  return notice('warn', `${what} is being processed (${r.resultCode ?? 'UNKNOWN'}); the payment page will show the final result.`);
}

export function bulkConfirmPage(ctx: AdminContext, items: { p: AdminPayment; requestId: string; fourEyes: boolean }[]): SafeHtml {
  const totals = new Map<string, bigint>();
  for (const i of items) totals.set(i.p.currency, (totals.get(i.p.currency) ?? 0n) + i.p.capturable);
  return layout(
    'Confirm bulk capture',
    ctx,
    html`
<div class="card">
<p class="confirm">Capture <strong>${items.length}</strong> payment(s) in full: <strong id="confirm-amount">${[...totals].map(([c, v]) => formatMoney(v, c)).join(' + ')}</strong>?</p>
<form method="post" action="/admin/payments/bulk-capture" id="confirm-form">
${csrfField(ctx)}
<table><thead><tr><th>Payment</th><th>Merchant</th><th>Card</th><th class="num">Capture</th><th></th></tr></thead><tbody>
${items.map((i) => html`<tr><td class="mono">${i.p.paymentId}<input type="hidden" name="item" value="${i.p.paymentId}|${i.p.capturable.toString()}|${i.requestId}"></td><td>${i.p.merchantName}</td><td class="mono">${maskedCard(i.p)}</td><td class="num">${formatMoney(i.p.capturable, i.p.currency)}</td><td>${i.fourEyes ? 'needs approval' : ''}</td></tr>`)}
</tbody></table>
<p><button type="submit">Yes, capture ${items.length} payment(s)</button> <a href="/admin/payments">No, go back</a></p>
</form></div>`,
  );
}

export function bulkResultPage(ctx: AdminContext, results: { p: AdminPayment; amount: bigint; outcome: ActionOutcome }[]): SafeHtml {
  return layout(
    'Bulk capture result',
    ctx,
    html`${results.map((r) => html`<div>${outcomeNotice(`Capture on ${r.p.paymentId}`, r.p, r.amount, r.outcome)}</div>`)}
<p><a href="/admin/payments">Back to payments</a></p>`,
  );
}
