import { containsCardNumber } from '../../antom/pan-runs';
import { parseAmount } from './money';
import { Cursor, decodeCursor, MAX_CURSOR_LENGTH } from './payment-cursor';

export const STATUSES = [
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'SUCCEEDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
  'UNKNOWN',
  'PENDING_ACTION',
  'RECEIVED',
];
export const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'JCB', 'DISCOVER', 'DINERS', 'UNIONPAY', 'CARTES_BANCAIRES', 'MAESTRO'];

/** The list's filters as typed (echoed back into the form) and as validated for the query. */
export interface PaymentFilters {
  raw: Record<string, string>;
  statuses: string[];
  merchant?: string;
  from?: Date;
  to?: Date;
  currency?: string;
  amountMin?: bigint;
  amountMax?: bigint;
  referenceOrderId?: string;
  cardBin?: string;
  cardLast4?: string;
  brand?: string;
  id?: string;
  sort: SortOrder;
  /** Keyset paging: the rows after this cursor (next page) or before it (previous page); neither is the first page. */
  after?: Cursor;
  before?: Cursor;
  errors: string[];
  /** Something that looks like a card number arrived in a filter: refused, echoed nowhere (not even in links). */
  cardNumberRefused: boolean;
}

export const SORTS = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  expiry: 'Authorization expiring first',
  amount: 'Largest amount first',
} as const;
export type SortOrder = keyof typeof SORTS;

const FIELDS = ['merchant', 'from', 'to', 'currency', 'amountMin', 'amountMax', 'referenceOrderId', 'card', 'brand', 'id', 'sort', 'after', 'before'];
const LABELS: Record<string, string> = {
  status: 'Status',
  merchant: 'Merchant',
  from: 'From',
  to: 'To',
  currency: 'Currency',
  amountMin: 'Amount min',
  amountMax: 'Amount max',
  referenceOrderId: 'Reference order id',
  card: 'Card',
  brand: 'Brand',
  id: 'Payment / request id',
  sort: 'Sort',
  after: 'Next page',
  before: 'Previous page',
};
const MAX_LENGTH: Record<string, number> = { merchant: 128, referenceOrderId: 64, id: 64, after: MAX_CURSOR_LENGTH, before: MAX_CURSOR_LENGTH };
export const CARD_NUMBER_REFUSED =
  'A card number was typed into a filter: it was refused and not searched for, kept or shown. Search by the BIN (first 6–8 digits), the last 4, or both as 411111******1111.';

/**
 * Every value is checked before it reaches SQL or the page: control characters (a NUL would make
 * PostgreSQL fail) and over-long values are refused with a message, a value that looks like a card number
 * anywhere refuses the whole search without repeating any of it, and unknown statuses or brands are named.
 */
export function parseFilters(query: Record<string, unknown>): PaymentFilters {
  const raw: Record<string, string> = {};
  const f: PaymentFilters = { raw, statuses: [], sort: 'newest', errors: [], cardNumberRefused: false };
  const values = (k: string): string[] => {
    const v = query[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  };
  const all = [...FIELDS, 'status'].flatMap((k) => values(k).map((v) => [k, v] as const));
  if (all.some(([, v]) => looksLikeCardNumber(v))) {
    f.cardNumberRefused = true;
    f.errors.push(CARD_NUMBER_REFUSED);
    return f; // nothing of this request is echoed, not even the harmless fields
  }
  for (const [k, v] of all) {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(v)) f.errors.push(`${LABELS[k]}: control characters cannot be searched for.`);
    else if (v.length > (MAX_LENGTH[k] ?? 32)) f.errors.push(`${LABELS[k]}: at most ${MAX_LENGTH[k] ?? 32} characters.`);
  }
  if (f.errors.length) return f; // the bad value is not echoed back into the form
  for (const k of FIELDS) {
    const v = values(k);
    if (v.length > 1) f.errors.push(`${LABELS[k]} was given more than once.`);
    if (v.length === 1) raw[k] = v[0];
  }
  for (const s of new Set(values('status'))) {
    if (STATUSES.includes(s)) f.statuses.push(s);
    else f.errors.push(`Status: choose from the list (${STATUSES.join(', ')}).`);
  }
  if (raw.sort) {
    if (raw.sort in SORTS) f.sort = raw.sort as SortOrder;
    else f.errors.push(`Sort: one of ${Object.keys(SORTS).join(', ')}.`);
  }
  if (raw.brand) {
    if (BRANDS.includes(raw.brand)) f.brand = raw.brand;
    else f.errors.push(`Brand: choose from the list (${BRANDS.join(', ')}).`);
  }
  if (raw.merchant) f.merchant = raw.merchant;
  if (raw.referenceOrderId) f.referenceOrderId = raw.referenceOrderId;
  if (raw.id) f.id = raw.id;
  f.from = day(raw.from, f, 'From');
  const to = day(raw.to, f, 'To');
  if (to) f.to = new Date(to.getTime() + 86_400_000); // the whole "to" day is included
  amounts(raw, f);
  card(raw, f);
  cursors(raw, f);
  return f;
}

