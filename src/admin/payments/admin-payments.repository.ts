import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { heldNotice } from '../../notifications/outbox/outbox.repository';
import { APPROVAL_VALID_HOURS } from '../admin-settings';
import { Cursor } from './payment-cursor';
import { PaymentFilters } from './payment-filters';

const CAPTURABLE = `p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`;

// Named columns, never p.*: the card id and anything added later stay out of the console unless chosen.
const COLUMNS = `p.id, p.payment_id, p.payment_request_id, p.merchant_id, m.client_id AS merchant_client_id, m.name AS merchant_name,
  p.status, p.capture_mode, p.currency, p.amount::text, p.authorized_amount::text, p.captured_amount::text, p.refunded_amount::text,
  p.card_bin, p.card_last4, p.card_brand, p.reference_order_id, p.order_description, p.reference_buyer_id, p.client_ip, p.result_status, p.result_code, p.result_message,
  p.payment_result_info, p.auth_expiry_time, p.payment_time, p.created_at, p.upstream_payment_id, p.payment_notify_url,
  (SELECT json_build_object('capture', coalesce(sum(a.amount) FILTER (WHERE a.action = 'CAPTURE'), 0)::text, 'refund', coalesce(sum(a.amount) FILTER (WHERE a.action = 'REFUND'), 0)::text)
     FROM admin_approval_request a WHERE a.payment_id = p.id AND a.status = 'PENDING' AND a.requested_at >= now() - make_interval(hours => ${APPROVAL_VALID_HOURS})) AS pending,
  (SELECT json_agg(json_build_object('disputeId', d.dispute_id, 'status', d.status)) FROM dispute d WHERE d.payment_id = p.id) AS disputes`;

/**
 * Each sort order as keyset segments, read one after the other. Within a segment every order column runs the
 * same way, so "after this row" is one row comparison, `(cols) < (values)`, that an index on exactly those
 * columns answers by a range scan (migrations/1765800000000-ConsoleScaleIndexes.ts): a page costs its own
 * rows, not the rows before it. The id (uuid) ends every segment, so the order is total.
 * - newest / oldest: one segment on (created_at, id).
 * - expiry: the capturable authorizations by expiry (none known: last), then the rest newest first.
 * - amount: one segment per currency, in code order, largest amount first (amounts are never compared
 *   across currencies).
 */
interface Segment {
  key: string;
  /** Extra condition of the segment (a currency segment's currency is a parameter). */
  where: string | null;
  param?: string;
  cols: string[];
  types: string[];
  dir: 'ASC' | 'DESC';
}
const NEWEST: Segment = { key: 'all', where: null, cols: ['p.created_at', 'p.id'], types: ['timestamptz', 'uuid'], dir: 'DESC' };
const OLDEST: Segment = { ...NEWEST, dir: 'ASC' };
const EXPIRY: Segment[] = [
  {
    key: 'cap',
    where: CAPTURABLE,
    cols: [`coalesce(p.auth_expiry_time, 'infinity'::timestamptz)`, 'p.id'],
    types: ['timestamptz', 'uuid'],
    dir: 'ASC',
  },
  { ...NEWEST, key: 'rest', where: `p.status NOT IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')` },
];
const inCurrency = (c: string): Segment => ({
  key: c,
  where: 'p.currency = ?',
  param: c,
  cols: ['p.amount', 'p.created_at', 'p.id'],
  types: ['bigint', 'timestamptz', 'uuid'],
  dir: 'DESC',
});

/** Above this many matching rows the list says "10,000+" and shows no per-currency totals (counting more costs a scan). */
export const COUNT_CAP = 10_000;

