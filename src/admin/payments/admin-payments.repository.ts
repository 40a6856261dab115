import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { heldNotice } from '../../notifications/outbox/outbox.repository';
import { APPROVAL_VALID_HOURS } from '../admin-settings';
import { PaymentFilters, SortOrder } from './payment-filters';

const CAPTURABLE = `p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`;

// Named columns, never p.*: the card id and anything added later stay out of the console unless chosen.
const COLUMNS = `p.id, p.payment_id, p.payment_request_id, p.merchant_id, m.client_id AS merchant_client_id, m.name AS merchant_name,
  p.status, p.capture_mode, p.currency, p.amount::text, p.authorized_amount::text, p.captured_amount::text, p.refunded_amount::text,
  p.card_bin, p.card_last4, p.card_brand, p.reference_order_id, p.order_description, p.reference_buyer_id, p.client_ip, p.result_status, p.result_code, p.result_message,
  p.payment_result_info, p.auth_expiry_time, p.payment_time, p.created_at, p.upstream_payment_id, p.payment_notify_url,
  (SELECT json_build_object('capture', coalesce(sum(a.amount) FILTER (WHERE a.action = 'CAPTURE'), 0)::text, 'refund', coalesce(sum(a.amount) FILTER (WHERE a.action = 'REFUND'), 0)::text)
     FROM admin_approval_request a WHERE a.payment_id = p.id AND a.status = 'PENDING' AND a.requested_at >= now() - make_interval(hours => ${APPROVAL_VALID_HOURS})) AS pending`;

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
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
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

  /** One page (`limit` rows from `offset`) and the per-currency sums of everything the filter matches. */
  async page(f: PaymentFilters, limit: number, offset: number): Promise<{ rows: AdminPaymentRow[]; sums: CurrencySumRow[] }> {
    const { where, params } = conditions(f);
    const from = `FROM payment p JOIN merchant m ON m.id = p.merchant_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    const [rows, sums] = await Promise.all([
      this.db.query(`SELECT ${COLUMNS} ${from} ORDER BY ${ORDER[f.sort]} LIMIT ${limit} OFFSET ${offset}`, params),
      this.db.query(
        `SELECT p.currency, count(*)::int AS n, sum(p.amount)::text AS amount, sum(p.captured_amount)::text AS captured, sum(p.refunded_amount)::text AS refunded ${from} GROUP BY p.currency ORDER BY count(*) DESC, p.currency`,
        params,
      ),
    ]);
    return { rows, sums };
  }

  /**
   * Batches of everything the filter matches made up to `until`, in the list's order, by offset (every sort
   * ends on the row id, so the order is stable).
   */
  async *batches(f: PaymentFilters, until: Date, batch: number): AsyncGenerator<AdminPaymentRow[]> {
    const { where, params } = conditions(f);
    params.push(until);
    where.push(`p.created_at <= $${params.length}`);
    const from = `FROM payment p JOIN merchant m ON m.id = p.merchant_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    for (let offset = 0; ; offset += batch) {
      const rows: AdminPaymentRow[] = await this.db.query(
        `SELECT ${COLUMNS} ${from} ORDER BY ${ORDER[f.sort]} LIMIT ${batch} OFFSET ${offset}`,
        params,
      );
      yield rows;
      if (rows.length < batch) return;
    }
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
