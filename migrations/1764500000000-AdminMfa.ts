import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admin second factor: a TOTP secret waiting in the session until its first code proves the authenticator
 * has it (it reaches admin_user only then), and one-time recovery codes, stored as SHA-256 of 80 random bits.
 */
export class AdminMfa1764500000000 implements MigrationInterface {
  name = 'AdminMfa1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_session ADD COLUMN totp_pending varchar(64)`);
    await q.query(`
      CREATE TABLE admin_recovery_code (
        user_id uuid NOT NULL REFERENCES admin_user(id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS admin_recovery_code`);
    await q.query(`ALTER TABLE admin_session DROP COLUMN IF EXISTS totp_pending`);
  }
}
