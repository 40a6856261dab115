import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What reconciliation and support ask about a payment beside its ids: the order description, the buyer's
 * own id at the merchant and the client IP the merchant reported. All three are free text screened for
 * card numbers at the edge (src/antom/requests/card-number-fields.ts) before they are stored.
 */
export class PaymentOrderContext1765400000000 implements MigrationInterface {
  name = 'PaymentOrderContext1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment ADD COLUMN IF NOT EXISTS order_description varchar(256),
      ADD COLUMN IF NOT EXISTS reference_buyer_id varchar(64), ADD COLUMN IF NOT EXISTS client_ip varchar(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE payment DROP COLUMN IF EXISTS order_description, DROP COLUMN IF EXISTS reference_buyer_id, DROP COLUMN IF EXISTS client_ip`,
    );
  }
}
