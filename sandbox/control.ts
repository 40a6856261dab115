import { FastifyInstance, FastifyRequest } from 'fastify';

import { FaultInjector, TRANSPORT_FAULTS, TransportFault } from './faults';
import { completeChallenge } from './pages';
import { SandboxContext } from './sandbox-context';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Unsigned test controls, answered only to loopback callers:
 *  POST   /sandbox/control/faults {fault, api?, times?}  inject a transport fault into the next `times` calls
 *  DELETE /sandbox/control/faults                        clear them
 *  POST   /sandbox/control/expire-authorization {paymentId}  make authExpiryTime pass now
 *  POST   /sandbox/control/clock {advanceMs}                 move the sandbox's clock forward (sandbox-clock.ts)
 *  POST   /sandbox/control/complete-challenge {paymentId, action: approve|fail}  the buyer's answer to the challenge page
 */
export function registerControl(app: FastifyInstance, ctx: SandboxContext, faults: FaultInjector): void {
  app.post('/sandbox/control/faults', async (req, reply) => {
    if (!loopback(req)) return reply.status(404).send();
    const b = json(req);
    if (!TRANSPORT_FAULTS.includes(b.fault as TransportFault))
      return reply.status(400).send({ error: `fault must be one of ${TRANSPORT_FAULTS.join(', ')}` });
    faults.addControl(b.fault as TransportFault, typeof b.api === 'string' ? b.api : '*', Number.isInteger(b.times) ? Number(b.times) : 1);
    return { ok: true };
  });
  app.delete('/sandbox/control/faults', async (req, reply) => {
    if (!loopback(req)) return reply.status(404).send();
    faults.clearControl();
    return { ok: true };
  });
  app.post('/sandbox/control/expire-authorization', async (req, reply) => {
    if (!loopback(req)) return reply.status(404).send();
    const r = await ctx.store.pool.query(
      `UPDATE sandbox.payment SET auth_expiry_at = $2::timestamptz - interval '1 second' WHERE payment_id = $1 AND status = 'S'`,
      [json(req).paymentId, ctx.clock.now()],
    );
    return { ok: r.rowCount === 1 };
  });
  app.post('/sandbox/control/clock', async (req, reply) => {
    if (!loopback(req)) return reply.status(404).send();
    const ms = json(req).advanceMs;
    if (!Number.isSafeInteger(ms) || (ms as number) < 0)
      return reply.status(400).send({ error: 'advanceMs must be a whole number of milliseconds, >= 0' });
    const offsetMs = ctx.clock.advance(ms as number);
    ctx.notifier.kick();
    return { ok: true, offsetMs, now: ctx.clock.now().toISOString() };
  });
  app.post('/sandbox/control/complete-challenge', async (req, reply) => {
    if (!loopback(req)) return reply.status(404).send();
    const b = json(req);
    if (typeof b.paymentId !== 'string' || (b.action !== 'approve' && b.action !== 'fail'))
      return reply.status(400).send({ error: "paymentId (the acquirer's) and action approve | fail are required" });
    const before = await ctx.store.findPaymentById(ctx.store.pool, b.paymentId);
    // A payment awaiting no challenge (already answered, cancelled, not a 3DS card, unknown) is refused.
    if (!before || before.status !== 'U' || before.cancelled_at || !['THREE_DS', 'ISSUER'].includes(before.pending_kind ?? ''))
      return { ok: false, error: `payment ${b.paymentId} awaits no challenge (status ${before?.status ?? 'unknown'})` };
    const p = await completeChallenge(ctx, b.paymentId, b.action);
    return { ok: !!p && p.status !== 'U', status: p?.status ?? null };
  });
}

function loopback(req: FastifyRequest): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

function json(req: FastifyRequest): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
