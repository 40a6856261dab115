import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vault: key rotation, tokens and the hosted collection page.
 *
 * - `card.field_key_version`: the KEK version named in the fields' AAD, fixed when the record is written.
 *   Rotation re-wraps only the data key (`kek_version`, `wrapped_dek`); the field ciphertexts stay as they are.
 * - `card.consumed_at`: a one-time token is spent by the first payment that uses it.
 * - `card.buyer_env`: browserInfo and clientIp gathered by the hosted page (no card data), used as `env`.
 * - `vault_key_event`: append-only audit of key actions (never key bytes); UPDATE/DELETE are refused.
 * - `merchant.collect_origins`: the parent origins allowed to frame the hosted page (CSP frame-ancestors).
 * - `card_collect_session`: a merchant-created, short-lived session for one hosted-page card entry.
 */
export class VaultTokens1764200000000 implements MigrationInterface {
  name = 'VaultTokens1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE card ADD COLUMN field_key_version int`);
    await q.query(`UPDATE card SET field_key_version = kek_version`);
    await q.query(`ALTER TABLE card ALTER COLUMN field_key_version SET NOT NULL`);
    await q.query(`ALTER TABLE card ADD COLUMN consumed_at timestamptz`);
    await q.query(`ALTER TABLE card ADD COLUMN buyer_env jsonb`);
    await q.query(`CREATE INDEX card_token_expiry_idx ON card (token_expires_at) WHERE token_expires_at IS NOT NULL`);
    await q.query(`CREATE INDEX card_secret_expiry_idx ON card_secret (expires_at)`);
    await q.query(`
      CREATE TABLE vault_key_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        action varchar(32) NOT NULL,
        key_version int,
        actor varchar(256) NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`
      CREATE FUNCTION vault_key_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'vault_key_event is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER vault_key_event_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON vault_key_event
      FOR EACH STATEMENT EXECUTE FUNCTION vault_key_event_append_only()`);
    await q.query(`ALTER TABLE merchant ADD COLUMN collect_origins varchar(256)[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE card_collect_session (
        id varchar(64) PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchant(id) ON DELETE CASCADE,
        parent_origin varchar(256) NOT NULL,
        on_file boolean NOT NULL DEFAULT false,
        card_id uuid REFERENCES card(id) ON DELETE SET NULL,
        accept_header varchar(2048),
        attempts int NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX card_collect_session_expiry_idx ON card_collect_session (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS card_collect_session`);
    await q.query(`ALTER TABLE merchant DROP COLUMN IF EXISTS collect_origins`);
    await q.query(`DROP TABLE IF EXISTS vault_key_event`);
    await q.query(`DROP FUNCTION IF EXISTS vault_key_event_append_only()`);
    await q.query(`DROP INDEX IF EXISTS card_secret_expiry_idx`);
    await q.query(`DROP INDEX IF EXISTS card_token_expiry_idx`);
    await q.query(`ALTER TABLE card DROP COLUMN IF EXISTS buyer_env, DROP COLUMN IF EXISTS consumed_at, DROP COLUMN IF EXISTS field_key_version`);
  }
}
