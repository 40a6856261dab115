import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { isMerchantApiPath } from '../antom/api-paths';
import { originForm } from '../antom/origin-form';
import { antomResult } from '../antom/result-codes';
import { GatewayConfig } from '../config/gateway-config';
import { isAuthenticated } from '../merchant-api/merchant-auth.guard';
import { MetricsService } from '../platform/metrics/metrics.service';

/** Distinct client addresses remembered (LRU), as for the other per-IP limits. */
const ADDRESSES = 20_000;

/**
 * The per-client-IP limit on the merchant API, applied before the signature is verified (issue 23: 4,000
 * unsigned requests from one client, each answered with an RSA-signed error, pushed pay p50 from 95 to 739 ms).
 *
 * Counted: merchant API requests that did not authenticate (`isAuthenticated`: no Client-Id, an unknown one or
 * key version, a signature that does not verify, an unknown API, a body unreadable before the signature), each
 * one a signed refusal, so an RSA signature, for the gateway. A request whose signature verified is never counted:
 * a merchant's own traffic, however large, spends nothing here (MerchantRateLimiter bounds it after the
 * signature), so the limit can be low. Counted once answered, so requests in flight at the same moment can pass
 * the limit by their number.
 *
 * Refused: once an address has IP_RATE_LIMIT_MERCHANT_API of them in the window, every merchant API request from
 * it until the window ends, in onRequest: before the body is read, the merchant looked up or anything verified or
 * signed, so a refusal costs no RSA work. HTTP 429 with Retry-After and Antom's JSON, U
 * REQUEST_TRAFFIC_EXCEED_LIMIT (retry later with the same request id), unsigned: the signature is the cost this
 * avoids, and a status other than 200 tells an SDK there is no signed Antom answer (this repository's client and
 * Antom's SDKs treat it as no answer) rather than handing it a forged-looking one.
 *
 * Trade-off: a merchant that shares the sender's address (one NAT; every client when TRUST_PROXY does not name
 * the load balancer in front) is refused with it until the window ends.
 */
export function registerMerchantIpLimit(fastify: FastifyInstance, config: GatewayConfig, metrics: MetricsService): void {
  const max = config.IP_RATE_LIMIT_MERCHANT_API;
  if (max <= 0) return;
  // `cache` sizes this limiter's own LocalStore (store.child reads it from the merged options; untyped there).
  const options = { max, timeWindow: config.IP_RATE_LIMIT_WINDOW_SECONDS * 1000, cache: ADDRESSES } as Parameters<
    FastifyInstance['createRateLimit']
  >[0];
  const limiter = fastify.createRateLimit(options);
  const refused = new WeakSet<FastifyRequest>();
  fastify.addHook('onRequest', async (req, reply) => {
    if (!onMerchantApi(req)) return;
    // A look, not a count: only unauthenticated answers are counted, below.
    const spent = await limiter(req, { increment: false });
    if (spent.isAllowed || spent.remaining > 0) return;
    refused.add(req);
    metrics.countIpLimited('merchant_api');
    await refuse(reply, Math.max(1, spent.ttlInSeconds));
  });
  // Counted as the answer goes out (onSend, before it is written): a client that sends its next request once it
  // has this answer always meets the count.
  fastify.addHook('onSend', async (req, _reply, payload) => {
    if (!refused.has(req) && !isAuthenticated(req) && onMerchantApi(req)) await limiter(req);
    return payload;
  });
}

/** The route Fastify matched (any `%`-spelling of a known API), else the path as sent (an unknown API). */
function onMerchantApi(req: FastifyRequest): boolean {
  return isMerchantApiPath(req.routeOptions.url ?? '') || isMerchantApiPath(originForm(req.url));
}

async function refuse(reply: FastifyReply, retryAfter: number): Promise<void> {
  const message = `Too many requests without a valid signature from your address; nothing was checked: wait ${retryAfter} s, then retry with the same request id.`;
  await reply
    .code(429)
    .header('retry-after', String(retryAfter))
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ result: antomResult('REQUEST_TRAFFIC_EXCEED_LIMIT', message) });
}