/** The page link's cursor: one of after / before, one this list made for this sort order. */
function cursors(raw: Record<string, string>, f: PaymentFilters): void {
  if (raw.after && raw.before) f.errors.push('A page link has either a next or a previous cursor, not both.');
  for (const k of ['after', 'before'] as const) {
    if (!raw[k]) continue;
    const c = decodeCursor(raw[k]);
    if (c && fitsSort(c, f)) f[k] = c;
    else f.errors.push(`${LABELS[k]}: the link is damaged; start again from the first page.`);
  }
}

/** The segments of each sort order (the repository's ORDERS) and how many order columns each has. */
function fitsSort(c: Cursor, f: PaymentFilters): boolean {
  if (f.sort === 'amount') return /^[A-Z]{3}$/.test(c.seg) && (!f.currency || c.seg === f.currency) && c.values.length === 3;
  if (f.sort === 'expiry') return (c.seg === 'cap' || c.seg === 'rest') && c.values.length === 2;
  return c.seg === 'all' && c.values.length === 2;
}

/** A card number by the product's one detector (antom/pan-runs.ts): refused as a filter, never searched for. */
export function looksLikeCardNumber(v: string): boolean {
  return containsCardNumber(v);
}

function day(v: string | undefined, f: PaymentFilters, label: string): Date | undefined {
  if (!v) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime())) f.errors.push(`${label} date must be YYYY-MM-DD.`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function amounts(raw: Record<string, string>, f: PaymentFilters): void {
  if (raw.currency) {
    if (/^[A-Z]{3}$/.test(raw.currency)) f.currency = raw.currency;
    else f.errors.push('Currency must be a three-letter code such as EUR.');
  }
  if (!raw.amountMin && !raw.amountMax) return;
  if (!f.currency) {
    f.errors.push('Choose a currency to filter by amount.');
    return;
  }
  for (const [key, label] of [
    ['amountMin', 'Minimum'],
    ['amountMax', 'Maximum'],
  ] as const) {
    if (!raw[key]) continue;
    const v = parseAmount(raw[key], f.currency);
    if (!v.ok) f.errors.push(`${label} amount: ${v.error}`);
    else f[key] = v.minor;
  }
}

/**
 * Masked card search: a BIN (6–8 digits), a last 4, or both ("411111******1111", "4111 11** **** 1111").
 * Anything longer is refused unread: staff must never have to type a full card number here.
 */
export function parseMaskedCard(input: string): { bin?: string; last4?: string } | null {
  const s = input.replace(/[\s-]/g, '');
  if (/^\d{4}$/.test(s)) return { last4: s };
  if (/^\d{6,8}$/.test(s)) return { bin: s };
  const both = /^(\d{6,8})[*xX•.…]+(\d{4})$/.exec(s);
  if (both) return { bin: both[1], last4: both[2] };
  return null;
}

function card(raw: Record<string, string>, f: PaymentFilters): void {
  if (!raw.card) return;
  const parsed = parseMaskedCard(raw.card);
  if (!parsed) {
    // Never echo what was typed: it might be a full card number.
    delete raw.card;
    f.errors.push('Card: enter the BIN (first 6–8 digits), the last 4, or both as 411111******1111 — never a full card number.');
    return;
  }
  f.cardBin = parsed.bin;
  f.cardLast4 = parsed.last4;
}
