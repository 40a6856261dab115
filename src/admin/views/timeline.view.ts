import { AuditRow } from '../../audit/audit.service';
import { AdminPayment, TimelineEvent } from '../payments/admin-payments.service';
import { formatMoney, inMajorUnits } from '../payments/money';
import { html, SafeHtml } from './html';

/** What each payment_event type means, in words; an unknown type is shown as its name in sentence case. */
const WHAT: Record<string, string> = {
  RECEIVED: 'Payment received from the merchant',
  AUTHORIZATION_RESPONSE: 'Authorization answered by the acquirer',
  AUTHORIZATION_NOTIFICATION: 'Authorization result notified by the acquirer',
  AUTHORIZATION_INQUIRY: 'Authorization result found by inquiry',
  CAPTURE_REQUESTED: 'Capture requested',
  CAPTURED: 'Captured',
  CAPTURE_FAILED: 'Capture failed',
  REFUND_REQUESTED: 'Refund requested',
  REFUNDED: 'Refunded',
  REFUND_FAILED: 'Refund failed',
  CANCEL_REQUESTED: 'Cancellation requested',
  CANCELLED: 'Cancelled (authorization voided)',
  CANCEL_FAILED: 'Cancellation failed',
  REMAINDER_RELEASED: 'Rest of the authorization released',
  EXPIRED: 'Authorization expired',
  LATE_SUCCESS_AFTER_CANCEL: 'Acquirer reported success after a cancellation',
  NOTIFICATION_QUEUED: 'Merchant notification queued',
  DISPUTE_CREATED: 'Dispute opened by the cardholder (chargeback notified)',
  DISPUTE_DEFENSE_DUE_ALERT: 'Dispute: defence due within 24 hours',
  DISPUTE_DEFENSE_SUPPLIED: 'Dispute: defence received by the acquirer',
  DISPUTE_ACCEPTED: 'Dispute accepted (liability taken)',
  DISPUTE_JUDGED: 'Dispute judged',
  DISPUTE_CANCELLED: 'Dispute cancelled by the cardholder',
  DISPUTE_RDR_RESOLVED: 'Dispute resolved by RDR (rapid dispute resolution)',
  DISPUTE_ACCEPT_SENT: 'Dispute acceptance sent to the acquirer',
  DISPUTE_ACCEPT_REFUSED: 'Dispute acceptance refused by the acquirer',
  DISPUTE_ACCEPT_UNKNOWN: 'Dispute acceptance: no answer from the acquirer',
  DISPUTE_DEFENSE_SENT: 'Dispute defence document sent to the acquirer',
  DISPUTE_DEFENSE_REFUSED: 'Dispute defence refused by the acquirer',
  DISPUTE_DEFENSE_UNKNOWN: 'Dispute defence: no answer from the acquirer',
  DISPUTE_EVIDENCE_DOWNLOADED: 'Dispute evidence downloaded',
  AMOUNT_UPDATE_REQUESTED: 'Authorization increase requested (new total)',
  AMOUNT_UPDATED: 'Authorization increased (new total)',
  AMOUNT_UPDATE_FAILED: 'Authorization increase refused',
  AMOUNT_UPDATE_VOID: 'Authorization increase approved after the cancellation (void)',
};

/** Detail keys that are ids or amounts shown elsewhere in the row; everything else is shown as "key: value". */
const SHOWN_ELSEWHERE = new Set(['amount', 'source', 'captureRequestId', 'refundRequestId', 'requestId']);

export interface Actors {
  /** requestId → who asked (and who approved), from the payment's audit entries. */
  byRequestId: Map<string, { by: string; approvedBy?: string }>;
}

/** The console's own entries name the person behind each capture or refund request id. */
export function actorsFrom(audit: AuditRow[]): Actors {
  const byRequestId = new Map<string, { by: string; approvedBy?: string }>();
  for (const r of [...audit].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))) {
    const d = (r.detail ?? {}) as Record<string, unknown>;
    const id = typeof d.requestId === 'string' ? d.requestId : null;
    if (!id || r.outcome === 'DENIED') continue;
    const who = r.actor.replace(/^admin:/, '');
    if (r.action === 'CAPTURE' || r.action === 'REFUND' || r.action === 'REQUEST_CAPTURE' || r.action === 'REQUEST_REFUND')
      byRequestId.set(id, { by: who, ...byRequestId.get(id) });
    if (r.action === 'APPROVE_CAPTURE' || r.action === 'APPROVE_REFUND') byRequestId.set(id, { by: byRequestId.get(id)?.by ?? '?', approvedBy: who });
  }
  return { byRequestId };
}

