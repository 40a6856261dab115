import { parseAmount } from './money';

export const STATUSES = [
  'AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED',
  'CANCELLED', 'EXPIRED', 'FAILED', 'UNKNOWN', 'PENDING_ACTION', 'RECEIVED',
];
export const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'JCB', 'DISCOVER', 'DINERS', 'UNIONPAY', 'CARTES_BANCAIRES', 'MAESTRO'];

/** The list's filters as typed (echoed back into the form) and as validated for the query. */
export interface PaymentFilters {
  raw: Record<string, string>;
  status?: string;
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
  page: number;
  errors: string[];
}

const FIELDS = ['status', 'merchant', 'from', 'to', 'currency', 'amountMin', 'amountMax', 'referenceOrderId', 'card', 'brand', 'id', 'page'];

export function parseFilters(query: Record<string, unknown>): PaymentFilters {
  const raw: Record<string, string> = {};
  for (const k of FIELDS) {
    const v = query[k];
    if (typeof v === 'string' && v.trim() !== '') raw[k] = v.trim().slice(0, 100);
  }
  const f: PaymentFilters = { raw, page: Math.max(1, Math.min(1000, Number(raw.page) || 1)), errors: [] };
  if (raw.status && STATUSES.includes(raw.status)) f.status = raw.status;
  if (raw.brand && BRANDS.includes(raw.brand)) f.brand = raw.brand;
  if (raw.merchant) f.merchant = raw.merchant;
  if (raw.referenceOrderId) f.referenceOrderId = raw.referenceOrderId;
  if (raw.id) f.id = raw.id;
  f.from = day(raw.from, f, 'From');
  const to = day(raw.to, f, 'To');
  if (to) f.to = new Date(to.getTime() + 86_400_000); // the whole "to" day is included
  amounts(raw, f);
  card(raw, f);
  return f;
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
  for (const [key, label] of [['amountMin', 'Minimum'], ['amountMax', 'Maximum']] as const) {
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
