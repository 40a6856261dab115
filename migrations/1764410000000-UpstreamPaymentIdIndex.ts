import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An automatic capture's notification names the payment only by the acquirer's paymentId: without this
 * index every CAPTURE_RESULT scanned the whole payment table.
 */
export class UpstreamPaymentIdIndex1764410000000 implements MigrationInterface {
  name = 'UpstreamPaymentIdIndex1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS payment_upstream_payment_id_idx ON payment (upstream_payment_id) WHERE upstream_payment_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS payment_upstream_payment_id_idx`);
  }
}
