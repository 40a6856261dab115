import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PCI DSS 8.3.7, 8.2.6, 10.3:
 * - `previous_password_hashes`: argon2 hashes of the last three passwords before the current one (with it,
 *   the last four), newest first; a new password matching any of them is refused.
 * - `enabled_at`: when an administrator last (re-)enabled the account; inactivity (90 days) counts from the
 *   latest of creation, last sign-in and this, so a re-enabled account gets its 90 days again.
 * - `audit_chain_head.keyed_from`: the migration marker of the keyed chain. Rows before it keep their
 *   unkeyed SHA-256 (v1) and are verified as such; every row from it on is HMAC-SHA256 under the audit key
 *   (v2), which lives outside the database. It never changes once set (the head's trigger says so).
 */
export class AccessControlAudit1765720000000 implements MigrationInterface {
  name = 'AccessControlAudit1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_user ADD COLUMN IF NOT EXISTS previous_password_hashes text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE admin_user ADD COLUMN IF NOT EXISTS enabled_at timestamptz`);
    await q.query(`ALTER TABLE audit_chain_head ADD COLUMN IF NOT EXISTS keyed_from bigint`);
    // The forward-only trigger refuses an update that does not append; the marker is set once, here, with it off.
    await q.query(`ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_forward`);
    await q.query(`UPDATE audit_chain_head SET keyed_from = last_id + 1 WHERE keyed_from IS NULL`);
    await q.query(`ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_forward`);
    await q.query(`ALTER TABLE audit_chain_head ALTER COLUMN keyed_from SET NOT NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_id <> OLD.last_id + 1 THEN RAISE EXCEPTION 'audit chain head only moves forward by one'; END IF;
        IF NEW.keyed_from <> OLD.keyed_from THEN RAISE EXCEPTION 'the keyed-chain marker never moves'; END IF;
        RETURN NEW;
      END $$`);
    // 10.3.2: no role but the owner may even try to change or remove audit rows (the triggers refuse anyway): a
    // grant the operator's default privileges gave an application role (docs/security.md) is taken back here.
    await q.query(`
      DO $$
      DECLARE g record;
      BEGIN
        FOR g IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                 WHERE table_schema = current_schema() AND table_name = 'audit_log'
                   AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> current_user AND grantee <> 'PUBLIC'
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', g.grantee);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_id <> OLD.last_id + 1 THEN RAISE EXCEPTION 'audit chain head only moves forward by one'; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`ALTER TABLE audit_chain_head DROP COLUMN IF EXISTS keyed_from`);
    await q.query(`ALTER TABLE admin_user DROP COLUMN IF EXISTS enabled_at`);
    await q.query(`ALTER TABLE admin_user DROP COLUMN IF EXISTS previous_password_hashes`);
  }
}
