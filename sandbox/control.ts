import { FastifyInstance, FastifyRequest } from 'fastify';

import { FaultInjector, TRANSPORT_FAULTS, TransportFault } from './faults';
import { SandboxContext } from './sandbox-context';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Unsigned test controls, answered only to loopback callers:
 *  POST   /sandbox/control/faults {fault, api?, times?}  inject a transport fault into the next `times` calls
 *  DELETE /sandbox/control/faults                        clear them
 *  POST   /sandbox/control/expire-authorization {paymentId}  make authExpiryTime pass now
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
      `UPDATE sandbox.payment SET auth_expiry_at = now() - interval '1 second' WHERE payment_id = $1 AND status = 'S'`,
      [json(req).paymentId],
    );
    return { ok: r.rowCount === 1 };
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
