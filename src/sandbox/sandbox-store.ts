import { Pool } from 'pg';

/**
 * The sandbox keeps its own state in its own schema, so it survives restarts like a real acquirer
 * would, and shares nothing with the gateway's tables.
 */
export class SandboxStore {
  constructor(private readonly pool: Pool) {}

  async init(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS sandbox`);
    await this.pool.query(`
      CREATE TABLE IF NOT EXISTS sandbox.payment (
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
        PRIMARY KEY (client_id, payment_request_id)
      )`);
  }

  /** Inserts unless the request id exists; returns the stored row either way (Antom's idempotency). */
  async insertPayment(row: SandboxPaymentRow): Promise<{ inserted: boolean; row: SandboxPaymentRow }> {
    const res = await this.pool.query(
      `INSERT INTO sandbox.payment (client_id, payment_request_id, payment_id, request_hash, status, currency, amount, capture_mode, notify_url, response)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (client_id, payment_request_id) DO NOTHING RETURNING *`,
      [row.client_id, row.payment_request_id, row.payment_id, row.request_hash, row.status, row.currency, row.amount, row.capture_mode, row.notify_url, row.response],
    );
    if (res.rowCount === 1) return { inserted: true, row: res.rows[0] };
    const existing = await this.findByRequestId(row.client_id, row.payment_request_id);
    return { inserted: false, row: existing! };
  }

  async findByRequestId(clientId: string, paymentRequestId: string): Promise<SandboxPaymentRow | null> {
    const res = await this.pool.query(`SELECT * FROM sandbox.payment WHERE client_id = $1 AND payment_request_id = $2`, [clientId, paymentRequestId]);
    return res.rows[0] ?? null;
  }

  async findByPaymentId(clientId: string, paymentId: string): Promise<SandboxPaymentRow | null> {
    const res = await this.pool.query(`SELECT * FROM sandbox.payment WHERE client_id = $1 AND payment_id = $2`, [clientId, paymentId]);
    return res.rows[0] ?? null;
  }
}

export interface SandboxPaymentRow {
  client_id: string;
  payment_request_id: string;
  payment_id: string;
  request_hash: string;
  status: string;
  currency: string;
  amount: string;
  capture_mode: string;
  notify_url: string | null;
  response: Record<string, unknown>;
  created_at?: Date;
}
