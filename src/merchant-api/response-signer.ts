import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';

import { originForm } from '../antom/origin-form';
import { formatResponseTime } from '../antom/request-time';
import { formatSignatureHeader, sign } from '../antom/signature';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { LOGGER } from '../platform/logging/logger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';

/**
 * Serialises and signs every merchant-facing answer the way Antom signs its responses (contract §1), over
 * the origin-form path the SDK signed and verifies with, whatever form the request line had. Every answer
 * passes here (handlers' by a plain call at their end, refusals and errors through the Antom filter), so this
 * is also where each merchant request is counted (`gateway_merchant_requests_total`) and logged, once.
 *
 * A plain call, not a Nest interceptor: an interceptor costs each request Nest's rxjs chain (`defer`,
 * `mergeAll`, `map`, an Observable per step) and two `AsyncResource.bind` closures; measured with
 * `bench-parts` (issue 27). A handler that forgot the call would answer unsigned:
 * test/architecture/signed-answers.spec.ts holds every handler to it, and the contract suites verify every API's
 * signature.
 */
/**
 * A merchant API handler's `@Res(ANSWER) reply`: Nest still sends what the handler returns (the signed JSON
 * from `send`), the handler only borrows the reply to set the signature headers on it.
 */
export const ANSWER = { passthrough: true } as const;

@Injectable()
export class ResponseSigner {
  constructor(
    private readonly key: GatewaySigningKey,
    private readonly metrics: MetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  send(req: FastifyRequest, reply: FastifyReply, body: object): string {
    const json = JSON.stringify(body);
    const clientId = String(req.headers['client-id'] ?? '');
    const time = formatResponseTime();
    const signature = sign({ method: 'POST', path: originForm(req.url), clientId, time, body: json }, this.key.privateKey);
    reply
      .status(200)
      .header('client-id', clientId)
      .header('response-time', time)
      .header('signature', formatSignatureHeader(signature))
      .type('application/json; charset=UTF-8');
    this.record(req, reply, body);
    return json;
  }

  /**
   * One sample and one log line per merchant request. The API comes from the matched route (an unknown path
   * is `unknown`: no label from what a caller typed), the merchant only once authenticated, the payment id from
   * the answer or the request; never anything else of either (card fields never reach a log line or a label).
   */
  private record(req: FastifyRequest, reply: FastifyReply, body: object): void {
    const result = (body as { result?: { resultStatus?: unknown; resultCode?: unknown } }).result;
    const resultStatus = typeof result?.resultStatus === 'string' ? result.resultStatus : 'MISSING';
    const resultCode = typeof result?.resultCode === 'string' ? result.resultCode.slice(0, 64) : 'MISSING';
    const api = apiOf(req.routeOptions?.url);
    const ms = reply.elapsedTime;
    this.metrics.countRequest(api, resultStatus, resultCode, ms / 1000);
    const merchant = (req as FastifyRequest & { merchant?: { clientId: string } }).merchant;
    this.logger.info(
      {
        api,
        clientId: merchant?.clientId ?? null,
        paymentId: paymentIdOf(body, req),
        ...requestIdsOf(req),
        resultStatus,
        resultCode,
        durationMs: Math.round(ms * 10) / 10,
      },
      'merchant request',
    );
  }
}

/** `payments/pay` from any of the route's paths (`/ams/api/v1/…`, `/ams/sandbox/api/v1/…`, `/v1/…`). */
function apiOf(route: string | undefined): string {
  const i = route?.indexOf('/v1/') ?? -1;
  return route && i >= 0 ? route.slice(i + 4) : 'unknown';
}

const REQUEST_ID_FIELDS = ['paymentRequestId', 'captureRequestId', 'refundRequestId'] as const;

/**
 * The merchant's own request ids, under their wire names, so on-call can find a merchant's call by the id the
 * merchant quotes. Only ids the gateway accepted as ids reach here unrefused (a card number in one is refused and
 * the logger scrubs card numbers from every line besides); capped at 64 characters, strings only.
 */
function requestIdsOf(req: FastifyRequest): Partial<Record<(typeof REQUEST_ID_FIELDS)[number], string>> {
  const body = (req as FastifyRequest & { antomBody?: unknown }).antomBody as Record<string, unknown> | undefined;
  const out: Partial<Record<(typeof REQUEST_ID_FIELDS)[number], string>> = {};
  for (const f of REQUEST_ID_FIELDS) if (typeof body?.[f] === 'string') out[f] = (body[f] as string).slice(0, 64);
  return out;
}

/** The merchant-facing payment id (`gwp_…`) the answer names, else the one the request named. */
function paymentIdOf(body: object, req: FastifyRequest): string | null {
  const pick = (o: unknown) => {
    const v = (o as { paymentId?: unknown } | undefined)?.paymentId;
    return typeof v === 'string' && /^[\w-]{1,64}$/.test(v) ? v : null;
  };
  return pick(body) ?? pick((req as FastifyRequest & { antomBody?: unknown }).antomBody);
}
