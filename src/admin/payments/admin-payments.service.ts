import { Injectable } from '@nestjs/common';

import type { DisputeStatus } from '../../operations/disputes.service';
import { AdminPaymentRow, AdminPaymentsRepository, OperationRow } from './admin-payments.repository';
import { DisputeStanding, disputeStanding } from './dispute-standing';
import { encodeCursor } from './payment-cursor';
import { PaymentFilters } from './payment-filters';

/** LIKE's escaping lives with the SQL; the audit log's filters and the specs import it from here too. */
export { likeLiteral } from './admin-payments.repository';

export const PAGE_SIZE = 50;

/** A payment as the console shows it: masked card only (BIN + last 4), amounts as bigint minor units. */
export interface AdminPayment {
  id: string;
  paymentId: string;
  paymentRequestId: string;
  merchantId: string;
  merchantClientId: string;
  merchantName: string;
  status: string;
  captureMode: string;
  currency: string;
  amount: bigint;
  authorizedAmount: bigint;
  capturedAmount: bigint;
  refundedAmount: bigint;
  /** What can still be captured / refunded, less what four-eyes requests waiting for approval would take. */
  capturable: bigint;
  refundable: bigint;
  pendingCapture: bigint;
  pendingRefund: bigint;
  /** Disputed or charged back (dispute-standing.ts), for the badge beside the status; null when neither. */
  dispute: DisputeStanding;
  upstreamPaymentId: string | null;
  notifyUrl: string | null;
  cardBin: string | null;
  cardLast4: string | null;
  cardBrand: string | null;
  referenceOrderId: string | null;
  orderDescription: string | null;
  referenceBuyerId: string | null;
  clientIp: string | null;
  resultStatus: string | null;
  resultCode: string | null;
  resultMessage: string | null;
  paymentResultInfo: Record<string, unknown> | null;
  authExpiryTime: Date | null;
  paymentTime: Date | null;
  createdAt: Date;
}

export interface Operation {
  id: string;
  requestId: string;
  amount: bigint;
  status: string;
  upstreamId: string | null;
  resultCode: string | null;
  resultMessage: string | null;
  reason: string | null;
  doneAt: Date | null;
  createdAt: Date;
  isLast: boolean;
  automatic: boolean;
}

export interface TimelineEvent {
  id: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  amount: bigint | null;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

export interface ListTotals {
  /** Exact up to COUNT_CAP; past it `capped` and the count is COUNT_CAP ("10,000+"). */
  count: number;
  capped: boolean;
  /** The unfiltered list past the cap: PostgreSQL's estimate of all payments (pg_class.reltuples). */
  estimate: number | null;
  /** Order amounts, captured and refunded per currency: amounts in different currencies are never added up. Empty when capped. */
  byCurrency: { currency: string; count: number; amount: bigint; captured: bigint; refunded: bigint }[];
}

/** The list's page links: the cursors of the pages on either side, as the links carry them (null at an end). */
export interface Pager {
  next: string | null;
  prev: string | null;
}

/** Read side of the console: the list with its filters and the detail page's data. */
@Injectable()
export class AdminPaymentsService {
  constructor(private readonly repo: AdminPaymentsRepository) {}

  /** One page (keyset: after / before the filter's cursor) and the filter's count and totals, read at once. */
  async list(f: PaymentFilters): Promise<{ rows: AdminPayment[]; pager: Pager; totals: ListTotals }> {
    const [page, totals] = await Promise.all([this.repo.page(f, PAGE_SIZE), this.totals(f)]);
    return {
      rows: page.rows.map(toPayment),
      pager: { next: page.next && encodeCursor(page.next), prev: page.prev && encodeCursor(page.prev) },
      totals,
    };
  }

  async totals(f: PaymentFilters): Promise<ListTotals> {
    const t = await this.repo.totals(f);
    return {
      count: t.count,
      capped: t.capped,
      estimate: t.estimate,
      byCurrency: t.sums.map((r) => ({
        currency: String(r.currency).trim(),
        count: Number(r.n),
        amount: BigInt(r.amount),
        captured: BigInt(r.captured),
        refunded: BigInt(r.refunded),
      })),
    };
  }

