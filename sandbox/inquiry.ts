import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { paymentNotification } from './payment-final';
import { Body, compact, SandboxContext, SandboxError } from './sandbox-context';
import { SandboxPaymentRow } from './sandbox-store';

/** inquiryPayment: `result` says the query worked; the payment's own state is in paymentStatus. */
export async function inquiryPayment(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const p = await ctx.store.findPayment(ctx.store.pool, clientId, { paymentId: body.paymentId, paymentRequestId: body.paymentRequestId });
  if (!p) throw new SandboxError('ORDER_NOT_EXIST');
  const r = p.response;
  const payResult = r.result as { resultCode: string; resultMessage: string };
  const notified = paymentNotification(r);
  return compact({
    result: antomResult('SUCCESS'),
    paymentStatus: paymentStatus(p),
    paymentResultCode: payResult.resultCode,
    paymentResultMessage: payResult.resultMessage,
    paymentRequestId: p.payment_request_id,
    paymentId: p.payment_id,
    paymentAmount: r.paymentAmount,
    paymentCreateTime: r.paymentCreateTime,
    paymentTime: r.paymentTime,
    authExpiryTime: p.auth_expiry_at ? formatResponseTime(p.auth_expiry_at) : undefined,
    redirectActionForm: p.status === 'U' && !p.cancelled_at ? r.redirectActionForm : undefined,
    cardInfo: notified.cardInfo,
    paymentResultInfo: r.paymentResultInfo,
    transactions: await transactions(ctx, p),
  });
}

/** PROCESSING while the buyer still has a page to complete; PENDING while an answer was lost in the sandbox (U). */
function paymentStatus(p: SandboxPaymentRow): string {
  if (p.cancelled_at) return 'CANCELLED';
  if (p.status === 'S') return 'SUCCESS';
  if (p.status === 'F') return 'FAIL';
  return p.pending_kind ? 'PROCESSING' : 'PENDING';
}

async function transactions(ctx: SandboxContext, p: SandboxPaymentRow): Promise<Body[]> {
  const pay = p.response;
  const list: Body[] = [
    {
      transactionType: 'PAYMENT',
      transactionStatus: p.status === 'S' ? 'SUCCESS' : p.status === 'F' ? 'FAIL' : 'PROCESSING',
      transactionId: p.payment_id,
      transactionRequestId: p.payment_request_id,
      transactionAmount: pay.paymentAmount,
      transactionTime: pay.paymentTime ?? pay.paymentCreateTime,
      transactionResult: pay.result,
    },
  ];
  const [captures, refunds] = await Promise.all([
    ctx.store.pool.query(`SELECT response FROM sandbox.capture WHERE payment_id = $1 ORDER BY created_at`, [p.payment_id]),
    ctx.store.pool.query(`SELECT status, response FROM sandbox.refund WHERE payment_id = $1 ORDER BY created_at`, [p.payment_id]),
  ]);
  for (const { response: c } of captures.rows) {
    list.push({
      transactionType: 'CAPTURE',
      transactionStatus: 'SUCCESS',
      transactionId: c.captureId,
      transactionRequestId: c.captureRequestId,
      transactionAmount: c.captureAmount,
      transactionTime: c.captureTime,
      transactionResult: c.result,
    });
  }
  for (const { status, response: r } of refunds.rows) {
    list.push({
      transactionType: 'REFUND',
      transactionStatus: status === 'S' ? 'SUCCESS' : status === 'F' ? 'FAIL' : 'PROCESSING',
      transactionId: r.refundId,
      transactionRequestId: r.refundRequestId,
      transactionAmount: r.refundAmount,
      transactionTime: r.refundTime,
      transactionResult: r.result,
    });
  }
  if (p.cancel_response) {
    const c = p.cancel_response;
    list.push({
      transactionType: 'CANCEL',
      transactionStatus: 'SUCCESS',
      transactionId: p.payment_id,
      transactionRequestId: p.payment_request_id,
      transactionAmount: pay.paymentAmount,
      transactionTime: c.cancelTime,
      transactionResult: c.result,
    });
  }
  return list;
}

export async function inquiryRefund(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const byId = typeof body.refundId === 'string' && body.refundId;
  if (!byId && (typeof body.refundRequestId !== 'string' || !body.refundRequestId))
    throw new SandboxError('PARAM_ILLEGAL', 'refundRequestId or refundId is required.');
  const r = await ctx.store.pool.query(`SELECT * FROM sandbox.refund WHERE client_id = $1 AND ${byId ? 'refund_id' : 'refund_request_id'} = $2`, [
    clientId,
    byId ? body.refundId : body.refundRequestId,
  ]);
  const row = r.rows[0];
  if (!row) throw new SandboxError('ORDER_NOT_EXIST', 'No refund with this id.');
  const resp = row.response as Body;
  return {
    result: antomResult('SUCCESS'),
    refundId: row.refund_id,
    refundRequestId: row.refund_request_id,
    paymentId: row.payment_id,
    refundAmount: resp.refundAmount,
    refundStatus: row.status === 'S' ? 'SUCCESS' : row.status === 'F' ? 'FAIL' : 'PROCESSING',
    refundTime: resp.refundTime,
  };
}
