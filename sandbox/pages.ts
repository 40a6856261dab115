import { FastifyInstance, FastifyReply } from 'fastify';

import { ResultCode } from '../src/antom/result-codes';
import { cardSummary, decideCard, Decision, declined, isCardNumber, threeDSResult } from './card-decision';
import { issueToken } from './pay';
import { Body, SandboxContext, SandboxError, wireBool } from './sandbox-context';
import { SandboxPaymentRow } from './sandbox-store';
import { Resolve, settlePending } from './settle';

/*
 * The buyer-facing pages the sandbox links as normalUrl: the 3DS challenge (also used for Korean issuer
 * authentication) and the hosted card page. Real HTML forms; the outcome reaches the merchant only by
 * notifyPayment and inquiryPayment, the redirect back to paymentRedirectUrl proves nothing.
 */
export function registerPages(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { id: string } }>('/sandbox/challenge/:id', async (req, reply) => {
    const p = await ctx.store.findPaymentById(ctx.store.pool, req.params.id);
    if (!awaiting(p, ['THREE_DS', 'ISSUER']))
      return page(reply, 'Nothing to authenticate', '<p id="status">This payment is not awaiting authentication.</p>', 404);
    const title = p.pending_kind === 'ISSUER' ? 'Card issuer authentication' : '3-D Secure challenge';
    const info = p.pending_info ?? {};
    return page(
      reply,
      title,
      `
      <p>Amount: <strong id="amount">${esc(p.amount)} ${esc(p.currency)}</strong></p>
      <p>Card: <span id="card">${esc(info.cardNo ?? '')}</span></p>
      <p>Enter the code sent to your phone (any value works in the sandbox).</p>
      <form method="post" action="/sandbox/challenge/${esc(p.payment_id)}">
        <input name="otp" id="otp" autocomplete="one-time-code" value="">
        <button type="submit" name="action" value="approve" id="approve">Approve</button>
        <button type="submit" name="action" value="fail" id="fail">Fail</button>
        <button type="submit" name="action" value="abandon" id="abandon">Abandon</button>
      </form>`,
    );
  });
  app.post<{ Params: { id: string } }>('/sandbox/challenge/:id', async (req, reply) => {
    const action = form(req.body).get('action');
    return back(reply, await completeChallenge(ctx, req.params.id, action === 'approve' || action === 'fail' ? action : 'abandon'));
  });
  app.get<{ Params: { id: string } }>('/sandbox/card/:id', async (req, reply) => {
    const p = await ctx.store.findPaymentById(ctx.store.pool, req.params.id);
    if (!awaiting(p, ['HOSTED'])) return page(reply, 'Nothing to pay', '<p id="status">This payment is not awaiting card details.</p>', 404);
    return page(
      reply,
      'Pay by card',
      `
      <p>Amount: <strong id="amount">${esc(p.amount)} ${esc(p.currency)}</strong></p>
      <form method="post" action="/sandbox/card/${esc(p.payment_id)}" autocomplete="off">
        <label>Card number <input name="cardNo" id="cardNo" inputmode="numeric" required></label>
        <label>Expiry month <input name="expiryMonth" id="expiryMonth" placeholder="MM" required></label>
        <label>Expiry year <input name="expiryYear" id="expiryYear" placeholder="YY" required></label>
        <label>CVV <input name="cvv" id="cvv" inputmode="numeric" required></label>
        <label>Name on card <input name="holder" id="holder"></label>
        <button type="submit" id="pay">Pay</button>
      </form>`,
    );
  });
  app.post<{ Params: { id: string } }>('/sandbox/card/:id', async (req, reply) => {
    const f = form(req.body);
    const cardNo = (f.get('cardNo') ?? '').replace(/\D/g, '');
    // Refused like the S2S pay (INVALID_CARD_NUMBER): the payment stays open, the buyer may type it again.
    if (!isCardNumber(cardNo))
      return page(
        reply,
        'Pay by card',
        `<p id="status">Invalid card number.</p><p><a id="retry" href="/sandbox/card/${esc(req.params.id)}">Try again</a></p>`,
        400,
      );
    let challenged = false;
    const p = await finish(ctx, req.params.id, ['HOSTED'], async (row, db) => {
      const d = hostedDecision(row, cardNo, f);
      d.info.cardToken = await issueToken(ctx, db, row.client_id, cardNo, d);
      if (d.pendingKind) {
        // 3DS challenge or Korean issuer authentication: the same page as for a server-to-server pay.
        challenged = true;
        await db.query(`UPDATE sandbox.payment SET pending_kind = $3, pending_info = $2 WHERE payment_id = $1`, [
          row.payment_id,
          d.info,
          d.pendingKind,
        ]);
        return null;
      }
      return d;
    });
    if (challenged && p) return reply.redirect(`/sandbox/challenge/${p.payment_id}`, 303);
    return back(reply, p);
  });
}

