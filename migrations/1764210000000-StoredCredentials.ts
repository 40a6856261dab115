import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Card-on-file consent and the scheme's network transaction id of the first customer-initiated payment,
 * which every later merchant-initiated payment must quote. Neither is card data.
 */
export class StoredCredentials1764210000000 implements MigrationInterface {
  name = 'StoredCredentials1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE card ADD COLUMN consent_at timestamptz, ADD COLUMN network_transaction_id varchar(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE card DROP COLUMN consent_at, DROP COLUMN network_transaction_id`);
  }
}
