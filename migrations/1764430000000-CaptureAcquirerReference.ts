import { MigrationInterface, QueryRunner } from 'typeorm';

/** The acquirer's reference number of a capture (Antom's `acquirerReferenceNo`), returned to the merchant. */
export class CaptureAcquirerReference1764430000000 implements MigrationInterface {
  name = 'CaptureAcquirerReference1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capture ADD COLUMN IF NOT EXISTS acquirer_reference_no varchar(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capture DROP COLUMN IF EXISTS acquirer_reference_no`);
  }
}
