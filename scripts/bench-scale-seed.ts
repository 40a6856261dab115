/**
 * The scale bench's data: a year of a card gateway's traffic, made on the server by generate_series (no row
 * crosses the wire), so a million payments take about a minute. Deterministic from the row number: every run
 * seeds the same shape. What the console filters on has a realistic spread:
 * - 12 merchants of uneven size (the biggest about a quarter of the payments, the smallest under 1 %);
 * - created_at over the last 365 days, evenly (newest first is the list's default order);
 * - statuses as a year leaves them: mostly SUCCEEDED and CAPTURED; AUTHORIZED / PARTIALLY_CAPTURED only in the
 *   last 7 days (older ones EXPIRED), about 9 % FAILED, refunds, cancels, a few UNKNOWN;
 * - 8 currencies (EUR 60 %, USD 20 %, GBP 8 %, JPY 5 % …), amounts 1.00–500.00;
 * - 24 BINs across Visa, Mastercard and Amex, last 4 spread over 10,000 values (about 100 payments each);
 * - the timeline: 2–4 payment_event rows per payment; a capture row per manual capture, refund rows, a dispute
 *   on about 0.3 % of the settled payments, a merchant notification per finished payment (0.5 % failing).
 */
import { Client } from 'pg';

export const MERCHANTS = 12;
const BINS =
  '411111 424242 400005 445566 476173 491761 402400 453201 41173478 43050012 555555 510510 522222 540000 545454 520082 53999912 222300 378282 371449 340000 370000 376400 345678'.split(
    ' ',
  );

/** Seeds `n` payments (and their rows) into an empty console: does nothing when they are already there. */
export async function seedScale(url: string, n: number, log: (s: string) => void): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const [{ have }] = (await c.query(`SELECT count(*)::int AS have FROM payment WHERE payment_request_id LIKE 'scale\\_%'`)).rows;
    if (have >= n) return log(`seed: ${have.toLocaleString('en-US')} scale payments already there`);
    if (have > 0) throw new Error(`seed: ${have} scale payments of another run (want ${n}): remove the bench's data dir and start again`);
    await c.query(`SET synchronous_commit = off`);
    await c.query(`SET maintenance_work_mem = '256MB'`);
    await c.query(`SET statement_timeout = 0`);
    // Bulk load as a restore does: the foreign-key and audit triggers off for this session (the rows are made
    // consistent by construction), the secondary indexes dropped and built again after (a sort each, instead
    // of a million random inserts into each). Measured at 200,000 payments: 65 s for the payments alone with
    // the indexes in place.
    await c.query(`SET session_replication_role = replica`);
    const indexes: Array<{ indexname: string; indexdef: string }> = (
      await c.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('payment', 'payment_event', 'merchant_notification', 'capture', 'refund')
           AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
      )
    ).rows;
    for (const i of indexes) await c.query(`DROP INDEX ${i.indexname}`);
    try {
      await seedRows(c, n, log);
    } finally {
      const t = Date.now();
      for (const i of indexes) await c.query(i.indexdef);
      log(`seed: ${indexes.length} secondary indexes built again in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const t = Date.now();
    await c.query(`VACUUM ANALYZE payment`);
    await c.query(`VACUUM ANALYZE payment_event`);
    await c.query(`ANALYZE`);
    log(`seed: VACUUM ANALYZE in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await c.end();
  }
}

