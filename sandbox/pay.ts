import { maskCardNumber } from '../src/antom/card-mask';
import { formatResponseTime } from '../src/antom/request-time';
import { antomResult, ResultCodes } from '../src/antom/result-codes';
import { decideCard, Decision, declined, isCardNumber, issuerFacts, newCardToken, PendingKind } from './card-decision';
import { drawDisputeAfterAutomaticCapture } from './disputes';
import { isLateAuthorization, notifyFaultFor } from './faults';
import { planFinal } from './payment-final';
import {
  amountOf,
  Body,
  captureModeOf,
  compact,
  keyedHash,
  newId,
  optionalUrl,
  requireId,
  SandboxContext,
  SandboxError,
  wireBool,
} from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';
import { checkMerchantInitiated } from './stored-credential';

const PAGE_PATH: Record<PendingKind, string> = { THREE_DS: 'challenge', ISSUER: 'challenge', HOSTED: 'card' };

/**
 * payments/pay. Idempotent on paymentRequestId: the same key fields (amount, payment method, capture
 * mode) get the stored answer, different ones REPEAT_REQ_INCONSISTENT; never two authorizations.
 */
export async function pay(ctx: SandboxContext, clientId: string, body: Body): Promise<Body> {
  const requestId = requireId(body, 'paymentRequestId');
  const amount = amountOf(body.paymentAmount, 'paymentAmount');
  const captureMode = captureModeOf(body);
  if (!['AUTOMATIC', 'MANUAL'].includes(captureMode)) throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter paymentFactor.captureMode.');
  const pm = (body.paymentMethod ?? {}) as Body;
  const meta = (pm.paymentMethodMetaData ?? {}) as Body;
  const cardNo = typeof meta.cardNo === 'string' ? meta.cardNo : '';
  if (cardNo && !isCardNumber(cardNo))
    throw new SandboxError('INVALID_CARD_NUMBER', 'Illegal parameter paymentMethodMetaData.cardNo: not a valid card number.');
  checkMerchantInitiated(meta, cardNo !== '');

  const method = cardNo ? keyedHash(ctx.hmacKey, 'card', cardNo) : typeof pm.paymentMethodId === 'string' ? `token:${pm.paymentMethodId}` : 'HOSTED';
  const requestHash = keyedHash(ctx.hmacKey, amount.currency, amount.value, method, captureMode);
  const paymentId = newId('sbx_');
  let decision = cardNo ? decideCard(body, cardNo, paymentId) : await tokenOrHosted(ctx, clientId, body, paymentId);
  const late = decision.code === 'SUCCESS' && isLateAuthorization(amount.value);
  if (late) decision = { code: 'UNKNOWN_EXCEPTION', info: decision.info };
  if (cardNo && wireBool(meta.tokenize) && decision.code !== 'PAYMENT_IN_PROCESS') {
    decision.info.cardToken = await issueToken(ctx, ctx.store.pool, clientId, cardNo, decision);
  }
  const now = ctx.clock.now();
  const status = ResultCodes[decision.code].status;
  const row: NewPayment = {
    client_id: clientId,
    payment_request_id: requestId,
    payment_id: paymentId,
    request_hash: requestHash,
    status,
    currency: amount.currency,
    amount: amount.value,
    capture_mode: captureMode,
    notify_url: optionalUrl(body.paymentNotifyUrl),
    redirect_url: optionalUrl(body.paymentRedirectUrl),
    pending_kind: decision.pendingKind ?? null,
    pending_info: decision.pendingKind || late ? decision.info : null,
    settle_at: late ? new Date(now.getTime() + Math.max(ctx.lateSettleSeconds * 1000, LATE_SETTLE_FLOOR_MS)) : null,
    notify_fault: notifyFaultFor(amount.value),
    response: payResponse(ctx, { requestId, paymentId, amount, now, decision }),
    paid_at: status === 'S' ? now : null,
    auth_expiry_at: status === 'S' ? authExpiry(ctx, now) : null,
    dispute_on_capture: decision.disputed === true && status === 'S',
  };
  const inserted = await insertPayment(ctx, row);
  if (!inserted) {
    // The insert lost to an earlier one with the same request id: that row exists (rows are never deleted).
    const earlier = await ctx.store.findPayment(ctx.store.pool, clientId, { paymentRequestId: requestId });
    if (!earlier) throw new Error(`sandbox payment ${requestId} lost its insert but is not there`);
    if (earlier.request_hash === requestHash) await postponeLateSettlement(ctx, earlier);
    return replay(earlier, requestHash);
  }
  if (row.dispute_on_capture && captureMode === 'AUTOMATIC') await drawDisputeAfterAutomaticCapture(ctx, row);
  if (status !== 'U') ctx.notifier.kick();
  return row.response;
}

type NewPayment = Omit<
  SandboxPaymentRow,
  'captured_amount' | 'refunded_amount' | 'cancelled_at' | 'cancel_response' | 'capture_closed' | 'created_at' | 'authorized_amount'
