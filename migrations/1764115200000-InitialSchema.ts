import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's first schema. Card data lives only in `card` and `card_secret`, and only as
 * AES-256-GCM ciphertext (bytea); every other table holds masked card views at most.
 */
export class InitialSchema1764115200000 implements MigrationInterface {
  name = 'InitialSchema1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id varchar(64) NOT NULL UNIQUE,
        name varchar(128) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'ACTIVE',
        notify_url varchar(2048),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE merchant_key (
        merchant_id uuid NOT NULL REFERENCES merchant(id) ON DELETE CASCADE,
        key_version int NOT NULL,
        public_key_pem text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, key_version)
      )`);
    await q.query(`
      CREATE TABLE card (
        id uuid PRIMARY KEY,
        token varchar(64) NOT NULL UNIQUE,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        kek_version int NOT NULL,
        wrapped_dek bytea NOT NULL,
        pan_enc bytea NOT NULL,
        expiry_enc bytea NOT NULL,
        holder_enc bytea,
        fingerprint char(64) NOT NULL,
        bin varchar(8) NOT NULL,
        last4 char(4) NOT NULL,
        brands varchar(24)[] NOT NULL,
        on_file boolean NOT NULL DEFAULT false,
        token_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX card_fingerprint_idx ON card (merchant_id, fingerprint)`);
    await q.query(`CREATE INDEX card_kek_version_idx ON card (kek_version)`);
    await q.query(`
      CREATE TABLE card_secret (
        card_id uuid PRIMARY KEY REFERENCES card(id) ON DELETE CASCADE,
        cvv_enc bytea NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE payment (
        id uuid PRIMARY KEY,
        payment_id varchar(64) NOT NULL UNIQUE,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        payment_request_id varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        status varchar(24) NOT NULL,
        capture_mode varchar(16) NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        authorized_amount bigint NOT NULL DEFAULT 0,
        captured_amount bigint NOT NULL DEFAULT 0,
        refunded_amount bigint NOT NULL DEFAULT 0,
        card_id uuid REFERENCES card(id) ON DELETE SET NULL,
        card_bin varchar(8),
        card_last4 char(4),
        card_brand varchar(24),
        reference_order_id varchar(64),
        payment_notify_url varchar(2048),
        payment_redirect_url varchar(2048),
        upstream_payment_id varchar(64),
        result_status char(1),
        result_code varchar(64),
        result_message varchar(256),
        payment_result_info jsonb,
        action jsonb,
        auth_expiry_time timestamptz,
        payment_time timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_request_unique UNIQUE (merchant_id, payment_request_id),
        CONSTRAINT payment_amounts_sane CHECK (captured_amount <= authorized_amount AND refunded_amount <= captured_amount)
      )`);
    await q.query(`CREATE INDEX payment_status_idx ON payment (status, updated_at)`);
    await q.query(`
      CREATE TABLE payment_event (
        id bigserial PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payment(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        from_status varchar(24),
        to_status varchar(24),
        amount bigint,
        detail jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payment_event_payment_idx ON payment_event (payment_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['payment_event', 'payment', 'card_secret', 'card', 'merchant_key', 'merchant']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
