import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APPROVAL_VALID_HOURS } from '../admin-settings';
import { PaymentFilters, SortOrder } from './payment-filters';

export const PAGE_SIZE = 50;
const CAPTURABLE = `p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`;

/** A payment as the console shows it: masked card only (BIN + last 4), amounts as bigint minor units. */
export interface AdminPayment {
  id: string;
  paymentId: string;
  paymentRequestId: string;
  merchantId: string;
  merchantClientId: string;
  merchantName: string;
  status: string;
  captureMode: string;
  currency: string;
  amount: bigint;
  authorizedAmount: bigint;
  capturedAmount: bigint;
  refundedAmount: bigint;
  /** What can still be captured / refunded, less what four-eyes requests waiting for approval would take. */
  capturable: bigint;
  refundable: bigint;
  pendingCapture: bigint;
  pendingRefund: bigint;
  upstreamPaymentId: string | null;
  notifyUrl: string | null;
  cardBin: string | null;
  cardLast4: string | null;
  cardBrand: string | null;
  referenceOrderId: string | null;
  orderDescription: string | null;
  referenceBuyerId: string | null;
  clientIp: string | null;
  resultStatus: string | null;
  resultCode: string | null;
  resultMessage: string | null;
  paymentResultInfo: Record<string, unknown> | null;
  authExpiryTime: Date | null;
  paymentTime: Date | null;
  createdAt: Date;
}

export interface Operation {
  id: string;
  requestId: string;
  amount: bigint;
  status: string;
  upstreamId: string | null;
  resultCode: string | null;
  resultMessage: string | null;
  reason: string | null;
  doneAt: Date | null;
  createdAt: Date;
  isLast: boolean;
  automatic: boolean;
}

export interface TimelineEvent {
  id: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  amount: bigint | null;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

// Named columns, never p.*: the card id and anything added later stay out of the console unless chosen.
const COLUMNS = `p.id, p.payment_id, p.payment_request_id, p.merchant_id, m.client_id AS merchant_client_id, m.name AS merchant_name,
  p.status, p.capture_mode, p.currency, p.amount::text, p.authorized_amount::text, p.captured_amount::text, p.refunded_amount::text,
  p.card_bin, p.card_last4, p.card_brand, p.reference_order_id, p.order_description, p.reference_buyer_id, p.client_ip, p.result_status, p.result_code, p.result_message,
  p.payment_result_info, p.auth_expiry_time, p.payment_time, p.created_at, p.upstream_payment_id, p.payment_notify_url,
  (SELECT json_build_object('capture', coalesce(sum(a.amount) FILTER (WHERE a.action = 'CAPTURE'), 0)::text, 'refund', coalesce(sum(a.amount) FILTER (WHERE a.action = 'REFUND'), 0)::text)
     FROM admin_approval_request a WHERE a.payment_id = p.id AND a.status = 'PENDING' AND a.requested_at >= now() - make_interval(hours => ${APPROVAL_VALID_HOURS})) AS pending`;

export interface ListTotals {
  count: number;
  /** Order amounts, captured and refunded per currency: amounts in different currencies are never added up. */
  byCurrency: { currency: string; count: number; amount: bigint; captured: bigint; refunded: bigint }[];
}

const CAPTURABLE_FIRST = `CASE WHEN ${CAPTURABLE} THEN 0 ELSE 1 END, CASE WHEN ${CAPTURABLE} THEN p.auth_expiry_time END ASC NULLS LAST`;
const ORDER: Record<SortOrder, string> = {
  newest: 'p.created_at DESC, p.id',
  oldest: 'p.created_at ASC, p.id',
  expiry: `${CAPTURABLE_FIRST}, p.created_at DESC, p.id`,
  amount: 'p.currency, p.amount DESC, p.created_at DESC, p.id',
};

/** LIKE's wildcards typed in a filter are literal characters. */
export function likeLiteral(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function conditions(f: PaymentFilters): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replaceAll('?', `$${params.length}`)); };
  if (f.statuses.length) add('p.status = ANY(?)', f.statuses);
  if (f.merchant) {
    add(`m.client_id = ?`, f.merchant);
    params.push(likeLiteral(f.merchant));
    where[where.length - 1] = `(${where[where.length - 1]} OR m.name ILIKE '%' || $${params.length} || '%' ESCAPE '\\')`;
  }
  if (f.from) add('p.created_at >= ?', f.from);
  if (f.to) add('p.created_at < ?', f.to);
  if (f.currency) add('p.currency = ?', f.currency);
  if (f.amountMin !== undefined) add('p.amount >= ?', f.amountMin.toString());
  if (f.amountMax !== undefined) add('p.amount <= ?', f.amountMax.toString());
  if (f.referenceOrderId) add('p.reference_order_id = ?', f.referenceOrderId);
  if (f.cardBin) add(`p.card_bin LIKE ? || '%'`, f.cardBin); // digits only (parseMaskedCard)
  if (f.cardLast4) add('p.card_last4 = ?', f.cardLast4);
  if (f.brand) add('p.card_brand = ?', f.brand);
  if (f.id) add('(p.payment_id = ? OR p.payment_request_id = ?)', f.id);
  return { where, params };
}

