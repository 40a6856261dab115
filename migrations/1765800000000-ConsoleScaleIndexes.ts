import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 26: the console at a year's data. Each index fits one of the payments list's filters or sort orders
 * (src/admin/payments/admin-payments.repository.ts: conditions and the keyset segments), so a page is an
 * index range scan from its cursor, ordered as the page is, and stops after its rows. Measured with
 * `npm run bench:scale` at 1,000,000 payments (docs/performance.md, "Console at a year's data"): before,
 * the list 3.2 s, a status filter 3.0 s, a last-4 search 1.5 s (OFFSET, a sort of every match, an exact
 * count and sums over every match).
 *
 * - payment_console_created_idx (created_at, id): newest / oldest first, the date range, and the ordered scan
 *   a common value of any filter is read along (a page of FAILED, 9 %, reads about 570 rows of it).
 * - payment_console_status_idx (status, created_at, id): a status filter, newest first.
 * - payment_console_merchant_idx (merchant_id, created_at, id): a merchant filter, newest first.
 * - payment_console_amount_idx (currency, amount, created_at, id): "largest amount first" per currency, the
 *   currency filter and an amount range within it, and the next-currency probe (min(currency) > $1).
 * - payment_console_last4_idx (card_last4, created_at, id) and payment_console_bin_idx (card_bin
 *   varchar_pattern_ops, created_at): the masked card search (BIN is a LIKE prefix: pattern ops).
 * - payment_console_brand_idx (card_brand, created_at, id): a brand with few payments (or none) is otherwise
 *   a scan of the whole table: 0.65 s for the page and 0.46 s for the count of a brand with none at 1,000,000,
 *   1.5 s sorted by amount.
 * - payment_console_request_id_idx (payment_request_id): the id search matches payment_id (unique already)
 *   or the merchant's request id, which was indexed only behind merchant_id.
 * - payment_console_reference_idx (reference_order_id): the order search.
 * - payment_console_expiry_idx (coalesce(auth_expiry_time, 'infinity'), id) over the capturable payments:
 *   "authorization expiring first" (the expression is the keyset's, word for word).
 *
 * Built CONCURRENTLY (no lock that stops pays while a large table is indexed), hence outside a transaction.
 * A build that died leaves an INVALID index behind: it is dropped and built again.
 */
const INDEXES: Array<[string, string]> = [
  ['payment_console_created_idx', 'payment (created_at, id)'],
  ['payment_console_status_idx', 'payment (status, created_at, id)'],
  ['payment_console_merchant_idx', 'payment (merchant_id, created_at, id)'],
  ['payment_console_amount_idx', 'payment (currency, amount, created_at, id)'],
  ['payment_console_last4_idx', 'payment (card_last4, created_at, id) WHERE card_last4 IS NOT NULL'],
  ['payment_console_bin_idx', 'payment (card_bin varchar_pattern_ops, created_at) WHERE card_bin IS NOT NULL'],
  ['payment_console_brand_idx', 'payment (card_brand, created_at, id) WHERE card_brand IS NOT NULL'],
  ['payment_console_request_id_idx', 'payment (payment_request_id)'],
  ['payment_console_reference_idx', 'payment (reference_order_id) WHERE reference_order_id IS NOT NULL'],
  [
    'payment_console_expiry_idx',
    `payment ((coalesce(auth_expiry_time, 'infinity'::timestamptz)), id) WHERE status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`,
  ],
];

export class ConsoleScaleIndexes1765800000000 implements MigrationInterface {
  name = 'ConsoleScaleIndexes1765800000000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    for (const [name, on] of INDEXES) {
      const [state] = await q.query(`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`, [
        name,
      ]);
      if (state?.valid) continue;
      if (state) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON ${on}`);
    }
    await q.query('ANALYZE payment');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }
}