/**
 * The card the buyer typed, decided with what the pay asked for (kept as `hostedRequest` by payments/pay):
 * 3DS, the upgrade flag only as sent, the region and Korean issuer authentication, the installment plan.
 * `is3DSAuthentication` true on this page means a challenge (the buyer is here to answer it). A card the
 * pay's terms refuse (no installments in its region) is declined with the acquirer's code.
 */
function hostedDecision(row: SandboxPaymentRow, cardNo: string, f: URLSearchParams): Decision {
  const asked = ((row.pending_info ?? {}).hostedRequest ?? {}) as Body;
  const pm = (asked.paymentMethod ?? {}) as Body;
  const meta: Body = {
    ...((pm.paymentMethodMetaData ?? {}) as Body),
    cardNo,
    cvv: f.get('cvv'),
    expiryMonth: f.get('expiryMonth'),
    expiryYear: f.get('expiryYear'),
  };
  const body = { ...asked, paymentMethod: { ...pm, paymentMethodMetaData: meta }, paymentFactor: { captureMode: row.capture_mode } };
  let d: Decision;
  try {
    d = decideCard(body, cardNo, row.payment_id, { hostedPage: true });
  } catch (e) {
    if (!(e instanceof SandboxError)) throw e;
    return declined(e.code, cardSummary(cardNo, null));
  }
  if (d.code === 'SUCCESS' && wireBool(meta.is3DSAuthentication)) {
    delete d.info.threeDSResult;
    return { ...d, code: 'PAYMENT_IN_PROCESS', pendingKind: 'THREE_DS' };
  }
  return d;
}

/**
 * The buyer's answer on the challenge page (3DS, or Korean issuer authentication), also sent by the test
 * kit's `complete3ds` (POST /sandbox/control/complete-challenge): settled once, notified as any settlement.
 * Null or unchanged when the payment awaits no challenge.
 */
export function completeChallenge(ctx: SandboxContext, paymentId: string, action: 'approve' | 'fail' | 'abandon'): Promise<SandboxPaymentRow | null> {
  const outcome: ResultCode = action === 'approve' ? 'SUCCESS' : action === 'fail' ? 'USER_PAYMENT_VERIFICATION_FAILED' : 'ORDER_IS_CLOSED';
  return finish(ctx, paymentId, ['THREE_DS', 'ISSUER'], async (row) => {
    const info = { ...(row.pending_info ?? {}) };
    if (row.pending_kind === 'THREE_DS' && action !== 'abandon') info.threeDSResult = threeDSResult(true, outcome === 'SUCCESS');
    // Like Antom's Korean issuer-authenticated results: an empty 3DS block, since no 3DS took place.
    if (row.pending_kind === 'ISSUER') Object.assign(info, { avsResultRaw: '', cvvResultRaw: '', threeDSResult: { cavv: '', eci: '' } });
    return { code: outcome, info };
  });
}

/** Settles a pending payment once, under its row lock: a double submit or a cancelled payment changes nothing. */
function finish(ctx: SandboxContext, paymentId: string, kinds: string[], resolve: Resolve): Promise<SandboxPaymentRow | null> {
  return settlePending(ctx, paymentId, (p) => awaiting(p, kinds), resolve);
}

function awaiting(p: SandboxPaymentRow | null, kinds: string[]): p is SandboxPaymentRow {
  return !!p && p.status === 'U' && !p.cancelled_at && kinds.includes(p.pending_kind ?? '');
}

/** The buyer goes back to the merchant's paymentRedirectUrl, whatever happened. */
function back(reply: FastifyReply, p: SandboxPaymentRow | null) {
  if (p?.redirect_url) return reply.redirect(p.redirect_url, 303);
  return page(
    reply,
    'Done',
    `<p id="status">${p ? esc(p.status === 'S' ? 'Payment authorized.' : 'Payment not completed.') : 'Unknown payment.'}</p>`,
  );
}

function page(reply: FastifyReply, title: string, content: string, status = 200) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} – Antom sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}input{margin-left:.5rem}button{margin:.5rem .5rem 0 0;padding:.5rem 1rem}</style>
</head><body><h1>${esc(title)}</h1>${content}<p><small>Antom-compatible sandbox: no real money moves.</small></p></body></html>`;
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

function form(body: unknown): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(body) ? body.toString('utf8') : '');
}

function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
