import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';

import { FastifyInstance } from 'fastify';

import { GatewayConfig } from '../config/gateway-config';
import { applyListenerTimeouts, connectionsCheckingInterval } from '../platform/http/listener-timeouts';
import { TlsMaterial, tlsServerOptions } from '../platform/http/tls-material';

/** The console and the metrics: what ADMIN_PORT moves off the merchant listener. */
export function isOperatorPath(url: string): boolean {
  const p = url.split('?')[0];
  return p === '/metrics' || p === '/admin' || p.startsWith('/admin/');
}

export interface AdminListener {
  listen(): Promise<string>;
  closeAllConnections(): void;
}

/**
 * ADMIN_PORT: a second HTTP server on the same Fastify instance (same routes, hooks, helmet headers, one
 * DI container, one pool), told apart per request by the server that accepted it. On PORT, `/admin…` and
 * `/metrics` answer 404 as if they did not exist; on ADMIN_PORT only they and the health paths exist. Registered
 * before the app is ready; `listen` once the merchant listener is up; closed with the app.
 */
/** Health, liveness and readiness: answered on both listeners. */
const HEALTH_PATHS = new Set(['/health', '/health/live', '/health/ready']);

export function separateAdminListener(fastify: FastifyInstance, config: GatewayConfig, tls?: TlsMaterial): AdminListener | undefined {
  if (config.ADMIN_PORT === undefined) return undefined;
  const accepted = new WeakSet<http.IncomingMessage>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    accepted.add(req);
    fastify.routing(req, res);
  };
  // The same certificate as PORT: the console's password and session cookie never cross in clear either.
  const server = tls
    ? https.createServer(tlsServerOptions(tls, config.REQUEST_TIMEOUT_MS), handler)
    : http.createServer({ connectionsCheckingInterval: connectionsCheckingInterval(config.REQUEST_TIMEOUT_MS) }, handler);
  applyListenerTimeouts(server, config.REQUEST_TIMEOUT_MS);
  fastify.addHook('onRequest', async (req, reply) => {
    const onAdmin = accepted.has(req.raw);
    const operator = isOperatorPath(req.url);
    if (onAdmin ? operator || HEALTH_PATHS.has(req.url.split('?')[0]) : !operator) return;
    await reply.code(404).type('application/json; charset=utf-8').send({ statusCode: 404, message: 'Not Found' });
  });
  fastify.addHook('onClose', async () => {
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  });
  return {
    listen: () =>
      new Promise<string>((resolve, reject) => {
        const host = config.ADMIN_HOST ?? config.HOST;
        server.once('error', reject);
        server.listen(config.ADMIN_PORT, host, () => {
          server.off('error', reject);
          resolve(`${tls ? 'https' : 'http'}://${urlHost(host)}:${(server.address() as AddressInfo).port}`);
        });
      }),
    closeAllConnections: () => server.closeAllConnections(),
  };
}

/** An IPv6 literal in a URL goes in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
