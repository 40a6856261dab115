import { CARD_NUMBER_REFUSED, looksLikeCardNumber } from '../payments/payment-filters';

export const OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED', 'PENDING', 'UNKNOWN'];
const FIELDS = ['actor', 'action', 'target', 'from', 'to', 'outcome', 'before'] as const;
const LABELS: Record<string, string> = {
  actor: 'Who',
  action: 'What',
  target: 'Target',
  from: 'From',
  to: 'To',
  outcome: 'Outcome',
  before: 'Older than',
};

/** The audit view's filters as typed (echoed into the form and links) and as validated for the query. */
export interface AuditFilters {
  raw: Record<string, string>;
  /** Case-insensitive "contains" searches; LIKE's % and _ are literal. */
  actor?: string;
  action?: string;
  target?: string;
  from?: Date;
  /** Exclusive: the day after the "to" date, so the whole day is included. */
  to?: Date;
  outcome?: string;
  beforeId?: string;
  errors: string[];
}

/**
 * Every value is checked before SQL or the page sees it: control characters and over-long values are
 * refused, a card number anywhere refuses the search without repeating it, dates are YYYY-MM-DD (UTC).
 */
export function parseAuditFilters(query: Record<string, unknown>): AuditFilters {
  const f: AuditFilters = { raw: {}, errors: [] };
  const pairs: [string, string][] = [];
  for (const k of FIELDS) {
    const v = query[k];
    const list = (Array.isArray(v) ? v : v === undefined ? [] : [v])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter(Boolean);
    if (list.length > 1) f.errors.push(`${LABELS[k]} was given more than once.`);
    if (list.length) pairs.push([k, list[0]]);
  }
  if (pairs.some(([, v]) => looksLikeCardNumber(v))) return { raw: {}, errors: [CARD_NUMBER_REFUSED] };
  for (const [k, v] of pairs) {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(v)) f.errors.push(`${LABELS[k]}: control characters cannot be searched for.`);
    else if (v.length > 128) f.errors.push(`${LABELS[k]}: at most 128 characters.`);
    else f.raw[k] = v;
  }
  if (f.errors.length) return { raw: {}, errors: f.errors };
  const r = f.raw;
  if (r.actor) f.actor = r.actor;
  if (r.action) f.action = r.action;
  if (r.target) f.target = r.target;
  if (r.outcome) {
    const o = r.outcome.toUpperCase();
    if (OUTCOMES.includes(o)) f.outcome = o;
    else f.errors.push(`Outcome: one of ${OUTCOMES.join(', ')}.`);
  }
  f.from = day(r.from, f, 'From');
  const to = day(r.to, f, 'To');
  if (to) f.to = new Date(to.getTime() + 86_400_000);
  if (f.from && f.to && f.from >= f.to) f.errors.push('From must not be after To.');
  if (r.before) {
    if (/^\d{1,18}$/.test(r.before)) f.beforeId = r.before;
    else f.errors.push('Older than: an entry number.');
  }
  return f;
}

function day(v: string | undefined, f: AuditFilters, label: string): Date | undefined {
  if (!v) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    f.errors.push(`${label} date must be YYYY-MM-DD.`);
    return undefined;
  }
  return d;
}
