import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { refundNotification } from './lifecycle';
import { Body, SandboxContext, WireAmount } from './sandbox-context';
import { Db } from './sandbox-store';

/*
 * Antom's asynchronous refund (`isAsyncRefund: true`): accepted at once with U REFUND_IN_PROCESS (the
 * refund row PROCESSING, status 'P', its amount counted against the payment so concurrent refunds cannot
 * exceed the capture), settled later — after the late-settlement delay, 2 min × the notification time
 * scale — to SUCCESS, with notifyRefund REFUND_RESULT. Until then inquiryRefund says PROCESSING and a
 * refund with the same refundRequestId answers REFUND_IN_PROCESS again; afterwards both say SUCCESS.
 */

export interface AsyncRefund {
  clientId: string;
  refundRequestId: string;
  refundId: string;
  paymentId: string;
  hash: string;
  amount: WireAmount;
  notifyUrl: string | null;
}

export async function acceptAsyncRefund(ctx: SandboxContext, db: Db, r: AsyncRefund): Promise<Body> {
  const response = {
    result: antomResult('REFUND_IN_PROCESS'),
    refundRequestId: r.refundRequestId,
    refundId: r.refundId,
    paymentId: r.paymentId,
    refundAmount: r.amount,
  };
  await db.query(
    `WITH w AS (UPDATE sandbox.payment SET refunded_amount = refunded_amount + $7::bigint WHERE payment_id = $4)
     INSERT INTO sandbox.refund (client_id, refund_request_id, refund_id, payment_id, request_hash, status, currency, amount, notify_url, response, owner, settle_at)
     VALUES ($1,$2,$3,$4,$5,'P',$6,$7::bigint,$8,$9,$10, now() + make_interval(secs => $11))`,
    [
      r.clientId,
      r.refundRequestId,
      r.refundId,
      r.paymentId,
      r.hash,
      r.amount.currency,
      r.amount.value,
      r.notifyUrl,
      response,
      ctx.notifier.ownerId,
      ctx.lateSettleSeconds,
    ],
  );
  return response;
}

/** Settles the due asynchronous refunds of this sandbox (its owner): SUCCESS, notified, once each. */
export async function settleDueRefunds(ctx: SandboxContext, owner: string): Promise<void> {
  const due = await ctx.store.pool.query<{ refund_id: string }>(
    `SELECT refund_id FROM sandbox.refund WHERE owner = $1 AND status = 'P' AND settle_at <= $2 LIMIT 50`,
    [owner, ctx.clock.now()],
  );
  for (const { refund_id } of due.rows) {
    await ctx.store.tx(async (db) => {
      const row = (await db.query(`SELECT * FROM sandbox.refund WHERE refund_id = $1 AND status = 'P' FOR UPDATE`, [refund_id])).rows[0];
      if (!row) return; // settled by another look
      const response = { ...(row.response as Body), result: antomResult('SUCCESS'), refundTime: formatResponseTime() };
      await ctx.notifier.enqueueWith(
        db,
        [`UPDATE sandbox.refund SET status = 'S', response = $2, settle_at = NULL WHERE refund_id = $1`],
        [refund_id, response],
        { clientId: row.client_id, notifyType: 'REFUND_RESULT', url: row.notify_url, body: refundNotification(response, 'SUCCESS') },
      );
    });
  }
  if (due.rows.length > 0) ctx.notifier.kick();
}