/** LIKE's wildcards typed in a filter are literal characters. */
export function likeLiteral(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQL text and its positional parameters, built together. */
class Query {
  readonly params: unknown[] = [];
  /** `sql` with each `?` a parameter, in order. */
  bind(sql: string, ...values: unknown[]): string {
    let i = 0;
    return sql.replace(/\?/g, () => {
      this.params.push(values[i++]);
      return `$${this.params.length}`;
    });
  }
}

/** The filter's conditions on payment p (no join needed): the merchant filter comes resolved to merchant ids. */
function conditions(q: Query, f: PaymentFilters, merchantIds: string[] | null): string[] {
  const where: string[] = [];
  const add = (sql: string, ...v: unknown[]) => where.push(q.bind(sql, ...v));
  if (f.statuses.length === 1) add('p.status = ?', f.statuses[0]);
  else if (f.statuses.length) add('p.status = ANY(?)', f.statuses);
  if (merchantIds) add('p.merchant_id = ANY(?::uuid[])', merchantIds);
  if (f.from) add('p.created_at >= ?', f.from);
  if (f.to) add('p.created_at < ?', f.to);
  if (f.currency) add('p.currency = ?', f.currency);
  if (f.amountMin !== undefined) add('p.amount >= ?', f.amountMin.toString());
  if (f.amountMax !== undefined) add('p.amount <= ?', f.amountMax.toString());
  if (f.referenceOrderId) add('p.reference_order_id = ?', f.referenceOrderId);
  if (f.cardBin) add(`p.card_bin LIKE ? || '%'`, f.cardBin); // digits only (parseMaskedCard); the index is varchar_pattern_ops
  if (f.cardLast4) add('p.card_last4 = ?', f.cardLast4);
  if (f.brand) add('p.card_brand = ?', f.brand);
  if (f.id) add('(p.payment_id = ? OR p.payment_request_id = ?)', f.id, f.id);
  return where;
}

const whereClause = (where: string[]) => (where.length ? 'WHERE ' + where.join(' AND ') : '');

/** The fixed segments of a sort order (amount: the filter's currency; without one they are found as the walk goes). */
function segmentsOf(f: PaymentFilters): Segment[] {
  if (f.sort === 'newest') return [NEWEST];
  if (f.sort === 'oldest') return [OLDEST];
  if (f.sort === 'expiry') return EXPIRY;
  return f.currency ? [inCurrency(f.currency)] : [];
}

function segmentNamed(f: PaymentFilters, key: string): Segment | null {
  if (f.sort === 'amount') return /^[A-Z]{3}$/.test(key) ? inCurrency(key) : null;
  return segmentsOf(f).find((s) => s.key === key) ?? null;
}

/** A row read by a segment query: its segment and its order-column values, the makings of a cursor. */
type KeyedRow = AdminPaymentRow & { seg: string; keyset: string[] };

function cursorOf(r: KeyedRow): Cursor {
  return { seg: r.seg, values: r.keyset };
}

export interface KeysetPage {
  rows: AdminPaymentRow[];
  next: Cursor | null;
  prev: Cursor | null;
}

/** A payment row as COLUMNS reads it: amounts as text, `pending` the waiting four-eyes amounts. */
export interface AdminPaymentRow {
  id: string;
  payment_id: string;
  payment_request_id: string;
  merchant_id: string;
  merchant_client_id: string;
  merchant_name: string;
  status: string;
  capture_mode: string;
  currency: string;
  amount: string;
  authorized_amount: string;
  captured_amount: string;
  refunded_amount: string;
  card_bin: string | null;
  card_last4: string | null;
  card_brand: string | null;
  reference_order_id: string | null;
  order_description: string | null;
  reference_buyer_id: string | null;
  client_ip: string | null;
  result_status: string | null;
  result_code: string | null;
  result_message: string | null;
  payment_result_info: Record<string, unknown> | null;
  auth_expiry_time: Date | null;
  payment_time: Date | null;
  created_at: Date;
  upstream_payment_id: string | null;
  payment_notify_url: string | null;
  pending: { capture?: string; refund?: string } | null;
  /** The payment's disputes (dispute_payment_idx: one index probe per row of a page), for the list's badge. */
  disputes: Array<{ disputeId: string; status: string }> | null;
}

export interface CurrencySumRow {
  currency: string;
  n: number;
  amount: string;
  captured: string;
  refunded: string;
}

export interface PaymentEventRow {
  id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  amount: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
}

/** A capture or refund row in one shape (refunds: is_last and automatic are false; captures: reason is null). */
export interface OperationRow {
  id: string;
  request_id: string;
  amount: string;
  status: string;
  upstream_id: string | null;
  result_code: string | null;
  result_message: string | null;
  reason: string | null;
  done_at: Date | null;
  created_at: Date;
  is_last: boolean;
  automatic: boolean;
}

export interface NotificationRow {
  id: string;
  notify_type: string;
  status: string;
  held: boolean;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  log: Array<{ attempt: number; at: string; outcome: string; httpStatus: number | null; durationMs: number }>;
}

/**
 * The console's reads of payment, merchant, payment_event, capture, refund, admin_approval_request (pending
 * amounts) and merchant_notification / notification_attempt. Reads only: payment-table writes belong to
 * src/payments, notification writes to the outbox repository.
 */
@Injectable()
export class AdminPaymentsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * One page of `size` rows in the filter's sort order: from the start, after `f.after` or (the previous
   * page) before `f.before`; `next` / `prev` are the cursors of the pages on either side, null at either end.
   * Never an OFFSET: each segment read is an index range scan from the cursor (see Segment).
   */
  async page(f: PaymentFilters, size: number, until?: Date): Promise<KeysetPage> {
    const merchantIds = await this.merchantIds(f);
    if (f.before) {
      const back = await this.walk(f, merchantIds, f.before, 'back', size + 1, until);
      // Fewer than a page before the cursor: that is the first page, shown whole from the start.
      if (back.length <= size) return this.page({ ...f, before: undefined }, size, until);
      const rows = back.slice(0, size).reverse();
      return { rows, next: cursorOf(rows[rows.length - 1]), prev: cursorOf(rows[0]) };
    }
    const fwd = await this.walk(f, merchantIds, f.after, 'forward', size + 1, until);
    const rows = fwd.slice(0, size);
    return {
      rows,
      next: fwd.length > size ? cursorOf(rows[rows.length - 1]) : null,
      prev: f.after && rows.length ? cursorOf(rows[0]) : null,
    };
  }

  /**
   * How many payments the filter matches, counted up to COUNT_CAP + 1 (`SELECT count(*) FROM (… LIMIT 10001)`:
   * the scan stops there), and the per-currency sums when within the cap. Past it: `capped`, no sums, and for
   * the unfiltered list PostgreSQL's own estimate of the table's rows (pg_class.reltuples, kept by ANALYZE).
   */
  async totals(f: PaymentFilters): Promise<{ count: number; capped: boolean; estimate: number | null; sums: CurrencySumRow[] }> {
    const merchantIds = await this.merchantIds(f);
    if (merchantIds?.length === 0) return { count: 0, capped: false, estimate: null, sums: [] };
    const q = new Query();
    const where = whereClause(conditions(q, f, merchantIds));
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM payment p ${where} LIMIT ${COUNT_CAP + 1}) c`, q.params);
    if (n > COUNT_CAP) {
      const estimate = where
        ? null
        : Number((await this.db.query(`SELECT reltuples::bigint::text AS n FROM pg_class WHERE oid = 'payment'::regclass`))[0].n);
      return { count: COUNT_CAP, capped: true, estimate: estimate !== null && estimate > COUNT_CAP ? estimate : null, sums: [] };
    }
    const sums: CurrencySumRow[] = await this.db.query(
      `SELECT p.currency, count(*)::int AS n, sum(p.amount)::text AS amount, sum(p.captured_amount)::text AS captured, sum(p.refunded_amount)::text AS refunded
       FROM payment p ${where} GROUP BY p.currency ORDER BY count(*) DESC, p.currency`,
      q.params,
    );
    return { count: n, capped: false, estimate: null, sums };
  }

  /**
   * Batches of everything the filter matches made up to `until`, in the list's order, by keyset: each batch
   * starts after the last row of the one before, so a payment made meanwhile neither repeats nor skips a row,
   * and no batch costs more than its own rows.
   */
  async *batches(f: PaymentFilters, until: Date, batch: number): AsyncGenerator<AdminPaymentRow[]> {
    let after = f.after;
    for (;;) {
      const { rows, next } = await this.page({ ...f, after, before: undefined }, batch, until);
      if (rows.length) yield rows;
      if (!next) return;
      after = next;
    }
  }

  /**
   * The plan PostgreSQL chooses for a page's first segment read (EXPLAIN, text; ANALYZE adds the rows and
   * buffers it read), for the scale bench and the db-tier plan test: an index range scan, never a sequential
   * scan of payment.
   */
  async explainFirstPage(f: PaymentFilters, size: number, analyze = false): Promise<string> {
    const merchantIds = await this.merchantIds(f);
    const q = new Query();
    const seg = f.after ? segmentNamed(f, f.after.seg) : await this.firstSegment(f);
    if (!seg) return '(no rows to read)';
    const sql = this.segmentSql(q, f, merchantIds, seg, f.after, 'forward', size);
    const rows: Array<{ 'QUERY PLAN': string }> = await this.db.query(
      `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, TIMING OFF, ' : ''}COSTS OFF) ${sql}`,
      q.params,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /** The merchants the merchant filter names (client id exactly, or any part of the name): null when there is no merchant filter. */
  private async merchantIds(f: PaymentFilters): Promise<string[] | null> {
    if (!f.merchant) return null;
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM merchant WHERE client_id = $1 OR name ILIKE '%' || $2 || '%' ESCAPE '\\' LIMIT 500`,
      [f.merchant, likeLiteral(f.merchant)],
    );
    return rows.map((r) => r.id);
  }

  /** Up to `n` rows from the cursor on (or back from it), segment after segment. */
  private async walk(
    f: PaymentFilters,
    merchantIds: string[] | null,
    from: Cursor | undefined,
    way: 'forward' | 'back',
    n: number,
    until?: Date,
  ): Promise<KeyedRow[]> {
    if (merchantIds?.length === 0) return [];
    const out: KeyedRow[] = [];
    let seg: Segment | null = from ? segmentNamed(f, from.seg) : await this.firstSegment(f);
    let cursor = from;
    while (seg && out.length < n) {
      const q = new Query();
      const sql = this.segmentSql(q, f, merchantIds, seg, cursor, way, n - out.length, until);
      const rows: Array<AdminPaymentRow & { keyset: string[] }> = await this.db.query(sql, q.params);
      const key = seg.key;
      out.push(...rows.map((r) => ({ ...r, seg: key })));
      seg = await this.adjacentSegment(f, seg, way);
      cursor = undefined;
    }
    return out;
  }

  private segmentSql(
    q: Query,
    f: PaymentFilters,
    merchantIds: string[] | null,
    seg: Segment,
    cursor: Cursor | undefined,
    way: 'forward' | 'back',
    n: number,
    until?: Date,
  ): string {
    const where = conditions(q, f, merchantIds);
    if (seg.where) where.push(q.bind(seg.where, seg.param));
    if (until) where.push(q.bind('p.created_at <= ?', until));
    const dir = way === 'forward' ? seg.dir : seg.dir === 'ASC' ? 'DESC' : 'ASC';
    if (cursor) {
      const values = cursor.values.map((v, i) => `${q.bind('?', v)}::${seg.types[i]}`);
      where.push(`(${seg.cols.join(', ')}) ${dir === 'ASC' ? '>' : '<'} (${values.join(', ')})`);
    }
    return `SELECT ${COLUMNS}, ARRAY[${seg.cols.map((c) => `(${c})::text`).join(', ')}] AS keyset
      FROM payment p JOIN merchant m ON m.id = p.merchant_id ${whereClause(where)}
      ORDER BY ${seg.cols.map((c) => `${c} ${dir}`).join(', ')} LIMIT ${n}`;
  }

  private async firstSegment(f: PaymentFilters): Promise<Segment | null> {
    if (f.sort !== 'amount' || f.currency) return segmentsOf(f)[0];
    const [row] = await this.db.query(`SELECT min(currency) AS c FROM payment`);
    return row?.c ? inCurrency(String(row.c)) : null;
  }

  /** The next segment that way; for "largest amount first", the next currency with payments (an index probe). */
  private async adjacentSegment(f: PaymentFilters, seg: Segment, way: 'forward' | 'back'): Promise<Segment | null> {
    if (f.sort !== 'amount') {
      const list = segmentsOf(f);
      return list[list.findIndex((s) => s.key === seg.key) + (way === 'forward' ? 1 : -1)] ?? null;
    }
    if (f.currency) return null;
    const [row] = await this.db.query(
      `SELECT ${way === 'forward' ? 'min' : 'max'}(currency) AS c FROM payment WHERE currency ${way === 'forward' ? '>' : '<'} $1`,
      [seg.key],
    );
    return row?.c ? inCurrency(String(row.c)) : null;
  }

  async byPaymentId(paymentId: string): Promise<AdminPaymentRow | undefined> {
    const rows: AdminPaymentRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE p.payment_id = $1`,
      [paymentId],
    );
    return rows[0];
  }

  /** Oldest first. */
  byPaymentIds(paymentIds: string[]): Promise<AdminPaymentRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE p.payment_id = ANY($1) ORDER BY p.created_at`,
      [paymentIds],
    );
  }

  events(paymentUuid: string): Promise<PaymentEventRow[]> {
    return this.db.query(
      'SELECT id::text, type, from_status, to_status, amount::text, detail, created_at FROM payment_event WHERE payment_id = $1 ORDER BY payment_event.id',
      [paymentUuid],
    );
  }

  /** The payment's captures and refunds, each oldest first. */
  async operations(paymentUuid: string): Promise<{ captures: OperationRow[]; refunds: OperationRow[] }> {
    const [captures, refunds] = await Promise.all([
      this.db.query(
        `SELECT capture_id AS id, capture_request_id AS request_id, amount::text, status, upstream_capture_id AS upstream_id, result_code, result_message, NULL AS reason, capture_time AS done_at, created_at, is_last, automatic FROM capture WHERE payment_id = $1 ORDER BY created_at`,
        [paymentUuid],
      ),
      this.db.query(
        `SELECT refund_id AS id, refund_request_id AS request_id, amount::text, status, upstream_refund_id AS upstream_id, result_code, result_message, reason, refund_time AS done_at, created_at, false AS is_last, false AS automatic FROM refund WHERE payment_id = $1 ORDER BY created_at`,
        [paymentUuid],
      ),
    ]);
    return { captures, refunds };
  }

  merchants(): Promise<Array<{ client_id: string; name: string }>> {
    return this.db.query('SELECT client_id, name FROM merchant ORDER BY name, client_id LIMIT 500');
  }

  /** The payment's notifications, oldest first, each with its delivery attempts in order. */
  notifications(paymentUuid: string): Promise<NotificationRow[]> {
    return this.db.query(
      `SELECT n.id, n.notify_type, n.status, (${heldNotice('n')}) AS held, n.attempts, n.next_attempt_at, n.last_error,
              coalesce(json_agg(json_build_object('attempt', a.attempt, 'at', a.attempted_at, 'outcome', a.outcome, 'httpStatus', a.http_status, 'durationMs', a.duration_ms) ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS log
       FROM merchant_notification n LEFT JOIN notification_attempt a ON a.notification_id = n.id
       WHERE n.payment_id = $1 GROUP BY n.id ORDER BY n.created_at`,
      [paymentUuid],
    );
  }
}
