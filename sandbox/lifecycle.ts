import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { acceptAsyncRefund } from './async-refund';
import { drawDispute } from './disputes';
import { isCancelWindowOver } from './faults';
import { captureNotification } from './payment-final';
import { amountOf, Body, compact, keyedHash, newId, optionalUrl, requireId, SandboxContext, SandboxError, wireBool } from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';

/**
 * capture / cancel / refund. Each runs in one transaction holding the payment's row lock, so
 * concurrent captures (or refunds) cannot together exceed the authorized (or captured) amount.
 */
export async function capture(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const captureRequestId = requireId(body, 'captureRequestId');
  const paymentId = requireId(body, 'paymentId');
  const amount = amountOf(body.captureAmount, 'captureAmount');
  const hash = keyedHash(ctx.hmacKey, paymentId, amount.currency, amount.value);
  const answer = await ctx.store.tx(async (db) => {
    const p = await lockPayment(ctx, db, clientId, { paymentId });
    const prior = await db.query(`SELECT * FROM sandbox.capture WHERE client_id = $1 AND capture_request_id = $2`, [clientId, captureRequestId]);
    if (prior.rows[0]) return sameOrInconsistent(prior.rows[0], hash);
    refuseCapture(p, amount, ctx.clock.now());
    const response = {
      result: antomResult('SUCCESS'),
      captureRequestId,
      captureId: newId('sbxc_'),
      paymentId,
      captureAmount: amount,
      captureTime: formatResponseTime(),
      acquirerReferenceNo: newId('arn'),
    };
    const last = body.isLastCapture === true || body.isLastCapture === 'true';
    // The capture, the payment's captured amount and the CAPTURE_RESULT notification: one round trip.
    await ctx.notifier.enqueueWith(
      db,
      [
        `INSERT INTO sandbox.capture (client_id, capture_request_id, capture_id, payment_id, request_hash, status, currency, amount, response)
       VALUES ($1,$2,$3,$4,$5,'S',$6,$7::bigint,$8)`,
        `UPDATE sandbox.payment SET captured_amount = captured_amount + $7::bigint, capture_closed = capture_closed OR $9::bool WHERE payment_id = $4`,
      ],
      [clientId, captureRequestId, response.captureId, paymentId, hash, amount.currency, amount.value, response, last],
      { clientId, notifyType: 'CAPTURE_RESULT', url: p.notify_url, body: captureNotification(response), fault: p.notify_fault },
    );
    if (p.dispute_on_capture) await drawDispute(ctx, db, p, response.captureId, amount);
    return response;
  });
  ctx.notifier.kick();
  return answer;
}

/** Contract rules in the order a real acquirer checks them. */
function refuseCapture(p: SandboxPaymentRow, amount: { currency: string; value: string }, now: Date): void {
  if (p.cancelled_at) throw new SandboxError('AUTH_CANCELLED');
  if (p.status !== 'S') throw new SandboxError('ORDER_STATUS_INVALID', 'The payment is not authorized.');
  if (p.capture_mode === 'AUTOMATIC') throw new SandboxError('ORDER_STATUS_INVALID', 'The payment was captured automatically.');
  if (p.auth_expiry_at && p.auth_expiry_at.getTime() <= now.getTime()) throw new SandboxError('AUTH_EXPIRED');
  if (amount.currency !== p.currency) throw new SandboxError('PARAM_ILLEGAL', 'captureAmount.currency must be the payment currency.');
  if (p.capture_closed) throw new SandboxError('ORDER_STATUS_INVALID', 'The last capture was already made.');
  if (BigInt(p.captured_amount) + BigInt(amount.value) > BigInt(p.authorized_amount ?? p.amount))
    throw new SandboxError('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT');
}

/** Full cancellation (void) of an authorized, uncaptured payment, or abandonment of a pending one. */
export async function cancel(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  if (typeof body.paymentId !== 'string' && typeof body.paymentRequestId !== 'string') {
    throw new SandboxError('PARAM_ILLEGAL', 'paymentId or paymentRequestId is required.');
  }
  return ctx.store.tx(async (db) => {
    const p = await lockPayment(ctx, db, clientId, { paymentId: body.paymentId, paymentRequestId: body.paymentRequestId });
    if (p.cancel_response) return p.cancel_response;
    if (p.status === 'F') throw new SandboxError('ORDER_STATUS_INVALID', 'The payment failed; there is nothing to cancel.');
    if (BigInt(p.captured_amount) > 0n) throw new SandboxError('ORDER_STATUS_INVALID', 'The payment is captured; refund it instead.');
    if (p.status === 'S' && isCancelWindowOver(p.amount))
      throw new SandboxError('CANCEL_WINDOW_EXCEED', 'The cancellation window of this authorization has passed; capture or let it expire.');
    const response = {
      result: antomResult('SUCCESS'),
      paymentId: p.payment_id,
      paymentRequestId: p.payment_request_id,
      cancelTime: formatResponseTime(),
    };
    await db.query(
      `UPDATE sandbox.payment SET cancelled_at = now(), cancel_response = $2, capture_closed = true, settle_at = NULL WHERE payment_id = $1`,
      [p.payment_id, response],
    );
    return response;
  });
}

