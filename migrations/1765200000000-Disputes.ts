import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disputes (chargebacks) the acquirer reports with notifyDispute. One row per acquirer dispute id; the
 * merchant sees the gateway's own `dispute_id` (gwd_…), never the acquirer's. Amounts in minor units.
 * Defence documents are forwarded, never stored: only their SHA-256, size and format are kept.
 */
export class Disputes1765200000000 implements MigrationInterface {
  name = 'Disputes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dispute (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dispute_id varchar(64) NOT NULL UNIQUE,
        upstream_dispute_id varchar(64) NOT NULL UNIQUE,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        status varchar(24) NOT NULL,
        dispute_type varchar(32),
        reason_code varchar(64),
        reason_msg varchar(256),
        currency char(3),
        amount bigint CHECK (amount IS NULL OR amount >= 0),
        judged_currency char(3),
        judged_amount bigint CHECK (judged_amount IS NULL OR judged_amount >= 0),
        judged_result varchar(32),
        defendable boolean,
        defense_due_at timestamptz,
        dispute_time timestamptz,
        resolved_at timestamptz,
        last_notification varchar(32) NOT NULL,
        accept_sent_at timestamptz,
        accept_response jsonb,
        defense_sent_sha256 char(64),
        defense_sha256 char(64),
        defense_bytes int,
        defense_format varchar(8),
        defense_response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dispute_payment_idx ON dispute (payment_id)`);
    await q.query(`CREATE INDEX dispute_due_idx ON dispute (defense_due_at NULLS LAST, created_at)`);
    await q.query(`CREATE INDEX dispute_merchant_idx ON dispute (merchant_id, status)`);
    // An operator's acceptance concedes the disputed amount: four-eyes like a refund (admin/actions).
    await q.query(`ALTER TABLE admin_approval_request DROP CONSTRAINT IF EXISTS admin_approval_request_action_check`);
    await q.query(
      `ALTER TABLE admin_approval_request ADD CONSTRAINT admin_approval_request_action_check CHECK (action IN ('CAPTURE', 'REFUND', 'ACCEPT_DISPUTE'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM admin_approval_request WHERE action = 'ACCEPT_DISPUTE'`);
    await q.query(`ALTER TABLE admin_approval_request DROP CONSTRAINT IF EXISTS admin_approval_request_action_check`);
    await q.query(`ALTER TABLE admin_approval_request ADD CONSTRAINT admin_approval_request_action_check CHECK (action IN ('CAPTURE', 'REFUND'))`);
    await q.query(`DROP TABLE IF EXISTS dispute`);
  }
}