>;

/**
 * The hot path in one statement (so one implicit transaction, one round trip): the payment row, its
 * automatic capture and its outbox rows together, or nothing when the request id already exists.
 */
async function insertPayment(ctx: SandboxContext, p: NewPayment): Promise<boolean> {
  const plan = p.status === 'U' ? { capture: null, notifications: [] } : planFinal(p);
  const outbox = plan.notifications.flatMap((n) => ctx.notifier.outboxRows(n));
  const captured = plan.capture ? p.amount : '0';
  const res = await ctx.store.pool.query(
    `WITH p AS (
       INSERT INTO sandbox.payment (client_id, payment_request_id, payment_id, request_hash, status, currency, amount, capture_mode,
         notify_url, redirect_url, pending_kind, pending_info, notify_fault, response, paid_at, auth_expiry_at, captured_amount, capture_closed,
         settle_at, owner, dispute_on_capture)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$28,$22,$29)
       ON CONFLICT (client_id, payment_request_id) DO NOTHING RETURNING client_id, payment_id, currency, amount
     ), c AS (
       INSERT INTO sandbox.capture (client_id, capture_request_id, capture_id, payment_id, request_hash, status, currency, amount, response)
       SELECT client_id, $19, $20, payment_id, 'AUTOMATIC', 'S', currency, amount, $21 FROM p WHERE $19::text IS NOT NULL
     ), n AS (
       INSERT INTO sandbox.notification (owner, client_id, notify_type, url, body, bad_signature_first, next_attempt_at)
       SELECT $22, p.client_id, x.t, x.u, x.b, x.bad, now() + make_interval(secs => x.d)
       FROM p, unnest($23::text[], $24::text[], $25::text[], $26::bool[], $27::float8[]) AS x(t, u, b, bad, d)
     )
     SELECT payment_id FROM p`,
    [
      p.client_id,
      p.payment_request_id,
      p.payment_id,
      p.request_hash,
      p.status,
      p.currency,
      p.amount,
      p.capture_mode,
      p.notify_url,
      p.redirect_url,
      p.pending_kind,
      p.pending_info,
      p.notify_fault,
      p.response,
      p.paid_at,
      p.auth_expiry_at,
      captured,
      !!plan.capture,
      plan.capture?.captureRequestId ?? null,
      plan.capture?.captureId ?? null,
      plan.capture?.response ?? null,
      ctx.notifier.ownerId,
      outbox.map((o) => o.notifyType),
      outbox.map((o) => o.url),
      outbox.map((o) => o.body),
      outbox.map((o) => o.badSignatureFirst),
      outbox.map((o) => o.delaySeconds),
      p.settle_at,
      p.dispute_on_capture,
    ],
  );
  return res.rowCount === 1;
}

/** At least this long between a late authorization's last send and its settlement (see postponeLateSettlement). */
const LATE_SETTLE_FLOOR_MS = 2000;

/**
 * A late authorization (…90011) answers U to its pay and to every resend of it, and settles only
 * max(lateSettleSeconds, 2 s) after the LAST send: the gateway's own resends (UPSTREAM_RETRIES, backoff
 * 200 ms doubling, ±25 %: at most 0.5 s apart by default) always meet U, never an S that overtook them.
 * Measured before, with the settlement timed from the first send (0.6 s in the test kit): S twice and U
 * three times in five pays.
 */
async function postponeLateSettlement(ctx: SandboxContext, p: SandboxPaymentRow): Promise<void> {
  if (p.status !== 'U' || !p.settle_at || p.pending_kind || p.cancelled_at) return;
  const at = new Date(ctx.clock.now().getTime() + Math.max(ctx.lateSettleSeconds * 1000, LATE_SETTLE_FLOOR_MS));
  await ctx.store.pool.query(`UPDATE sandbox.payment SET settle_at = greatest(settle_at, $2) WHERE payment_id = $1 AND status = 'U'`, [
    p.payment_id,
    at,
  ]);
}

function replay(existing: SandboxPaymentRow, requestHash: string): Body {
  if (existing.request_hash !== requestHash) throw new SandboxError('REPEAT_REQ_INCONSISTENT');
  return existing.response;
}

export function authExpiry(ctx: SandboxContext, from: Date): Date {
  return new Date(from.getTime() + ctx.authValiditySeconds * 1000);
}

interface PayAnswerInput {
  requestId: string;
  paymentId: string;
  amount: { currency: string; value: string };
  now: Date;
  decision: Decision;
}

