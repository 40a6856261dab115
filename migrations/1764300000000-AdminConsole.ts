import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console: per-person accounts, server-side sessions (shared by every gateway instance),
 * per-role amount limits, four-eyes approval requests, and the hash-chained, append-only audit log.
 */
export class AdminConsole1764300000000 implements MigrationInterface {
  name = 'AdminConsole1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL UNIQUE,
        display_name varchar(128) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash varchar(255) NOT NULL,
        must_change_password boolean NOT NULL DEFAULT true,
        totp_secret varchar(64),
        totp_last_step bigint,
        failed_attempts int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled boolean NOT NULL DEFAULT false,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The cookie holds a random token; only its SHA-256 is stored, so a database read grants no session.
    await q.query(`
      CREATE TABLE admin_session (
        id_hash char(64) PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES admin_user(id) ON DELETE CASCADE,
        csrf_token varchar(64) NOT NULL,
        stage varchar(16) NOT NULL CHECK (stage IN ('MFA', 'ACTIVE')),
        ip varchar(64),
        user_agent varchar(256),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX admin_session_user_idx ON admin_session (user_id)`);
    await q.query(`
      CREATE TABLE admin_role_limit (
        role varchar(16) NOT NULL CHECK (role IN ('operator', 'admin')),
        currency char(3) NOT NULL,
        max_amount bigint NOT NULL CHECK (max_amount > 0),
        updated_by uuid REFERENCES admin_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (role, currency)
      )`);
    await q.query(`
      CREATE TABLE admin_approval_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action varchar(16) NOT NULL CHECK (action IN ('CAPTURE', 'REFUND')),
        payment_id uuid NOT NULL REFERENCES payment(id),
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        request_id varchar(64) NOT NULL UNIQUE,
        params jsonb,
        status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'EXECUTING', 'EXECUTED', 'FAILED', 'UNKNOWN', 'REJECTED')),
        requested_by uuid NOT NULL REFERENCES admin_user(id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES admin_user(id),
        decided_at timestamptz,
        result jsonb,
        CONSTRAINT admin_approval_four_eyes CHECK (decided_by IS NULL OR decided_by <> requested_by)
      )`);
    await q.query(`CREATE INDEX admin_approval_status_idx ON admin_approval_request (status, requested_at)`);
    await q.query(`CREATE INDEX admin_approval_payment_idx ON admin_approval_request (payment_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigint PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_id uuid,
        actor varchar(128) NOT NULL,
        action varchar(64) NOT NULL,
        target varchar(128),
        ip varchar(64),
        outcome varchar(16) NOT NULL,
        detail jsonb,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target, id)`);
    // One row: the chain's head. Appenders lock it (SELECT ... FOR UPDATE), so appends are serialized
    // across every gateway instance, and it lets the verifier notice rows cut off the end.
    await q.query(`
      CREATE TABLE audit_chain_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        last_id bigint NOT NULL,
        last_hash char(64) NOT NULL
      )`);
    await q.query(`INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, repeat('0', 64))`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.last_id <> OLD.last_id + 1 THEN RAISE EXCEPTION 'audit chain head only moves forward by one'; END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_chain_head`);
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS audit_chain_head_forward_only()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_log_refuse_change()`);
    for (const t of ['admin_approval_request', 'admin_role_limit', 'admin_session', 'admin_user']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
