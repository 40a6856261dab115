import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { VaultedPaymentMethodDetail } from '../antom/wire';

type Queryable = Pick<EntityManager, 'query'>;

export type VaultingSource = 'SESSION' | 'DIRECT';
export type VaultingStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/** One merchant vaulting request. `paymentMethodDetail` is the masked answer, never card data. */
export interface Vaulting {
  id: string;
  merchantId: string;
  vaultingRequestId: string;
  requestHash: string;
  source: VaultingSource;
  status: VaultingStatus;
  sessionId: string | null;
  sessionExpiresAt: Date | null;
  paymentMethodDetail: VaultedPaymentMethodDetail | null;
  notifyUrl: string | null;
  redirectUrl: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface NewVaulting {
  merchantId: string;
  vaultingRequestId: string;
  requestHash: string;
  source: VaultingSource;
  status: VaultingStatus;
  sessionId?: string;
  sessionExpiresAt?: Date;
  cardId?: string;
  paymentMethodDetail?: VaultedPaymentMethodDetail;
  notifyUrl: string | null;
  redirectUrl: string | null;
}

const COLUMNS = `id, merchant_id, vaulting_request_id, request_hash, source, status, session_id, session_expires_at,
  payment_method_detail, notify_url, redirect_url, created_at, completed_at`;

/** The `vaulting` table. The unique (merchant, vaultingRequestId) key is the idempotency lock. */
@Injectable()
export class VaultingRepository {
  constructor(private readonly db: DataSource) {}

  async find(merchantId: string, vaultingRequestId: string): Promise<Vaulting | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM vaulting WHERE merchant_id = $1 AND vaulting_request_id = $2`, [
      merchantId,
      vaultingRequestId,
    ]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Null when another request with this vaultingRequestId got there first (its transaction decides). */
  async insert(tx: Queryable, v: NewVaulting): Promise<Vaulting | null> {
    const final = v.status !== 'PROCESSING';
    const rows = await tx.query(
      `INSERT INTO vaulting (merchant_id, vaulting_request_id, request_hash, source, status, session_id, session_expires_at, card_id,
                             payment_method_detail, notify_url, redirect_url, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $12::boolean THEN now() END)
       ON CONFLICT (merchant_id, vaulting_request_id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        v.merchantId,
        v.vaultingRequestId,
        v.requestHash,
        v.source,
        v.status,
        v.sessionId ?? null,
        v.sessionExpiresAt ?? null,
        v.cardId ?? null,
        v.paymentMethodDetail ? JSON.stringify(v.paymentMethodDetail) : null,
        v.notifyUrl,
        v.redirectUrl,
        final,
      ],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * The session's vaulting, completed with the card its page stored, in the page's transaction. Null when
   * the session belongs to no vaulting (a plain cards/collectSession page) or it is already complete.
   */
  async completeSession(tx: Queryable, sessionId: string, cardId: string | null, detail: VaultedPaymentMethodDetail): Promise<Vaulting | null> {
    const rows = await tx.query(
      `UPDATE vaulting SET status = 'SUCCESS', card_id = $2, payment_method_detail = $3, completed_at = now()
        WHERE session_id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [sessionId, cardId, JSON.stringify(detail)],
    );
    const r = Array.isArray(rows[0]) ? rows[0][0] : rows[0];
    return r?.id ? fromRow(r) : null;
  }
}

function fromRow(r: Record<string, any>): Vaulting {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    vaultingRequestId: r.vaulting_request_id,
    requestHash: r.request_hash,
    source: r.source,
    status: r.status,
    sessionId: r.session_id,
    sessionExpiresAt: r.session_expires_at ? new Date(r.session_expires_at) : null,
    paymentMethodDetail: r.payment_method_detail,
    notifyUrl: r.notify_url,
    redirectUrl: r.redirect_url,
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
  };
}