async function seedRows(c: Client, n: number, log: (s: string) => void): Promise<void> {
  {
    const step = async (what: string, sql: string) => {
      const t = Date.now();
      const r = await c.query(sql);
      log(`seed: ${what}: ${(r.rowCount ?? 0).toLocaleString('en-US')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    await step(
      'merchants',
      `INSERT INTO merchant (client_id, name, notify_url)
       SELECT 'SCALE_M' || lpad(k::text, 2, '0'), 'Scale Shop ' || lpad(k::text, 2, '0'), 'https://merchant.invalid/notify' FROM generate_series(1, ${MERCHANTS}) k
       ON CONFLICT (client_id) DO NOTHING`,
    );
    // h: a well-mixed hash of the row number (Knuth's multiplicative), different bits for each property.
    await step(
      'payments',
      `WITH m AS (SELECT array_agg(id ORDER BY client_id) AS ids FROM merchant WHERE client_id LIKE 'SCALE\\_M%'),
       g AS (
         SELECT g, (g::bigint * 2654435761) % 4294967296 AS h,
                now() - interval '365 days' + (interval '365 days' * g / ${n}) AS at
         FROM generate_series(1, ${n}) g
       ),
       s AS (
         SELECT g.*, CASE
             WHEN h % 100 < 55 THEN 'SUCCEEDED' WHEN h % 100 < 67 THEN 'CAPTURED' WHEN h % 100 < 72 THEN 'AUTHORIZED'
             WHEN h % 100 < 74 THEN 'PARTIALLY_CAPTURED' WHEN h % 100 < 78 THEN 'REFUNDED' WHEN h % 100 < 81 THEN 'PARTIALLY_REFUNDED'
             WHEN h % 100 < 90 THEN 'FAILED' WHEN h % 100 < 94 THEN 'CANCELLED' WHEN h % 100 < 97 THEN 'EXPIRED'
             WHEN h % 100 < 98 THEN 'UNKNOWN' ELSE 'PENDING_ACTION' END AS st0,
           CASE WHEN (h / 100) % 100 < 60 THEN 'EUR' WHEN (h / 100) % 100 < 80 THEN 'USD' WHEN (h / 100) % 100 < 88 THEN 'GBP'
             WHEN (h / 100) % 100 < 93 THEN 'JPY' WHEN (h / 100) % 100 < 96 THEN 'SEK' WHEN (h / 100) % 100 < 98 THEN 'CHF'
             WHEN (h / 100) % 100 < 99 THEN 'PLN' ELSE 'DKK' END AS cur,
           100 + (h / 10000) % 49901 AS amt,
           (ARRAY[${BINS.map((b) => `'${b}'`).join(',')}])[1 + (h / 7) % ${BINS.length}] AS bin,
           lpad(((h / 13) % 10000)::text, 4, '0') AS last4,
           1 + floor(sqrt(((h / 17) % ${MERCHANTS * MERCHANTS})::float8))::int AS mk
         FROM g
       ),
       t AS (
         SELECT s.*, CASE WHEN st0 IN ('AUTHORIZED', 'PARTIALLY_CAPTURED') AND at < now() - interval '7 days' THEN 'EXPIRED' ELSE st0 END AS st FROM s
       )
       INSERT INTO payment (id, payment_id, merchant_id, payment_request_id, request_hash, status, capture_mode, currency, amount,
                            authorized_amount, captured_amount, refunded_amount, card_bin, card_last4, card_brand, reference_order_id,
                            payment_notify_url, upstream_payment_id, result_status, result_code, result_message, auth_expiry_time,
                            payment_time, created_at, updated_at)
       SELECT gen_random_uuid(), 'gwp_' || md5('scale' || g), (SELECT ids FROM m)[(${MERCHANTS} + 1) - mk], 'scale_' || g,
              md5(g::text) || md5('r' || g), st, CASE WHEN st = 'SUCCEEDED' THEN 'AUTOMATIC' ELSE 'MANUAL' END, cur, amt,
              CASE WHEN st IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION') THEN 0 ELSE amt END,
              CASE WHEN st IN ('SUCCEEDED', 'CAPTURED', 'REFUNDED', 'PARTIALLY_REFUNDED') THEN amt WHEN st = 'PARTIALLY_CAPTURED' THEN amt / 2 ELSE 0 END,
              CASE WHEN st = 'REFUNDED' THEN amt WHEN st = 'PARTIALLY_REFUNDED' THEN amt / 3 ELSE 0 END,
              bin, last4, CASE left(bin, 1) WHEN '4' THEN 'VISA' WHEN '3' THEN 'AMEX' ELSE 'MASTERCARD' END, 'ORD-' || g,
              'https://merchant.invalid/notify', 'antom_' || md5('u' || g),
              CASE st WHEN 'FAILED' THEN 'F' WHEN 'UNKNOWN' THEN 'U' WHEN 'PENDING_ACTION' THEN 'U' ELSE 'S' END,
              CASE st WHEN 'FAILED' THEN 'CARD_NOT_SUPPORTED' WHEN 'UNKNOWN' THEN 'UNKNOWN_EXCEPTION' WHEN 'PENDING_ACTION' THEN 'PAYMENT_IN_PROCESS' ELSE 'SUCCESS' END,
              CASE st WHEN 'FAILED' THEN 'Card not supported.' ELSE 'Success.' END,
              CASE WHEN st IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION') THEN NULL ELSE at + interval '7 days' END,
              CASE WHEN st IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION') THEN NULL ELSE at + interval '1 second' END,
              at, at + interval '1 second'
       FROM t`,
    );
    // The timeline: CREATED, then the authorization's outcome, then (settled payments) the capture or refund.
    await step(
      'payment_event (timeline)',
      `INSERT INTO payment_event (payment_id, type, from_status, to_status, amount, detail, created_at)
       SELECT p.id, e.type, e.from_status, e.to_status, p.amount, NULL, p.created_at + e.after
       FROM payment p CROSS JOIN LATERAL (VALUES
         (1, 'CREATED', NULL, 'RECEIVED', interval '0'),
         (2, 'STATUS_CHANGE', 'RECEIVED', CASE WHEN p.status IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION') THEN p.status ELSE 'AUTHORIZED' END, interval '1 second'),
         (3, 'STATUS_CHANGE', 'AUTHORIZED', p.status, interval '1 hour'),
         (4, 'REFUND', p.status, p.status, interval '3 days')
       ) AS e(k, type, from_status, to_status, after)
       WHERE p.payment_request_id LIKE 'scale\\_%'
         AND (e.k <= 2 OR (e.k = 3 AND p.status NOT IN ('FAILED', 'UNKNOWN', 'PENDING_ACTION', 'AUTHORIZED')) OR (e.k = 4 AND p.refunded_amount > 0))`,
    );
    await step(
      'capture',
      `INSERT INTO capture (id, capture_id, merchant_id, payment_id, capture_request_id, request_hash, currency, amount, is_last, status, result_status, result_code, capture_time, created_at, updated_at)
       SELECT gen_random_uuid(), 'gwc_' || md5('c' || p.payment_id), p.merchant_id, p.id, 'cap_' || p.payment_request_id, md5(p.payment_id) || md5(p.payment_id),
              p.currency, p.captured_amount, p.status <> 'PARTIALLY_CAPTURED', 'SUCCESS', 'S', 'SUCCESS', p.created_at + interval '1 hour', p.created_at + interval '1 hour', p.created_at + interval '1 hour'
       FROM payment p WHERE p.payment_request_id LIKE 'scale\\_%' AND p.capture_mode = 'MANUAL' AND p.captured_amount > 0`,
    );
    await step(
      'refund',
      `INSERT INTO refund (id, refund_id, merchant_id, payment_id, refund_request_id, request_hash, currency, amount, reason, status, result_status, result_code, refund_time, created_at, updated_at)
       SELECT gen_random_uuid(), 'gwr_' || md5('r' || p.payment_id), p.merchant_id, p.id, 'ref_' || p.payment_request_id, md5(p.payment_id) || md5(p.payment_id),
              p.currency, p.refunded_amount, 'customer request', 'SUCCESS', 'S', 'SUCCESS', p.created_at + interval '3 days', p.created_at + interval '3 days', p.created_at + interval '3 days'
       FROM payment p WHERE p.payment_request_id LIKE 'scale\\_%' AND p.refunded_amount > 0`,
    );
    await step(
      'dispute',
      `INSERT INTO dispute (dispute_id, upstream_dispute_id, merchant_id, payment_id, status, dispute_type, reason_code, currency, amount, defense_due_at, dispute_time, last_notification, created_at, updated_at)
       SELECT 'gwd_' || md5('d' || p.payment_id), 'antom_d_' || md5('d' || p.payment_id), p.merchant_id, p.id,
              CASE WHEN p.created_at < now() - interval '60 days' THEN 'LOST' ELSE 'OPEN' END, 'CHARGEBACK', '10.4', p.currency, p.amount,
              p.created_at + interval '40 days', p.created_at + interval '20 days', 'DISPUTE_CREATED', p.created_at + interval '20 days', p.created_at + interval '20 days'
       FROM payment p WHERE p.payment_request_id LIKE 'scale\\_%' AND p.status IN ('SUCCEEDED', 'CAPTURED') AND ('x' || substr(md5(p.payment_id), 1, 8))::bit(32)::int % 333 = 0`,
    );
    await step(
      'merchant_notification',
      `INSERT INTO merchant_notification (merchant_id, payment_id, notify_type, dedupe_key, url, body, status, attempts, next_attempt_at, last_error, delivered_at, created_at)
       SELECT p.merchant_id, p.id, 'PAYMENT_RESULT', 'PAYMENT_RESULT:' || p.payment_id, p.payment_notify_url,
              '{"notifyType":"PAYMENT_RESULT","paymentId":"' || p.payment_id || '"}',
              CASE WHEN f THEN 'FAILED' ELSE 'DELIVERED' END, CASE WHEN f THEN 8 ELSE 1 END, NULL,
              CASE WHEN f THEN 'HTTP 500' END, CASE WHEN f THEN NULL ELSE p.created_at + interval '2 seconds' END, p.created_at + interval '1 second'
       FROM (SELECT p.*, ('x' || substr(md5(p.payment_id), 9, 8))::bit(32)::int % 200 = 0 AS f FROM payment p
             WHERE p.payment_request_id LIKE 'scale\\_%' AND p.status NOT IN ('UNKNOWN', 'PENDING_ACTION')) p`,
    );
  }
}