function who(e: TimelineEvent, actors: Actors): string {
  const d = e.detail ?? {};
  const requestId = [d.captureRequestId, d.refundRequestId, d.updateRequestId, d.requestId].find((v): v is string => typeof v === 'string');
  if (requestId) {
    const person = actors.byRequestId.get(requestId);
    if (person) return `Console: ${person.by}${person.approvedBy ? `, approved by ${person.approvedBy}` : ''}`;
    if (d.automatic === true || requestId.startsWith('AUTO_')) return 'Gateway (automatic capture)';
    if (!requestId.startsWith('adm_')) return e.type.endsWith('REQUESTED') ? 'Merchant (API)' : 'Acquirer';
  }
  if (d.source === 'merchant-api' || d.by === 'merchant') return 'Merchant (API)';
  if (typeof d.by === 'string' && d.by.startsWith('operator:')) return `Console: ${d.by.slice(9)}`;
  if (e.type.startsWith('DISPUTE_') && !e.type.endsWith('_SENT')) return 'Acquirer';
  if (typeof d.source === 'string') return d.source === 'expiry' ? 'Gateway (expiry policy)' : `Acquirer (${d.source})`;
  if (
    e.type.startsWith('AUTHORIZATION') ||
    ['CAPTURED', 'REFUNDED', 'CANCELLED', 'CAPTURE_FAILED', 'REFUND_FAILED', 'CANCEL_FAILED'].includes(e.type)
  )
    return 'Acquirer';
  if (e.type === 'EXPIRED' || e.type === 'REMAINDER_RELEASED') return 'Gateway (expiry policy)';
  return 'Gateway';
}

function what(type: string): string {
  return WHAT[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** A detail object as words: amounts in major units, results as "S SUCCESS: message", never JSON. */
export function describeDetail(detail: Record<string, unknown> | null, currency: string | null, skip: Set<string> = new Set()): string {
  if (!detail) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail)) {
    if (skip.has(k) || v === null || v === undefined || v === '') continue;
    parts.push(`${label(k)}: ${value(k, v, currency)}`);
  }
  return parts.join('; ');
}

function label(k: string): string {
  return k
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

function value(k: string, v: unknown, currency: string | null): string {
  if (
    /amount|threshold|^max/i.test(k) &&
    currency &&
    (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') &&
    /^\d{1,19}$/.test(String(v))
  )
    return formatMoney(BigInt(String(v)), currency);
  if (k === 'result' && v && typeof v === 'object') {
    const r = v as { resultStatus?: string; resultCode?: string; resultMessage?: string };
    return [r.resultStatus, r.resultCode].filter(Boolean).join(' ') + (r.resultMessage ? `: ${inMajorUnits(r.resultMessage)}` : '');
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return inMajorUnits(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => value(k, x, currency)).join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([kk, vv]) => `${label(kk)} ${value(kk, vv, currency)}`)
      .join(', ');
  return String(v);
}

/** The payment's history as people read it: when, who, what, how much, and why. */
export function timelineTable(p: AdminPayment, events: TimelineEvent[], actors: Actors): SafeHtml {
  return html`<table id="timeline" class="timeline"><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th class="num">How much</th><th>Status</th><th>Why / details</th></tr></thead><tbody>
${events.map((e) => {
  const d = e.detail ?? {};
  const amount = e.amount ?? (typeof d.amount === 'string' && /^\d{1,19}$/.test(d.amount) ? BigInt(d.amount) : null);
  return html`<tr data-event="${e.type}"><td class="nowrap">${e.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${who(e, actors)}</td><td class="what">${what(e.type)}</td>
<td class="num">${amount !== null ? formatMoney(amount, p.currency) : ''}</td><td>${e.fromStatus && e.toStatus && e.toStatus !== e.fromStatus ? `${e.fromStatus} → ${e.toStatus}` : (e.toStatus ?? '')}</td>
<td>${describeDetail(d, p.currency, SHOWN_ELSEWHERE)}</td></tr>`;
})}
${events.length === 0 ? html`<tr><td colspan="6" class="muted">No events.</td></tr>` : ''}
</tbody></table>`;
}
