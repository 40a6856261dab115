import { Queryable, runPrepared } from '../platform/database/prepared';
import { sql } from '../platform/database/sql';
import { Capture } from './capture.entity';
import { PaymentStatus } from './payment-status';

/** The payment columns automatic capture needs, read in one statement. */
export interface AutoCaptureTarget {
  id: string;
  paymentId: string;
  merchantId: string;
  status: PaymentStatus;
  captureMode: 'AUTOMATIC' | 'MANUAL';
  currency: string;
  authorizedAmount: bigint;
  capturedAmount: bigint;
  paymentNotifyUrl: string | null;
}

/** The row COLUMNS selects: every column but the notify URL is NOT NULL in the payment table. */
interface TargetRow {
  id: string;
  payment_id: string;
  merchant_id: string;
  status: string;
  capture_mode: string;
  currency: string;
  authorized_amount: string;
  captured_amount: string;
  payment_notify_url: string | null;
}

const COLUMNS = `id, payment_id, merchant_id, status, capture_mode, currency, authorized_amount::text AS authorized_amount,
  captured_amount::text AS captured_amount, payment_notify_url`;

/** By our id, or by the acquirer's paymentId (all a capture notification carries for an automatic capture). */
export async function findAutoCaptureTarget(db: Queryable, by: { id: string } | { upstreamPaymentId: string }): Promise<AutoCaptureTarget | null> {
  // Prepared: every automatic-capture notification of a pay reads it (issue 27).
  const rows =
    'id' in by
      ? await runPrepared<TargetRow>(db, sql(`SELECT ${COLUMNS} FROM payment WHERE id = $1`, [by.id]))
      : await runPrepared<TargetRow>(db, sql(`SELECT ${COLUMNS} FROM payment WHERE upstream_payment_id = $1 LIMIT 1`, [by.upstreamPaymentId]));
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    paymentId: r.payment_id,
    merchantId: r.merchant_id,
    status: r.status as PaymentStatus,
    captureMode: r.capture_mode as 'AUTOMATIC' | 'MANUAL',
    currency: r.currency,
    authorizedAmount: BigInt(r.authorized_amount),
    capturedAmount: BigInt(r.captured_amount),
    paymentNotifyUrl: r.payment_notify_url,
  };
}

/** Only a settled automatic-capture payment with nothing captured yet takes the acquirer's capture. */
export function awaitsAutomaticCapture(t: AutoCaptureTarget): boolean {
  return t.captureMode === 'AUTOMATIC' && t.status === 'SUCCEEDED' && t.capturedAmount === 0n;
}

/** A merchant notice as the booking statement writes it (built by settlement's merchant-notices). */
export interface BookedNotice {
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

/** A failed automatic capture, on the timeline only (nothing was captured). */
export async function recordAutomaticCaptureFailure(db: Queryable, t: AutoCaptureTarget, resultCode: unknown): Promise<void> {
  await db.query(
    `INSERT INTO payment_event (payment_id, type, from_status, to_status, detail) VALUES ($1, 'AUTO_CAPTURE_FAILED', $2, $2, $3::jsonb)`,
    [t.id, t.status, JSON.stringify({ resultCode })],
  );
}

/**
 * captureMode AUTOMATIC: the acquirer's capture notification is the bookkeeping of the capture. Written
 * as ONE statement (a data-modifying CTE, so atomic without BEGIN/COMMIT): the payment UPDATE is the
 * gate — guarded by status and captured_amount = 0, it matches once however many copies of the
 * notification race (PostgreSQL re-checks the guard on the locked row) — and the capture row, its
 * timeline events and the merchant notice are written only from the row it returned. Returns whether
 * this call booked it.
 */
export async function bookAutomaticCapture(db: Queryable, t: AutoCaptureTarget, c: Capture, notice: BookedNotice): Promise<boolean> {
  // Prepared: the largest statement of a pay's notification path, planned once per connection.
  const rows = await runPrepared<{ booked: number }>(
    db,
    sql(
      `WITH u AS (
       UPDATE payment SET captured_amount = $3::bigint, updated_at = now()
       WHERE id = $1 AND status = 'SUCCEEDED' AND capture_mode = 'AUTOMATIC' AND captured_amount = 0 AND authorized_amount = $2::bigint
       RETURNING id, merchant_id
     ), c AS (
       INSERT INTO capture (id, capture_id, merchant_id, payment_id, capture_request_id, request_hash, currency, amount, is_last, automatic,
         status, upstream_capture_id, result_status, result_code, result_message, capture_time, acquirer_reference_no)
       SELECT $4::uuid, $5::varchar, merchant_id, id, $6::varchar, $7::char(64), $8::char(3), $3::bigint, true, true, 'SUCCESS', $9::varchar, 'S', 'SUCCESS', 'success.', $10::timestamptz, $15::varchar FROM u
       RETURNING payment_id
     ), n AS (
       INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, next_attempt_at)
       SELECT merchant_id, id, 'CAPTURE_RESULT', $11::varchar, $12::varchar, $13::text, now() FROM u WHERE $12::varchar IS NOT NULL
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING payment_id
     ), e AS (
       INSERT INTO payment_event (payment_id, type, from_status, to_status, detail)
       SELECT payment_id, type, from_status, to_status, detail FROM (
         SELECT 1 AS ord, payment_id, 'CAPTURED' AS type, 'SUCCEEDED' AS from_status, 'SUCCEEDED' AS to_status, $14::jsonb AS detail FROM c
         UNION ALL
         SELECT 2, payment_id, 'NOTIFICATION_QUEUED', NULL, NULL, '{"notifyType":"CAPTURE_RESULT"}'::jsonb FROM n
       ) x ORDER BY ord
     )
     SELECT count(*)::int AS booked FROM c`,
      [
        t.id,
        t.authorizedAmount.toString(),
        c.amount.toString(),
        c.id,
        c.captureId,
        c.captureRequestId,
        c.requestHash,
        c.currency,
        c.upstreamCaptureId,
        c.captureTime,
        notice.dedupeKey,
        notice.url,
        JSON.stringify(notice.payload),
        JSON.stringify({ captureRequestId: c.captureRequestId, amount: c.amount.toString(), automatic: true }),
        c.acquirerReferenceNo ?? null,
      ],
    ),
  );
  return rows[0]?.booked === 1;
}