/** Read side of the console: the list with its filters and the detail page's data. */
@Injectable()
export class AdminPaymentsService {
  constructor(private readonly db: DataSource) {}

  async list(f: PaymentFilters): Promise<{ rows: AdminPayment[]; hasMore: boolean; totals: ListTotals }> {
    const { where, params } = conditions(f);
    const offset = (f.page - 1) * PAGE_SIZE;
    const from = `FROM payment p JOIN merchant m ON m.id = p.merchant_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    const [rows, sums] = await Promise.all([
      this.db.query(`SELECT ${COLUMNS} ${from} ORDER BY ${ORDER[f.sort]} LIMIT ${PAGE_SIZE + 1} OFFSET ${offset}`, params),
      this.db.query(`SELECT p.currency, count(*)::int AS n, sum(p.amount)::text AS amount, sum(p.captured_amount)::text AS captured, sum(p.refunded_amount)::text AS refunded ${from} GROUP BY p.currency ORDER BY count(*) DESC, p.currency`, params),
    ]);
    const byCurrency = sums.map((r: Record<string, string | number>) => ({ currency: String(r.currency).trim(), count: Number(r.n), amount: BigInt(r.amount), captured: BigInt(r.captured), refunded: BigInt(r.refunded) }));
    return {
      rows: rows.slice(0, PAGE_SIZE).map(toPayment), hasMore: rows.length > PAGE_SIZE,
      totals: { count: byCurrency.reduce((n: number, c: { count: number }) => n + c.count, 0), byCurrency },
    };
  }

  /**
   * Everything the filter matches, in the list's order, a batch at a time (for the CSV export). Batches are
   * read by offset in a stable order (every sort ends on the row id), of the payments made before the export
   * began: one paid meanwhile cannot shift the rest into a repeated or skipped row.
   */
  async *allMatching(f: PaymentFilters, batch = 500): AsyncGenerator<AdminPayment> {
    const { where, params } = conditions(f);
    params.push(new Date());
    where.push(`p.created_at <= $${params.length}`);
    const from = `FROM payment p JOIN merchant m ON m.id = p.merchant_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    for (let offset = 0; ; offset += batch) {
      const rows = await this.db.query(`SELECT ${COLUMNS} ${from} ORDER BY ${ORDER[f.sort]} LIMIT ${batch} OFFSET ${offset}`, params);
      for (const r of rows) yield toPayment(r);
      if (rows.length < batch) return;
    }
  }