export async function refund(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const refundRequestId = requireId(body, 'refundRequestId');
  const paymentId = requireId(body, 'paymentId');
  const amount = amountOf(body.refundAmount, 'refundAmount');
  if (body.refundReason !== undefined && (typeof body.refundReason !== 'string' || body.refundReason.length > 256)) {
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter refundReason.');
  }
  const hash = keyedHash(ctx.hmacKey, paymentId, amount.currency, amount.value);
  const answer = await ctx.store.tx(async (db) => {
    const p = await lockPayment(ctx, db, clientId, { paymentId });
    const prior = await db.query(`SELECT * FROM sandbox.refund WHERE client_id = $1 AND refund_request_id = $2`, [clientId, refundRequestId]);
    if (prior.rows[0]) return sameOrInconsistent(prior.rows[0], hash);
    if (p.cancelled_at || p.status !== 'S' || BigInt(p.captured_amount) === 0n)
      throw new SandboxError('ORDER_STATUS_INVALID', 'Only a captured payment can be refunded.');
    if (amount.currency !== p.currency) throw new SandboxError('PARAM_ILLEGAL', 'refundAmount.currency must be the payment currency.');
    if (BigInt(p.refunded_amount) + BigInt(amount.value) > BigInt(p.captured_amount)) throw new SandboxError('REFUND_AMOUNT_EXCEED');
    const notifyUrl = optionalUrl(body.refundNotifyUrl) ?? p.notify_url;
    if (wireBool(body.isAsyncRefund))
      return acceptAsyncRefund(ctx, db, { clientId, refundRequestId, refundId: newId('sbxr_'), paymentId, hash, amount, notifyUrl });
    const response = {
      result: antomResult('SUCCESS'),
      refundRequestId,
      refundId: newId('sbxr_'),
      paymentId,
      refundAmount: amount,
      refundTime: formatResponseTime(),
    };
    // The refund, the payment's refunded amount and the REFUND_RESULT notification: one round trip.
    await ctx.notifier.enqueueWith(
      db,
      [
        `INSERT INTO sandbox.refund (client_id, refund_request_id, refund_id, payment_id, request_hash, status, currency, amount, notify_url, response)
       VALUES ($1,$2,$3,$4,$5,'S',$6,$7::bigint,$8,$9)`,
        `UPDATE sandbox.payment SET refunded_amount = refunded_amount + $7::bigint WHERE payment_id = $4`,
      ],
      [clientId, refundRequestId, response.refundId, paymentId, hash, amount.currency, amount.value, notifyUrl, response],
      { clientId, notifyType: 'REFUND_RESULT', url: notifyUrl, body: refundNotification(response, 'SUCCESS'), fault: p.notify_fault },
    );
    return response;
  });
  ctx.notifier.kick();
  return answer;
}

export function refundNotification(r: Body, refundStatus: string): Body {
  const { result, refundRequestId, refundId, refundAmount, refundTime } = r;
  return compact({ result, refundStatus, refundRequestId, refundId, refundAmount, refundTime });
}

export async function lockPayment(
  ctx: SandboxContext,
  db: Db,
  clientId: string,
  ids: { paymentId?: unknown; paymentRequestId?: unknown },
): Promise<SandboxPaymentRow> {
  const p = await ctx.store.findPayment(db, clientId, ids, true);
  if (!p) throw new SandboxError('ORDER_NOT_EXIST');
  return p;
}

/** Antom idempotency: same id and key fields → the stored answer; other key fields → refused. */
export function sameOrInconsistent(prior: { request_hash: string; response: Body }, hash: string): Body {
  if (prior.request_hash !== hash) throw new SandboxError('REPEAT_REQ_INCONSISTENT');
  return prior.response;
}
