import { createHash, randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { Payment } from '../../../src/payments/payment.entity';
import { PaymentsRepository } from '../../../src/payments/payments.repository';

/** A merchant row (what the payment rows reference); returns its id. */
export async function insertMerchant(ds: DataSource, fields: { authExpiryPolicy?: 'EXPIRE' | 'CAPTURE' | 'VOID' } = {}): Promise<string> {
  const clientId = `SANDBOX_DB${randomUUID().slice(0, 8).toUpperCase()}`;
  const [row] = await ds.query(`INSERT INTO merchant (client_id, name, auth_expiry_policy) VALUES ($1, 'db-tier merchant', $2) RETURNING id`, [
    clientId,
    fields.authExpiryPolicy ?? 'EXPIRE',
  ]);
  return row.id;
}

/** A payment as the pay path builds it before its first write; `fields` override. */
export function newPayment(merchantId: string, fields: Partial<Payment> = {}): Payment {
  const id = randomUUID();
  return Object.assign(new Payment(), {
    id,
    paymentId: `gwp_${id.replace(/-/g, '')}`,
    merchantId,
    paymentRequestId: `PAY_${randomUUID()}`,
    requestHash: createHash('sha256').update(id).digest('hex'),
    status: 'RECEIVED',
    captureMode: 'MANUAL',
    currency: 'EUR',
    amount: 1000n,
    authorizedAmount: 0n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    ...fields,
  } satisfies Partial<Payment>);
}

/** Inserts the payment with its CREATED timeline row, as the pay path does. */
export async function insertPayment(ds: DataSource, merchantId: string, fields: Partial<Payment> = {}): Promise<Payment> {
  const p = newPayment(merchantId, fields);
  await new PaymentsRepository(ds).insert(ds, p, { by: 'db-tier' });
  return p;
}

/** The timeline of a payment: (type, from, to), oldest first. */
export async function timeline(ds: DataSource, paymentId: string): Promise<Array<[string, string | null, string | null]>> {
  const rows = await ds.query(`SELECT type, from_status, to_status FROM payment_event WHERE payment_id = $1 ORDER BY id`, [paymentId]);
  return rows.map((r: { type: string; from_status: string | null; to_status: string | null }) => [r.type, r.from_status, r.to_status]);
}
