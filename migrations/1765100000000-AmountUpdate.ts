import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental authorization (Antom's payments/updateAmount): one row per update request, holding the new
 * authorized total it asks for. At most one update of a payment is in flight (PROCESSING) at a time.
 */
export class AmountUpdate1765100000000 implements MigrationInterface {
  name = 'AmountUpdate1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE amount_update (
        id uuid PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        update_request_id varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        previous_amount bigint NOT NULL CHECK (previous_amount > 0),
        status varchar(16) NOT NULL,
        result_status char(1),
        result_code varchar(64),
        result_message varchar(256),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT amount_update_request_unique UNIQUE (merchant_id, update_request_id),
        CONSTRAINT amount_update_raises CHECK (amount > previous_amount)
      )`);
    await q.query(`CREATE INDEX amount_update_payment_idx ON amount_update (payment_id)`);
    // The invariant the service keeps under the payment's row lock, kept by the database as well.
    await q.query(`CREATE UNIQUE INDEX amount_update_one_in_flight ON amount_update (payment_id) WHERE status = 'PROCESSING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS amount_update`);
  }
}