  async findByPaymentId(paymentId: string): Promise<AdminPayment | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE p.payment_id = $1`, [paymentId]);
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findManyByPaymentId(paymentIds: string[]): Promise<AdminPayment[]> {
    if (paymentIds.length === 0) return [];
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM payment p JOIN merchant m ON m.id = p.merchant_id WHERE p.payment_id = ANY($1) ORDER BY p.created_at`, [paymentIds]);
    return rows.map(toPayment);
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    const rows = await this.db.query(
      'SELECT id::text, type, from_status, to_status, amount::text, detail, created_at FROM payment_event WHERE payment_id = $1 ORDER BY payment_event.id',
      [id],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id, type: r.type, fromStatus: r.from_status, toStatus: r.to_status, amount: r.amount == null ? null : BigInt(r.amount),
      detail: r.detail, createdAt: new Date(r.created_at),
    }));
  }

  /** The payment's captures and refunds, each with the acquirer's id for it and (refunds) the reason given. */
  async operations(paymentUuid: string): Promise<{ captures: Operation[]; refunds: Operation[] }> {
    const [captures, refunds] = await Promise.all([
      this.db.query(`SELECT capture_id AS id, capture_request_id AS request_id, amount::text, status, upstream_capture_id AS upstream_id, result_code, result_message, NULL AS reason, capture_time AS done_at, created_at, is_last, automatic FROM capture WHERE payment_id = $1 ORDER BY created_at`, [paymentUuid]),
      this.db.query(`SELECT refund_id AS id, refund_request_id AS request_id, amount::text, status, upstream_refund_id AS upstream_id, result_code, result_message, reason, refund_time AS done_at, created_at, false AS is_last, false AS automatic FROM refund WHERE payment_id = $1 ORDER BY created_at`, [paymentUuid]),
    ]);
    const toOp = (r: Record<string, any>): Operation => ({
      id: r.id, requestId: r.request_id, amount: BigInt(r.amount), status: r.status, upstreamId: r.upstream_id, resultCode: r.result_code, resultMessage: r.result_message,
      reason: r.reason, doneAt: r.done_at ? new Date(r.done_at) : null, createdAt: new Date(r.created_at), isLast: r.is_last, automatic: r.automatic,
    });
    return { captures: captures.map(toOp), refunds: refunds.map(toOp) };
  }

  async merchants(): Promise<{ clientId: string; name: string }[]> {
    return (await this.db.query('SELECT client_id, name FROM merchant ORDER BY name, client_id LIMIT 500')).map((r: { client_id: string; name: string }) => ({ clientId: r.client_id, name: r.name }));
  }
}

function toPayment(r: any): AdminPayment {
  const authorized = BigInt(r.authorized_amount);
  const captured = BigInt(r.captured_amount);
  const refunded = BigInt(r.refunded_amount);
  const capturableNow = ['AUTHORIZED', 'PARTIALLY_CAPTURED'].includes(r.status);
  const pendingCapture = BigInt(r.pending?.capture ?? '0');
  const pendingRefund = BigInt(r.pending?.refund ?? '0');
  const left = (v: bigint) => (v > 0n ? v : 0n);
  // Automatic capture: the authorized amount was captured with the authorization.
  const settled = r.status === 'SUCCEEDED' ? authorized : captured;
  return {
    id: r.id, paymentId: r.payment_id, paymentRequestId: r.payment_request_id, merchantId: r.merchant_id,
    merchantClientId: r.merchant_client_id, merchantName: r.merchant_name, status: r.status, captureMode: r.capture_mode,
    currency: r.currency, amount: BigInt(r.amount), authorizedAmount: authorized, capturedAmount: settled, refundedAmount: refunded,
    capturable: capturableNow ? left(authorized - captured - pendingCapture) : 0n, refundable: left(settled - refunded - pendingRefund),
    pendingCapture, pendingRefund, upstreamPaymentId: r.upstream_payment_id, notifyUrl: r.payment_notify_url,
    cardBin: r.card_bin, cardLast4: r.card_last4, cardBrand: r.card_brand, referenceOrderId: r.reference_order_id,
    orderDescription: r.order_description, referenceBuyerId: r.reference_buyer_id, clientIp: r.client_ip,
    resultStatus: r.result_status, resultCode: r.result_code, resultMessage: r.result_message, paymentResultInfo: r.payment_result_info,
    authExpiryTime: r.auth_expiry_time ? new Date(r.auth_expiry_time) : null, paymentTime: r.payment_time ? new Date(r.payment_time) : null,
    createdAt: new Date(r.created_at),
  };
}
