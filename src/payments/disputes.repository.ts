import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DisputeResolutionAnswer } from '../antom/wire';
import { Queryable } from '../platform/database/prepared';
import { eventInsert } from './payments.repository';

/** Open: the merchant may still accept or defend. The rest are final (`FINAL_DISPUTE_STATUSES`) or waiting for the network. */
export type DisputeStatus = 'OPEN' | 'DEFENDED' | 'ACCEPTED' | 'WON' | 'LOST' | 'CANCELLED' | 'RESOLVED';
export const DISPUTE_STATUSES: DisputeStatus[] = ['OPEN', 'DEFENDED', 'ACCEPTED', 'WON', 'LOST', 'CANCELLED', 'RESOLVED'];
export const FINAL_DISPUTE_STATUSES: DisputeStatus[] = ['WON', 'LOST', 'CANCELLED', 'RESOLVED'];

export interface Dispute {
  id: string;
  /** The merchant-facing id (gwd_…). */
  disputeId: string;
  upstreamDisputeId: string;
  merchantId: string;
  /** The payment row's id (uuid). */
  paymentUuid: string;
  status: DisputeStatus;
  disputeType: string | null;
  reasonCode: string | null;
  reasonMsg: string | null;
  currency: string | null;
  amount: bigint | null;
  judgedCurrency: string | null;
  judgedAmount: bigint | null;
  judgedResult: string | null;
  defendable: boolean | null;
  defenseDueAt: Date | null;
  disputeTime: Date | null;
  resolvedAt: Date | null;
  lastNotification: string;
  acceptSentAt: Date | null;
  /** The acceptDispute answer given, answered again on a repeat. */
  acceptResponse: DisputeResolutionAnswer | null;
  defenseSentSha256: string | null;
  defenseSha256: string | null;
  defenseBytes: number | null;
  defenseFormat: string | null;
  defenseResponse: DisputeResolutionAnswer | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What one notifyDispute says: the dispute row's acquirer-given fields; null fields leave what is stored. */
export type DisputeFacts = Pick<
  Dispute,
  | 'status'
  | 'lastNotification'
  | 'disputeType'
  | 'reasonCode'
  | 'reasonMsg'
  | 'currency'
  | 'amount'
  | 'judgedCurrency'
  | 'judgedAmount'
  | 'judgedResult'
  | 'defendable'
  | 'defenseDueAt'
  | 'disputeTime'
  | 'resolvedAt'
>;

export interface DisputeListFilter {
  status?: DisputeStatus[];
  /** The merchant's client id (exact). */
  merchantClientId?: string;
  paymentUuid?: string;
  limit: number;
}

/** A dispute with the merchant-facing payment id and the merchant, for lists. */
export interface DisputeListRow extends Dispute {
  paymentId: string;
  paymentCurrency: string;
  merchantClientId: string;
  merchantName: string;
}

const COLUMNS = `d.id, d.dispute_id, d.upstream_dispute_id, d.merchant_id, d.payment_id, d.status, d.dispute_type, d.reason_code, d.reason_msg,
  d.currency, d.amount::text AS amount, d.judged_currency, d.judged_amount::text AS judged_amount, d.judged_result, d.defendable, d.defense_due_at,
  d.dispute_time, d.resolved_at, d.last_notification, d.accept_sent_at, d.accept_response, d.defense_sent_sha256, d.defense_sha256, d.defense_bytes,
  d.defense_format, d.defense_response, d.created_at, d.updated_at`;

/**
 * The dispute table: its only SQL. Timeline rows go through the payment aggregate's `eventInsert`, in the
 * same statement or transaction as the dispute change they describe.
 */
@Injectable()
export class DisputesRepository {
  constructor(private readonly db: DataSource) {}

