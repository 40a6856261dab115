import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { lockPayment, sameOrInconsistent } from './lifecycle';
import { amountOf, Body, compact, keyedHash, requireId, SandboxContext, SandboxError, wireBool } from './sandbox-context';
import { SandboxPaymentRow } from './sandbox-store';

/** Antom's default limit of amount adjustments per authorization. */
const MAX_UPDATES = 10;
/** The sandbox issuer approves a new total up to this multiple of the first authorization; above it, insufficient funds. */
export const APPROVE_UP_TO_TIMES = 3n;

/**
 * payments/updateAmount (incremental authorization), in one transaction holding the payment's row lock,
 * so it is ordered against capture and cancel of the same payment. `amount` is the new authorized total.
 * The issuer's decision (S, or F USER_BALANCE_NOT_ENOUGH above APPROVE_UP_TO_TIMES × the first
 * authorization) is stored: the same updateRequestId answers the same. An approval is then notified as
 * Antom does (notifyPayment, notifyType UPDATE_AMOUNT_RESULT, to the pay's paymentNotifyUrl).
 */
export async function updateAmount(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const updateRequestId = requireId(body, 'updateRequestId');
  const paymentId = requireId(body, 'paymentId');
  const amount = amountOf(body.amount, 'amount');
  const hash = keyedHash(ctx.hmacKey, paymentId, amount.currency, amount.value);
  const answer = await ctx.store.tx(async (db) => {
    const p = await lockPayment(ctx, db, clientId, { paymentId });
    const prior = await db.query(`SELECT * FROM sandbox.amount_update WHERE client_id = $1 AND update_request_id = $2`, [clientId, updateRequestId]);
    if (prior.rows[0]) return sameOrInconsistent(prior.rows[0], hash);
    const current = BigInt(p.authorized_amount ?? p.amount);
    const made: number = (await db.query(`SELECT count(*)::int AS n FROM sandbox.amount_update WHERE payment_id = $1 AND status = 'S'`, [paymentId]))
      .rows[0].n;
    const captures: number = (await db.query(`SELECT count(*)::int AS n FROM sandbox.capture WHERE payment_id = $1`, [paymentId])).rows[0].n;
    refuseUpdate(p, amount, current, made, captures, ctx.clock.now());
    const approved = BigInt(amount.value) <= BigInt(p.amount) * APPROVE_UP_TO_TIMES;
    const response = {
      result: approved
        ? antomResult('SUCCESS')
        : antomResult('USER_BALANCE_NOT_ENOUGH', 'The issuer declined the incremental authorization: insufficient funds.'),
      updateRequestId,
      paymentId,
      amount,
    };
    const insert = `INSERT INTO sandbox.amount_update (client_id, update_request_id, payment_id, request_hash, status, amount, response) VALUES ($1,$2,$3,$4,$5,$6::bigint,$7)`;
    const params = [clientId, updateRequestId, paymentId, hash, approved ? 'S' : 'F', amount.value, response];
    if (!approved) {
      await db.query(insert, params); // a refusal is the synchronous F alone: Antom sends no notification for it
      return response;
    }
    // The update, the raised total and Antom's notifyPayment (notifyType UPDATE_AMOUNT_RESULT): one statement.
    await ctx.notifier.enqueueWith(db, [insert, `UPDATE sandbox.payment SET authorized_amount = $6::bigint WHERE payment_id = $3`], params, {
      clientId,
      notifyType: 'UPDATE_AMOUNT_RESULT',
      url: p.notify_url,
      body: updateAmountNotification(p, response),
      fault: p.notify_fault,
    });
    return response;
  });
  ctx.notifier.kick();
  return answer;
}

/** notifyPayment for an update (Antom's AlipayPayResultNotify fields that apply): the result, the ids, the new total. */
function updateAmountNotification(p: SandboxPaymentRow, response: Body): Body {
  return compact({
    result: response.result,
    paymentRequestId: p.payment_request_id,
    paymentId: p.payment_id,
    updateRequestId: response.updateRequestId,
    paymentAmount: response.amount,
    authExpiryTime: p.auth_expiry_at ? formatResponseTime(p.auth_expiry_at) : undefined,
  });
}

/** Antom's conditions: a successful manual pre-auth flagged incremental, not captured, not closed, raised. */
function refuseUpdate(
  p: SandboxPaymentRow,
  amount: { currency: string; value: string },
  current: bigint,
  made: number,
  captures: number,
  now: Date,
): void {
  if (p.cancelled_at) throw new SandboxError('AUTH_CANCELLED');
  if (p.status !== 'S') throw new SandboxError('ORDER_STATUS_INVALID', 'The payment is not authorized.');
  if (p.capture_mode === 'AUTOMATIC') throw new SandboxError('INCREMENTAL_NOT_SUPPORT', 'The payment was captured automatically.');
  if (p.auth_expiry_at && p.auth_expiry_at.getTime() <= now.getTime()) throw new SandboxError('AUTH_EXPIRED');
  const info = (p.response.paymentResultInfo ?? {}) as Body;
  // A boolean since the SDK typing; "true" in answers stored before it.
  if (!wireBool(info.incrementalAuthorizationAvailable))
    throw new SandboxError('INCREMENTAL_NOT_SUPPORT', 'incrementalAuthorizationAvailable was false for this authorization.');
  if (captures > 0 || p.capture_closed) throw new SandboxError('INCREMENTAL_NOT_SUPPORT', 'A capture has been initiated.');
  if (made >= MAX_UPDATES) throw new SandboxError('INCREMENTAL_NOT_SUPPORT', `The amount was already adjusted ${MAX_UPDATES} times.`);
  if (amount.currency !== p.currency) throw new SandboxError('PARAM_ILLEGAL', 'amount.currency must be the payment currency.');
  if (BigInt(amount.value) <= current) throw new SandboxError('PARAM_ILLEGAL', 'amount must be greater than the current authorized total.');
}