  /**
   * Everything the filter matches, in the list's order, a batch at a time (for the CSV export). Batches are
   * read by keyset in a total order (every sort ends on the row id), of the payments made before the export
   * began: one paid meanwhile cannot shift the rest into a repeated or skipped row, and the thousandth batch
   * costs what the first does.
   */
  async *allMatching(f: PaymentFilters, batch = 500): AsyncGenerator<AdminPayment> {
    for await (const rows of this.repo.batches(f, new Date(), batch)) for (const r of rows) yield toPayment(r);
  }

  async findByPaymentId(paymentId: string): Promise<AdminPayment | null> {
    const row = await this.repo.byPaymentId(paymentId);
    return row ? toPayment(row) : null;
  }

  async findManyByPaymentId(paymentIds: string[]): Promise<AdminPayment[]> {
    if (paymentIds.length === 0) return [];
    return (await this.repo.byPaymentIds(paymentIds)).map(toPayment);
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    const rows = await this.repo.events(id);
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      amount: r.amount == null ? null : BigInt(r.amount),
      detail: r.detail,
      createdAt: new Date(r.created_at),
    }));
  }

  /** The payment's captures and refunds, each with the acquirer's id for it and (refunds) the reason given. */
  async operations(paymentUuid: string): Promise<{ captures: Operation[]; refunds: Operation[] }> {
    const { captures, refunds } = await this.repo.operations(paymentUuid);
    const toOp = (r: OperationRow): Operation => ({
      id: r.id,
      requestId: r.request_id,
      amount: BigInt(r.amount),
      status: r.status,
      upstreamId: r.upstream_id,
      resultCode: r.result_code,
      resultMessage: r.result_message,
      reason: r.reason,
      doneAt: r.done_at ? new Date(r.done_at) : null,
      createdAt: new Date(r.created_at),
      isLast: r.is_last,
      automatic: r.automatic,
    });
    return { captures: captures.map(toOp), refunds: refunds.map(toOp) };
  }

  async merchants(): Promise<{ clientId: string; name: string }[]> {
    return (await this.repo.merchants()).map((r) => ({ clientId: r.client_id, name: r.name }));
  }
}

function toPayment(r: AdminPaymentRow): AdminPayment {
  const authorized = BigInt(r.authorized_amount);
  const captured = BigInt(r.captured_amount);
  const refunded = BigInt(r.refunded_amount);
  const capturableNow = ['AUTHORIZED', 'PARTIALLY_CAPTURED'].includes(r.status);
  const pendingCapture = BigInt(r.pending?.capture ?? '0');
  const pendingRefund = BigInt(r.pending?.refund ?? '0');
  const left = (v: bigint) => (v > 0n ? v : 0n);
  // Automatic capture: the authorized amount was captured with the authorization.
  const settled = r.status === 'SUCCEEDED' ? authorized : captured;
  return {
    id: r.id,
    paymentId: r.payment_id,
    paymentRequestId: r.payment_request_id,
    merchantId: r.merchant_id,
    merchantClientId: r.merchant_client_id,
    merchantName: r.merchant_name,
    status: r.status,
    captureMode: r.capture_mode,
    currency: r.currency,
    amount: BigInt(r.amount),
    authorizedAmount: authorized,
    capturedAmount: settled,
    refundedAmount: refunded,
    capturable: capturableNow ? left(authorized - captured - pendingCapture) : 0n,
    refundable: left(settled - refunded - pendingRefund),
    pendingCapture,
    pendingRefund,
    dispute: disputeStanding((r.disputes ?? []) as Array<{ disputeId: string; status: DisputeStatus }>),
    upstreamPaymentId: r.upstream_payment_id,
    notifyUrl: r.payment_notify_url,
    cardBin: r.card_bin,
    cardLast4: r.card_last4,
    cardBrand: r.card_brand,
    referenceOrderId: r.reference_order_id,
    orderDescription: r.order_description,
    referenceBuyerId: r.reference_buyer_id,
    clientIp: r.client_ip,
    resultStatus: r.result_status,
    resultCode: r.result_code,
    resultMessage: r.result_message,
    paymentResultInfo: r.payment_result_info,
    authExpiryTime: r.auth_expiry_time ? new Date(r.auth_expiry_time) : null,
    paymentTime: r.payment_time ? new Date(r.payment_time) : null,
    createdAt: new Date(r.created_at),
  };
}
