import { Pool, PoolClient } from 'pg';

import { ensureSandboxSchema } from './sandbox-schema';

export type Db = Pick<PoolClient, 'query'>;

/**
 * The sandbox keeps its own state in its own schema, so it survives restarts like a real acquirer
 * would, and shares nothing with the gateway's tables.
 */
export class SandboxStore {
  constructor(readonly pool: Pool) {}

  init(): Promise<void> {
    return ensureSandboxSchema(this.pool);
  }

  /** One transaction; row locks taken inside (FOR UPDATE) serialize concurrent captures and refunds. */
  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async findPayment(
    db: Db,
    clientId: string,
    ids: { paymentId?: unknown; paymentRequestId?: unknown },
    lock = false,
  ): Promise<SandboxPaymentRow | null> {
    const forUpdate = lock ? ' FOR UPDATE' : '';
    if (typeof ids.paymentId === 'string' && ids.paymentId) {
      const r = await db.query(`SELECT * FROM sandbox.payment WHERE client_id = $1 AND payment_id = $2${forUpdate}`, [clientId, ids.paymentId]);
      return r.rows[0] ?? null;
    }
    if (typeof ids.paymentRequestId === 'string' && ids.paymentRequestId) {
      const r = await db.query(`SELECT * FROM sandbox.payment WHERE client_id = $1 AND payment_request_id = $2${forUpdate}`, [
        clientId,
        ids.paymentRequestId,
      ]);
      return r.rows[0] ?? null;
    }
    return null;
  }

  /** For the browser pages, which know only the payment id from their URL. */
  async findPaymentById(db: Db, paymentId: string, lock = false): Promise<SandboxPaymentRow | null> {
    const r = await db.query(`SELECT * FROM sandbox.payment WHERE payment_id = $1${lock ? ' FOR UPDATE' : ''}`, [paymentId]);
    return r.rows[0] ?? null;
  }
}

export interface SandboxPaymentRow {
  client_id: string;
  payment_request_id: string;
  payment_id: string;
  request_hash: string;
  /** The pay result: S, F, or U (awaiting the buyer or unknown). */
  status: 'S' | 'F' | 'U';
  currency: string;
  amount: string;
  capture_mode: string;
  captured_amount: string;
  refunded_amount: string;
  notify_url: string | null;
  redirect_url: string | null;
  /** What the buyer must still do while status is U: THREE_DS, HOSTED or ISSUER (Korean issuer authentication). */
  pending_kind: string | null;
  /** The card summary decided at pay time, used when the buyer completes the page. */
  pending_info: Record<string, unknown> | null;
  notify_fault: string | null;
  response: Record<string, unknown>;
  auth_expiry_at: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  cancel_response: Record<string, unknown> | null;
  capture_closed: boolean;
  /** A late authorization (trigger …90011) settles by itself at this time. */
  settle_at: Date | null;
  /** The dispute test card: a chargeback follows its capture (sandbox/disputes.ts). */
  dispute_on_capture: boolean;
  /** The authorized total once raised by updateAmount (null: the pay amount). */
  authorized_amount: string | null;
  created_at: Date;
}

export interface SandboxCaptureRow {
  capture_request_id: string;
  capture_id: string;
  payment_id: string;
  request_hash: string;
  status: 'S' | 'F' | 'U';
  currency: string;
  amount: string;
  response: Record<string, unknown>;
  created_at: Date;
}

export interface SandboxRefundRow extends Omit<SandboxCaptureRow, 'capture_request_id' | 'capture_id'> {
  refund_request_id: string;
  refund_id: string;
  notify_url: string | null;
}