function payResponse(ctx: SandboxContext, p: PayAnswerInput): Body {
  const base = {
    result: antomResult(p.decision.code),
    paymentRequestId: p.requestId,
    paymentId: p.paymentId,
    paymentAmount: p.amount,
    paymentCreateTime: formatResponseTime(p.now),
  };
  if (p.decision.pendingKind) {
    const normalUrl = `${ctx.publicUrl()}/sandbox/${PAGE_PATH[p.decision.pendingKind]}/${p.paymentId}`;
    return { ...base, normalUrl, redirectActionForm: { method: 'GET', redirectUrl: normalUrl, actionFormType: 'RedirectActionForm' } };
  }
  if (ResultCodes[p.decision.code].status === 'U') return base;
  const acquirerInfo = acquirerInfoOf(p);
  if (ResultCodes[p.decision.code].status === 'F') return { ...base, paymentResultInfo: p.decision.info, acquirerInfo };
  return compact({
    ...base,
    acquirerInfo,
    paymentTime: formatResponseTime(p.now),
    authExpiryTime: formatResponseTime(authExpiry(ctx, p.now)),
    paymentResultInfo: p.decision.info,
  });
}

/** The acquirer's own view of the authorization (Antom's AcquirerInfo): its ids and its raw result. */
export function acquirerInfoOf(p: { requestId: string; paymentId: string; decision: Decision }): Body {
  const refusal = p.decision.info.refusalCodeRaw;
  return {
    acquirerName: 'SANDBOX_ACQUIRER',
    referenceRequestId: p.requestId,
    acquirerTransactionId: `acq${p.paymentId.slice(4, 28)}`,
    acquirerMerchantId: 'SBX_MID_0001',
    acquirerResultCode: typeof refusal === 'string' ? refusal : ResultCodes[p.decision.code].status === 'S' ? '00' : 'ERR',
    acquirerResultMessage:
      typeof p.decision.info.refusalReasonRaw === 'string'
        ? p.decision.info.refusalReasonRaw
        : ResultCodes[p.decision.code].status === 'S'
          ? 'Approved'
          : p.decision.code,
  };
}

/**
 * No card data: a token from the hosted page (card on file), or the hosted card page itself. The hosted
 * page keeps what the pay asked for (`hostedRequest` in pending_info: the payment method's flags — 3DS,
 * upgrade, region, issuer authentication — the amount and the installment plan) to decide the card the
 * buyer types with them, as Antom's page does; pending_info is never answered.
 */
async function tokenOrHosted(ctx: SandboxContext, clientId: string, body: Body, paymentId: string): Promise<Decision> {
  const pm = (body.paymentMethod ?? {}) as Body;
  if (typeof pm.paymentMethodId !== 'string' || !pm.paymentMethodId) {
    return {
      code: 'PAYMENT_IN_PROCESS',
      pendingKind: 'HOSTED',
      info: { hostedRequest: compact({ paymentMethod: pm, paymentAmount: body.paymentAmount, creditPayPlan: body.creditPayPlan }) },
    };
  }
  const r = await ctx.store.pool.query(`SELECT * FROM sandbox.card_token WHERE token = $1 AND client_id = $2`, [pm.paymentMethodId, clientId]);
  const t = r.rows[0];
  if (!t) throw new SandboxError('PARAM_ILLEGAL', 'Unknown paymentMethodId (card token).');
  // A stored card is a card on file: Antom expects the flag with every token payment.
  if (!wireBool(((pm.paymentMethodMetaData ?? {}) as Body).isCardOnFile))
    throw new SandboxError('PARAM_ILLEGAL', 'A card token payment must set paymentMethodMetaData.isCardOnFile to true.');
  // The row keeps BIN 6 + last 4 (what may be stored); what is shown follows the one masking rule.
  const info = {
    cardNo: maskCardNumber(t.masked),
    cardBrand: t.brand,
    cardBin: t.masked.slice(0, 6),
    lastFour: t.masked.slice(-4),
    funding: 'CREDIT',
    issuingCountry: 'US',
    cardToken: t.token,
    cvvResultRaw: 'P',
    networkTransactionId: `ntx${paymentId.slice(4, 24)}`,
    ...issuerFacts(t.masked, paymentId),
    credentialTypeUsed: 'TOKEN',
  };
  return t.outcome_key === 'SUCCESS' ? { code: 'SUCCESS', info } : declined(t.outcome_key as Decision['code'], info);
}

/** Card tokens are random; the card behind them is kept as a keyed hash and masked form only. */
export async function issueToken(ctx: SandboxContext, db: Db, clientId: string, cardNo: string, d: Decision): Promise<string> {
  const token = newCardToken();
  await db.query(`INSERT INTO sandbox.card_token (token, client_id, card_hash, masked, brand, outcome_key) VALUES ($1,$2,$3,$4,$5,$6)`, [
    token,
    clientId,
    keyedHash(ctx.hmacKey, 'card', cardNo),
    `${cardNo.slice(0, 6)}${'*'.repeat(Math.max(0, cardNo.length - 10))}${cardNo.slice(-4)}`,
    d.info.cardBrand,
    d.code === 'PAYMENT_IN_PROCESS' ? 'SUCCESS' : d.code,
  ]);
  return token;
}
