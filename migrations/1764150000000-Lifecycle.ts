import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Captures, refunds, inbound notification dedupe and the outbound merchant-notification outbox.
 * The outbox rows are their own queue: workers claim due rows with FOR UPDATE SKIP LOCKED, so several
 * gateway instances deliver each attempt exactly once.
 */
export class Lifecycle1764150000000 implements MigrationInterface {
  name = 'Lifecycle1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE capture (
        id uuid PRIMARY KEY,
        capture_id varchar(64) NOT NULL UNIQUE,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        capture_request_id varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        is_last boolean NOT NULL DEFAULT false,
        automatic boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL,
        upstream_capture_id varchar(64),
        result_status char(1),
        result_code varchar(64),
        result_message varchar(256),
        capture_time timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT capture_request_unique UNIQUE (merchant_id, capture_request_id)
      )`);
    await q.query(`CREATE INDEX capture_payment_idx ON capture (payment_id)`);
    await q.query(`CREATE INDEX capture_open_idx ON capture (status, updated_at) WHERE status IN ('PROCESSING', 'UNKNOWN')`);
    await q.query(`
      CREATE TABLE refund (
        id uuid PRIMARY KEY,
        refund_id varchar(64) NOT NULL UNIQUE,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        refund_request_id varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        reason varchar(256),
        notify_url varchar(2048),
        status varchar(16) NOT NULL,
        upstream_refund_id varchar(64),
        result_status char(1),
        result_code varchar(64),
        result_message varchar(256),
        refund_time timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refund_request_unique UNIQUE (merchant_id, refund_request_id)
      )`);
    await q.query(`CREATE INDEX refund_payment_idx ON refund (payment_id)`);
    await q.query(`CREATE INDEX refund_open_idx ON refund (status, updated_at) WHERE status = 'PROCESSING'`);
    await q.query(
      `ALTER TABLE payment ADD COLUMN cancel_requested_at timestamptz, ADD COLUMN cancel_time timestamptz, ADD COLUMN next_reconcile_at timestamptz`,
    );
    await q.query(`CREATE INDEX payment_reconcile_idx ON payment (next_reconcile_at) WHERE next_reconcile_at IS NOT NULL`);
    await q.query(`CREATE INDEX payment_auth_expiry_idx ON payment (auth_expiry_time) WHERE status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED')`);
    await q.query(`ALTER TABLE merchant ADD COLUMN auth_expiry_policy varchar(16) NOT NULL DEFAULT 'EXPIRE'`);
    await q.query(`
      CREATE TABLE notification_in (
        dedupe_key varchar(200) PRIMARY KEY,
        notify_type varchar(32) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE merchant_notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        notify_type varchar(32) NOT NULL,
        dedupe_key varchar(200) NOT NULL UNIQUE,
        url varchar(2048) NOT NULL,
        body text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'PENDING',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error varchar(256),
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX merchant_notification_due_idx ON merchant_notification (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE TABLE notification_attempt (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES merchant_notification(id) ON DELETE CASCADE,
        attempt int NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        http_status int,
        outcome varchar(16) NOT NULL,
        error varchar(256),
        duration_ms int NOT NULL
      )`);
    await q.query(`CREATE INDEX notification_attempt_idx ON notification_attempt (notification_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['notification_attempt', 'merchant_notification', 'notification_in', 'refund', 'capture'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`ALTER TABLE payment DROP COLUMN cancel_requested_at, DROP COLUMN cancel_time, DROP COLUMN next_reconcile_at`);
    await q.query(`ALTER TABLE merchant DROP COLUMN auth_expiry_policy`);
  }
}
