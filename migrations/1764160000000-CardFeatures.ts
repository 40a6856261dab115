import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-merchant AVS/CVV policy (ACCEPT, REVIEW or VOID a manual-capture authorization whose checks fail). */
export class CardFeatures1764160000000 implements MigrationInterface {
  name = 'CardFeatures1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE merchant ADD COLUMN avs_policy varchar(8) NOT NULL DEFAULT 'ACCEPT' CHECK (avs_policy IN ('ACCEPT', 'REVIEW', 'VOID'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE merchant DROP COLUMN avs_policy`);
  }
}
