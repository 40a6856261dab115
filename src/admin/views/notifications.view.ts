import { MONEY_ROLES } from '../auth/roles';
import { AdminContext } from '../http/admin-http';
import { FailingNotification, RetryOutcome } from '../payments/failing-notifications.service';
import { badge } from './badge';
import { html, SafeHtml, when } from './html';
import { csrfField, fmtTime, layout, notice } from './layout';

/** Console-wide: merchant notifications that gave up or failed and wait to try again, newest first. */
export function failingNotificationsPage(ctx: AdminContext, rows: FailingNotification[], next: string | null, first: boolean): SafeHtml {
  const canRetry = MONEY_ROLES.includes(ctx.user.role);
  return layout(
    'Failing merchant notifications',
    ctx,
    html`<p class="muted">Notifications the gateway could not deliver to a merchant: FAILED ones gave up after their last attempt; PENDING ones failed and wait for their next try. Newest first.</p>
<table id="failing-notifications"><thead><tr><th>Created (UTC)</th><th>Merchant</th><th>Payment</th><th>Type</th><th>Status</th><th class="num">Attempts</th><th>Last error</th><th>Last try</th><th>Next try</th>${when(canRetry, () => html`<th></th>`)}</tr></thead><tbody>
${rows.map(
  (
    n,
  ) => html`<tr data-notification-id="${n.id}"><td class="nowrap">${fmtTime(n.createdAt)}</td><td>${n.merchantName} <span class="muted mono">${n.merchantClientId}</span></td>
<td><a class="mono" href="/admin/payments/${n.paymentId}">${n.paymentId}</a></td><td>${n.notifyType}</td><td>${badge(n.status)}</td><td class="num">${n.attempts}</td>
<td>${n.lastError ?? '—'}</td><td class="nowrap">${fmtTime(n.lastAttemptAt)}</td><td class="nowrap">${n.status === 'FAILED' ? 'none (gave up)' : fmtTime(n.nextAttemptAt)}</td>
${when(canRetry, () => html`<td><a href="/admin/notifications/${n.id}/retry" class="retry">Retry now…</a></td>`)}</tr>`,
)}
${when(rows.length === 0, () => html`<tr><td colspan="10" class="muted">No failing merchant notifications${first ? '' : ' on this page'}.</td></tr>`)}
</tbody></table>
<div class="pager">${when(!first, () => html`<a href="/admin/notifications">← Newest</a>`)} ${when(next, (c) => html`<a href="/admin/notifications?before=${c}" id="next-page">Older →</a>`)}</div>`,
  );
}

/** The confirmation before a retry: what will be sent again, to whom. */
export function retryConfirmPage(ctx: AdminContext, n: FailingNotification): SafeHtml {
  return layout(
    'Retry a merchant notification',
    ctx,
    html`<div class="card">
<p class="confirm">Send the ${n.notifyType} notification of payment <span class="mono">${n.paymentId}</span> to ${n.merchantName} again now?</p>
<p class="muted">Status ${n.status}, ${n.attempts} attempt(s) so far${n.lastError ? `, last error: ${n.lastError}` : ''}. The same signed body is sent; the merchant must treat it as a repeat.</p>
<form method="post" action="/admin/notifications/${n.id}/retry" id="confirm-form">${csrfField(ctx)}
  <button type="submit">Yes, retry now</button> <a href="/admin/notifications">No, go back</a>
</form></div>`,
  );
}

/** After the retry (post/redirect/get): what happened, read again from the notice and its audit entry. */
export function retryResultPage(ctx: AdminContext, n: FailingNotification, outcome: RetryOutcome): SafeHtml {
  const said =
    outcome === 'delivered'
      ? notice(
          'ok',
          `Delivered: the merchant acknowledged the ${n.notifyType} notification of ${n.paymentId} (attempt ${n.attempts}, ${fmtTime(n.lastAttemptAt)} UTC).`,
        )
      : outcome === 'queued'
        ? notice(
            'warn',
            `Queued: the ${n.notifyType} notification of ${n.paymentId} is due now and the delivery worker sends it within seconds; it was not acknowledged yet (status ${n.status}${n.lastError ? `, last error: ${n.lastError}` : ''}). Reload this page to see the outcome.`,
          )
        : notice(
            'error',
            `Not retried: the notification is ${n.status === 'DELIVERED' ? 'already delivered' : 'held back or not due for a retry'} (status ${n.status}). Nothing was sent.`,
          );
  return layout(
    'Retry result',
    ctx,
    html`<div id="retry-result">${said}</div><p><a href="/admin/notifications" id="back-to-failing">Back to failing notifications</a> · <a href="/admin/payments/${n.paymentId}">Payment ${n.paymentId}</a></p>`,
  );
}