  /** The acquirer's dispute, locked for the caller's transaction; created first (OPEN, nothing known yet) when new. */
  async lockOrCreate(
    tx: Queryable,
    upstreamDisputeId: string,
    merchantId: string,
    paymentUuid: string,
    newDisputeId: string,
    notification: string,
  ): Promise<{ dispute: Dispute; created: boolean }> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO dispute (dispute_id, upstream_dispute_id, merchant_id, payment_id, status, last_notification) VALUES ($1, $2, $3, $4, 'OPEN', $5)
       ON CONFLICT (upstream_dispute_id) DO NOTHING RETURNING id`,
      [newDisputeId, upstreamDisputeId, merchantId, paymentUuid, notification],
    );
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM dispute d WHERE d.upstream_dispute_id = $1 FOR UPDATE`, [upstreamDisputeId]);
    return { dispute: fromRow(rows[0]), created: inserted.length === 1 };
  }

  /** A notification's facts and its timeline row, in the caller's transaction. */
  /** `eventAmount`: the timeline row's amount (in the payment's currency), or null. */
  async applyFacts(
    tx: Queryable,
    d: Dispute,
    f: DisputeFacts,
    eventType: string,
    eventAmount: bigint | null,
    detail: Record<string, unknown>,
  ): Promise<Dispute> {
    const rows: Row[] = await tx.query(
      `WITH u AS (
         UPDATE dispute SET status = $2, last_notification = $3, dispute_type = COALESCE($4, dispute_type), reason_code = COALESCE($5, reason_code),
           reason_msg = COALESCE($6, reason_msg), currency = COALESCE($7, currency), amount = COALESCE($8::bigint, amount),
           judged_currency = COALESCE($9, judged_currency), judged_amount = COALESCE($10::bigint, judged_amount), judged_result = COALESCE($11, judged_result),
           defendable = COALESCE($12, defendable), defense_due_at = COALESCE($13, defense_due_at), dispute_time = COALESCE($14, dispute_time),
           resolved_at = COALESCE($15, resolved_at), updated_at = now()
         WHERE id = $1 RETURNING *
       ) SELECT ${COLUMNS.replace(/\bd\./g, 'u.')} FROM u`,
      [
        d.id,
        f.status,
        f.lastNotification,
        f.disputeType,
        f.reasonCode,
        f.reasonMsg,
        f.currency,
        f.amount?.toString() ?? null,
        f.judgedCurrency,
        f.judgedAmount?.toString() ?? null,
        f.judgedResult,
        f.defendable,
        f.defenseDueAt,
        f.disputeTime,
        f.resolvedAt,
      ],
    );
    await this.event(tx, d.paymentUuid, eventType, eventAmount, { disputeId: d.disputeId, ...detail });
    return fromRow(rows[0]);
  }

  /** Marks an accept as sent upstream (before the call: a later REPEAT_REQUEST then proves it landed). */
  async markAcceptSent(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE dispute SET accept_sent_at = COALESCE(accept_sent_at, now()), updated_at = now() WHERE id = $1`, [id]);
  }

  async markDefenseSent(tx: Queryable, id: string, sha256: string): Promise<void> {
    await tx.query(`UPDATE dispute SET defense_sent_sha256 = $2, updated_at = now() WHERE id = $1`, [id, sha256]);
  }

  /** The acquirer accepted the merchant's acceptance: ACCEPTED, the answer kept for replays, and the timeline row. */
  async accepted(tx: Queryable, d: Dispute, response: DisputeResolutionAnswer, detail: Record<string, unknown>): Promise<void> {
    await tx.query(
      `UPDATE dispute SET accept_response = $2, status = CASE WHEN status IN ('WON', 'LOST', 'CANCELLED', 'RESOLVED') THEN status ELSE 'ACCEPTED' END, updated_at = now() WHERE id = $1`,
      [d.id, JSON.stringify(response)],
    );
    await this.event(tx, d.paymentUuid, 'DISPUTE_ACCEPT_SENT', null, { disputeId: d.disputeId, ...detail });
  }

  /** The acquirer took the defence document: DEFENDED, its fingerprint (never the document) and the answer. */
  async defended(
    tx: Queryable,
    d: Dispute,
    doc: { sha256: string; bytes: number; format: string },
    response: DisputeResolutionAnswer,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(
      `UPDATE dispute SET defense_sha256 = $2, defense_bytes = $3, defense_format = $4, defense_response = $5,
         status = CASE WHEN status = 'OPEN' THEN 'DEFENDED' ELSE status END, updated_at = now() WHERE id = $1`,
      [d.id, doc.sha256, doc.bytes, doc.format, JSON.stringify(response)],
    );
    await this.event(tx, d.paymentUuid, 'DISPUTE_DEFENSE_SENT', null, {
      disputeId: d.disputeId,
      sha256: doc.sha256,
      bytes: doc.bytes,
      format: doc.format,
      ...detail,
    });
  }

  /** A timeline row about a dispute (a refused or unanswered action, an evidence download). */
  async event(q: Queryable, paymentUuid: string, type: string, amount: bigint | null, detail: Record<string, unknown>): Promise<void> {
    const ev = eventInsert([paymentUuid, type, null, null, amount, detail]);
    await q.query(ev.text, ev.values);
  }

  async findForMerchant(merchantId: string, disputeId: string, tx?: Queryable, lock = false): Promise<Dispute | null> {
    const rows: Row[] = await (tx ?? this.db).query(
      `SELECT ${COLUMNS} FROM dispute d WHERE d.merchant_id = $1 AND d.dispute_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [merchantId, disputeId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async findById(id: string): Promise<Dispute | null> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM dispute d WHERE d.id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** By the merchant-facing id, whoever the merchant (the console). */
  async findByDisputeId(disputeId: string): Promise<DisputeListRow | null> {
    const [row] = await this.list({ disputeId, limit: 1 });
    return row ?? null;
  }

  /** Deadline nearest first (none last), then newest. */
  async list(f: DisputeListFilter & { disputeId?: string }): Promise<DisputeListRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status?.length) where.push(`d.status = ANY($${params.push(f.status)}::text[])`);
    if (f.merchantClientId) where.push(`m.client_id = $${params.push(f.merchantClientId)}`);
    if (f.paymentUuid) where.push(`d.payment_id = $${params.push(f.paymentUuid)}`);
    if (f.disputeId) where.push(`d.dispute_id = $${params.push(f.disputeId)}`);
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS}, p.payment_id AS gw_payment_id, p.currency AS payment_currency, m.client_id AS merchant_client_id, m.name AS merchant_name
       FROM dispute d JOIN payment p ON p.id = d.payment_id JOIN merchant m ON m.id = d.merchant_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.defense_due_at ASC NULLS LAST, d.created_at DESC LIMIT $${params.push(f.limit)}`,
      params,
    );
    return rows.map((r) => ({
      ...fromRow(r),
      paymentId: r.gw_payment_id,
      paymentCurrency: r.payment_currency,
      merchantClientId: r.merchant_client_id,
      merchantName: r.merchant_name,
    }));
  }
}

type Row = Record<string, any>;

function fromRow(r: Row): Dispute {
  return {
    id: r.id,
    disputeId: r.dispute_id,
    upstreamDisputeId: r.upstream_dispute_id,
    merchantId: r.merchant_id,
    paymentUuid: r.payment_id,
    status: r.status,
    disputeType: r.dispute_type,
    reasonCode: r.reason_code,
    reasonMsg: r.reason_msg,
    currency: r.currency,
    amount: r.amount == null ? null : BigInt(r.amount),
    judgedCurrency: r.judged_currency,
    judgedAmount: r.judged_amount == null ? null : BigInt(r.judged_amount),
    judgedResult: r.judged_result,
    defendable: r.defendable,
    defenseDueAt: r.defense_due_at,
    disputeTime: r.dispute_time,
    resolvedAt: r.resolved_at,
    lastNotification: r.last_notification,
    acceptSentAt: r.accept_sent_at,
    acceptResponse: r.accept_response,
    defenseSentSha256: r.defense_sent_sha256 ?? null,
    defenseSha256: r.defense_sha256 ?? null,
    defenseBytes: r.defense_bytes,
    defenseFormat: r.defense_format,
    defenseResponse: r.defense_response,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
