import rateLimit from '@fastify/rate-limit';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { sendPage } from '../admin/http/admin-http';
import { errorPage } from '../admin/views/error.view';
import { antomResult } from '../antom/result-codes';
import { GatewayConfig } from '../config/gateway-config';
import { MetricsService } from '../platform/metrics/metrics.service';
import { registerMerchantIpLimit } from './merchant-ip-limit';

/** The unauthenticated route groups with a per-IP limit: the metric's `route` label (`merchant_api`: merchant-ip-limit.ts). */
export type IpLimitGroup = 'antom_notify' | 'admin_login' | 'collect_page';

/**
 * The group of a request, from the route Fastify matched (its declared path, not the raw URL: `%6e`-encoded,
 * absolute-form or otherwise rewritten targets land on the same route and so in the same group); null for
 * everything else (the merchant API has its own per-IP limit, on unauthenticated requests only, in
 * merchant-ip-limit.ts, and its per-merchant limit after the signature; 404s are not counted).
 */
export function ipLimitGroupOf(routePath: string | undefined): IpLimitGroup | null {
  if (!routePath) return null;
  if (routePath === '/antom/notify') return 'antom_notify';
  if (routePath === '/admin/login' || routePath.startsWith('/admin/login/')) return 'admin_login';
  if (routePath.startsWith('/collect/')) return 'collect_page';
  return null;
}

/** Distinct client addresses remembered per group (LRU): a spray of addresses cannot grow memory without bound. */
const ADDRESSES_PER_GROUP = 20_000;

/**
 * Per-client-IP limits on the routes anyone can reach (PCI DSS 6.4.1/8.3.4 context: sign-in floods, notify
 * spam, card-page probing), with @fastify/rate-limit's fixed-window counter in an LRU store (IPv6 counted per
 * /64). Chosen over MerchantRateLimiter, whose map grows by one bucket per key and is meant for the bounded
 * set of merchants: here the keys are whatever addresses the internet sends. The client IP is `req.ip`,
 * i.e. TRUST_PROXY decides whether X-Forwarded-For counts. Each group answers in its route's own format.
 * Registered before `app.init()`, after the ADMIN_PORT split (a route absent on a listener stays a 404).
 */
export async function registerIpLimits(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  await app.register(rateLimit as never, { global: false });
  const metrics = app.get(MetricsService);
  const limits: Record<IpLimitGroup, number> = {
    antom_notify: config.IP_RATE_LIMIT_NOTIFY,
    admin_login: config.IP_RATE_LIMIT_ADMIN_LOGIN,
    collect_page: config.IP_RATE_LIMIT_COLLECT,
  };
  const timeWindow = config.IP_RATE_LIMIT_WINDOW_SECONDS * 1000;
  const limiters = new Map<IpLimitGroup, ReturnType<FastifyInstance['createRateLimit']>>();
  for (const [group, max] of Object.entries(limits) as Array<[IpLimitGroup, number]>) {
    // `cache` sizes this limiter's own LocalStore (store.child reads it from the merged options; untyped there).
    const options = { max, timeWindow, cache: ADDRESSES_PER_GROUP } as Parameters<FastifyInstance['createRateLimit']>[0];
    if (max > 0) limiters.set(group, fastify.createRateLimit(options));
  }
  registerMerchantIpLimit(fastify, config, metrics);
  fastify.addHook('onRequest', async (req, reply) => {
    const group = ipLimitGroupOf(req.routeOptions.url);
    const limiter = group && limiters.get(group);
    if (!group || !limiter) return;
    const verdict = await limiter(req);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    metrics.countIpLimited(group);
    await refuse(group, req, reply, Math.max(1, verdict.ttlInSeconds));
  });
}

/** HTTP 429 with Retry-After, in the format the route's callers read. */
async function refuse(group: IpLimitGroup, req: FastifyRequest, reply: FastifyReply, retryAfter: number): Promise<void> {
  void reply.code(429).header('retry-after', String(retryAfter)).header('cache-control', 'no-store');
  const wait = `wait ${retryAfter} s`;
  if (group === 'admin_login') {
    sendPage(reply, errorPage(429, `Too many sign-in requests from your address. Nothing was checked: ${wait} and sign in again.`), 429);
    return;
  }
  if (group === 'antom_notify') {
    // Not the ack: Antom keeps the notification and resends it on its schedule.
    await reply
      .type('application/json; charset=utf-8')
      .send({ result: antomResult('REQUEST_TRAFFIC_EXCEED_LIMIT', `Too many notifications from this address; ${wait}.`) });
    return;
  }
  if (req.method === 'POST') {
    // The card page's script shows resultMessage; nothing was read or stored.
    await reply
      .type('application/json; charset=utf-8')
      .send({ result: antomResult('REQUEST_TRAFFIC_EXCEED_LIMIT', `Too many attempts from your address; ${wait} and try again.`) });
    return;
  }
  await reply.type('text/plain; charset=utf-8').send(`Too many requests from your address; ${wait} and reload this page.`);
}

/** The per-IP limits, each counted by every worker for itself: what GATEWAY_WORKERS divides (`ipLimitsPerWorker`). */
const IP_LIMIT_KEYS = ['IP_RATE_LIMIT_NOTIFY', 'IP_RATE_LIMIT_ADMIN_LOGIN', 'IP_RATE_LIMIT_COLLECT', 'IP_RATE_LIMIT_MERCHANT_API'] as const;

/**
 * Under GATEWAY_WORKERS the primary gives each worker its share of every per-IP limit, as environment: node:cluster
 * hands connections to the workers in turn and each counts in its own memory, so the configured limit would
 * otherwise hold per worker (4 workers: 4 times the limit per address). The share is rounded up and never 0
 * (0 means off): the workers together allow about the configured number, up to one more per worker. A client
 * keeping one connection alive meets one worker, so it gets about its share only: stricter, never looser.
 */
export function ipLimitsPerWorker(config: GatewayConfig): Record<string, string> {
  const workers = config.GATEWAY_WORKERS;
  return Object.fromEntries(IP_LIMIT_KEYS.map((k) => [k, String(config[k] === 0 ? 0 : Math.ceil(config[k] / workers))]));
}
