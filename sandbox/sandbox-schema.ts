import { Pool } from 'pg';

/*
 * The sandbox's own schema. It is created by the sandbox itself (not by the gateway's migrations) because
 * the sandbox stands in for a separate company's system; every statement is idempotent so a newer sandbox
 * upgrades an older schema in place, and an advisory lock keeps concurrent starts (parallel suites) apart.
 */
const DDL = [
  `CREATE SCHEMA IF NOT EXISTS sandbox`,
  `CREATE TABLE IF NOT EXISTS sandbox.payment (
     client_id text NOT NULL,
     payment_request_id text NOT NULL,
     payment_id text NOT NULL UNIQUE,
     request_hash text NOT NULL,
     status text NOT NULL,
     currency text NOT NULL,
     amount bigint NOT NULL,
     capture_mode text NOT NULL,
     captured_amount bigint NOT NULL DEFAULT 0,
     refunded_amount bigint NOT NULL DEFAULT 0,
     notify_url text,
     response jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (client_id, payment_request_id))`,
  `ALTER TABLE sandbox.payment
     ADD COLUMN IF NOT EXISTS redirect_url text,
     ADD COLUMN IF NOT EXISTS pending_kind text,
     ADD COLUMN IF NOT EXISTS pending_info jsonb,
     ADD COLUMN IF NOT EXISTS notify_fault text,
     ADD COLUMN IF NOT EXISTS auth_expiry_at timestamptz,
     ADD COLUMN IF NOT EXISTS paid_at timestamptz,
     ADD COLUMN IF NOT EXISTS cancelled_at timestamptz,
     ADD COLUMN IF NOT EXISTS cancel_response jsonb,
     ADD COLUMN IF NOT EXISTS capture_closed boolean NOT NULL DEFAULT false,
     ADD COLUMN IF NOT EXISTS owner text,
     ADD COLUMN IF NOT EXISTS settle_at timestamptz,
     ADD COLUMN IF NOT EXISTS authorized_amount bigint`,
  `CREATE TABLE IF NOT EXISTS sandbox.amount_update (
     client_id text NOT NULL,
     update_request_id text NOT NULL,
     payment_id text NOT NULL,
     request_hash text NOT NULL,
     status text NOT NULL,
     amount bigint NOT NULL,
     response jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (client_id, update_request_id))`,
  `CREATE INDEX IF NOT EXISTS payment_settle_due ON sandbox.payment (owner, settle_at) WHERE status = 'U' AND settle_at IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS sandbox.capture (
     client_id text NOT NULL,
     capture_request_id text NOT NULL,
     capture_id text NOT NULL UNIQUE,
     payment_id text NOT NULL,
     request_hash text NOT NULL,
     status text NOT NULL,
     currency text NOT NULL,
     amount bigint NOT NULL,
     response jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (client_id, capture_request_id))`,
  `CREATE INDEX IF NOT EXISTS capture_payment ON sandbox.capture (payment_id)`,
  `CREATE TABLE IF NOT EXISTS sandbox.refund (
     client_id text NOT NULL,
     refund_request_id text NOT NULL,
     refund_id text NOT NULL UNIQUE,
     payment_id text NOT NULL,
     request_hash text NOT NULL,
     status text NOT NULL,
     currency text NOT NULL,
     amount bigint NOT NULL,
     notify_url text,
     response jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (client_id, refund_request_id))`,
  `CREATE INDEX IF NOT EXISTS refund_payment ON sandbox.refund (payment_id)`,
  // Asynchronous refunds (isAsyncRefund): status 'P' until their settle time, settled by this sandbox (owner).
  `ALTER TABLE sandbox.refund ADD COLUMN IF NOT EXISTS owner text, ADD COLUMN IF NOT EXISTS settle_at timestamptz`,
  `CREATE INDEX IF NOT EXISTS refund_settle_due ON sandbox.refund (owner, settle_at) WHERE status = 'P'`,
  // The notification outbox: delivery state survives restarts; `owner` = the signing key's fingerprint, so
  // several sandboxes on one database (parallel test suites) each deliver only what they signed.
  `CREATE TABLE IF NOT EXISTS sandbox.notification (
     id bigserial PRIMARY KEY,
     owner text NOT NULL,
     client_id text NOT NULL,
     notify_type text NOT NULL,
     url text NOT NULL,
     body text NOT NULL,
     status text NOT NULL DEFAULT 'PENDING',
     attempts int NOT NULL DEFAULT 0,
     bad_signature_first boolean NOT NULL DEFAULT false,
     next_attempt_at timestamptz NOT NULL DEFAULT now(),
     last_error text,
     delivered_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE INDEX IF NOT EXISTS notification_due ON sandbox.notification (owner, next_attempt_at) WHERE status = 'PENDING'`,
  // Remembers which idempotency ids already met their one-shot fault, so the retry goes through.
  `CREATE TABLE IF NOT EXISTS sandbox.fault_hit (
     client_id text NOT NULL, api text NOT NULL, request_id text NOT NULL, kind text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (client_id, api, request_id))`,
  // Disputes drawn by the dispute test card some seconds after its capture (sandbox/disputes.ts).
  `ALTER TABLE sandbox.payment ADD COLUMN IF NOT EXISTS dispute_on_capture boolean NOT NULL DEFAULT false`,
  `CREATE TABLE IF NOT EXISTS sandbox.dispute (
     dispute_id text PRIMARY KEY,
     client_id text NOT NULL,
     payment_id text NOT NULL,
     capture_id text NOT NULL,
     status text NOT NULL,
     currency text NOT NULL,
     amount bigint NOT NULL,
     notify_url text,
     defense_due_at timestamptz NOT NULL,
     evidence text,
     evidence_format text,
     accept_response jsonb,
     created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE INDEX IF NOT EXISTS dispute_payment ON sandbox.dispute (payment_id)`,
  // Card tokens issued by the hosted page (cardToken): masked card only, never the PAN.
  `CREATE TABLE IF NOT EXISTS sandbox.card_token (
     token text PRIMARY KEY, client_id text NOT NULL, card_hash text NOT NULL, masked text NOT NULL,
     brand text NOT NULL, outcome_key text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
];

export async function ensureSandboxSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('antom-sandbox-schema'))`);
    for (const sql of DDL) await client.query(sql);
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('antom-sandbox-schema'))`).catch(() => undefined);
    client.release();
  }
}
