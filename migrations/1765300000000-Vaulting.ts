import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Antom's vaulting APIs (vaults/createVaultingSession, vaultPaymentMethod, inquireVaulting, notifyVaulting).
 * - `vaulting`: one merchant vaulting request, idempotent on (merchant, vaultingRequestId); holds only the
 *   masked answer (`payment_method_detail`: token, brand, BIN, last four), never card data.
 * - `card_collect_session.framed`: false for a vaulting session's page, which the buyer opens top level
 *   (normalUrl) and which no site may frame; `redirect_url` is where it sends the buyer afterwards.
 * - `merchant_notification` carries either a payment's notice or a vaulting's (`vaulting_id`), never both.
 */
export class Vaulting1765300000000 implements MigrationInterface {
  name = 'Vaulting1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE card_collect_session ADD COLUMN framed boolean NOT NULL DEFAULT true, ADD COLUMN redirect_url varchar(2048)`);
    await q.query(`
      CREATE TABLE vaulting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchant(id) ON DELETE CASCADE,
        vaulting_request_id varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        source varchar(16) NOT NULL CHECK (source IN ('SESSION', 'DIRECT')),
        status varchar(16) NOT NULL DEFAULT 'PROCESSING' CHECK (status IN ('PROCESSING', 'SUCCESS', 'FAIL')),
        session_id varchar(64) REFERENCES card_collect_session(id) ON DELETE SET NULL,
        session_expires_at timestamptz,
        card_id uuid REFERENCES card(id) ON DELETE SET NULL,
        payment_method_detail jsonb,
        notify_url varchar(2048),
        redirect_url varchar(2048),
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        UNIQUE (merchant_id, vaulting_request_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX vaulting_session_idx ON vaulting (session_id) WHERE session_id IS NOT NULL`);
    await q.query(`ALTER TABLE merchant_notification ALTER COLUMN payment_id DROP NOT NULL`);
    await q.query(`ALTER TABLE merchant_notification ADD COLUMN vaulting_id uuid REFERENCES vaulting(id) ON DELETE CASCADE`);
    await q.query(
      `ALTER TABLE merchant_notification ADD CONSTRAINT merchant_notification_one_subject CHECK (num_nonnulls(payment_id, vaulting_id) = 1)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM merchant_notification WHERE vaulting_id IS NOT NULL`);
    await q.query(`ALTER TABLE merchant_notification DROP CONSTRAINT IF EXISTS merchant_notification_one_subject`);
    await q.query(`ALTER TABLE merchant_notification DROP COLUMN IF EXISTS vaulting_id`);
    await q.query(`ALTER TABLE merchant_notification ALTER COLUMN payment_id SET NOT NULL`);
    await q.query(`DROP TABLE IF EXISTS vaulting`);
    await q.query(`ALTER TABLE card_collect_session DROP COLUMN IF EXISTS redirect_url, DROP COLUMN IF EXISTS framed`);
  }
}
