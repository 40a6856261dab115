import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { Pool } from 'undici';

import { formatResponseTime } from '../antom/request-time';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../antom/signature';
import { UpstreamAnswerOf, UpstreamApi, UpstreamRequestOf } from '../antom/upstream-requests';
import { GatewayConfig } from '../config/gateway-config';
import { UpstreamHealth } from '../platform/health/upstream-probe';
import { readBounded } from '../platform/http/read-bounded';
import { LOGGER } from '../platform/logging/logger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import { CircuitState, NoAnswerError, UpstreamBreaker } from './circuit-breaker';
import { backoffMs, isRetryable } from './retry-policy';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from './upstream-credentials';
import type { UpstreamOutcome } from './upstream-outcome';

export type { UpstreamOutcome } from './upstream-outcome';

/** What the caller knows about the payment a call is for (for logs only; nothing of it is sent). */
export interface UpstreamRef {
  paymentId?: string;
}

/** The gateway's own request ids the payload carries (its payment / capture / refund / amount-update row ids): never anything else of it. */
function requestIdsOf(payload: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['paymentRequestId', 'captureRequestId', 'refundRequestId', 'updateRequestId'] as const) {
    const v = (payload as Record<string, unknown>)[k];
    if (typeof v === 'string') out[k] = v.slice(0, 64);
  }
  return out;
}

/**
 * Longest acquirer answer read; past it: no answer. Most are a few KB (an inquiry with its transactions);
 * downloadDisputeEvidence carries up to 1,000,000 Base64 characters.
 */
const UPSTREAM_ANSWER_LIMIT_BYTES = 2 * 1024 * 1024;

const CIRCUIT_GAUGE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The Antom client. One keep-alive pool, every request signed, every response signature verified: an
 * answer we cannot verify is treated exactly like no answer, because acting on a forged "F" could
 * lose a real payment and acting on a forged "S" could ship unpaid goods. With no answer the same
 * bytes are sent again (same request id: Antom's idempotency returns the first result, never a second
 * authorization), with backoff, within a total budget; a circuit breaker fails fast while Antom is down.
 */
@Injectable()
export class AntomClient implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly sandboxPaths: boolean;
  private readonly breaker: UpstreamBreaker;
  private readonly retries: Counter<'api'>;

  constructor(
    @Inject(UPSTREAM_CREDENTIALS) private readonly creds: UpstreamCredentials,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.pool = new Pool(new URL(creds.baseUrl).origin, {
      connections: 128,
      pipelining: 1,
      connectTimeout: config.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeout: config.UPSTREAM_TIMEOUT_MS,
      bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      keepAliveTimeout: 30_000,
    });
    this.sandboxPaths = creds.clientId.startsWith('SANDBOX_');
    const gauge = new Gauge({
      name: 'gateway_upstream_circuit_state',
      help: 'Upstream circuit breaker: 0 closed, 1 half-open, 2 open',
      registers: [metrics.registry],
    });
    gauge.set(0);
    this.retries = new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Upstream resends with the same request id, by API',
      labelNames: ['api'] as const,
      registers: [metrics.registry],
    });
    this.breaker = new UpstreamBreaker({
      minCalls: config.UPSTREAM_BREAKER_MIN_CALLS,
      resetMs: config.UPSTREAM_BREAKER_RESET_MS,
      onStateChange: (state) => {
        gauge.set(CIRCUIT_GAUGE[state]);
        this.logger.warn({ circuit: state }, 'upstream circuit breaker changed state');
      },
    });
  }

  /**
   * `api` is the part after `/v1/`, e.g. `payments/pay`. `ref.paymentId` (the merchant-facing `gwp_…` id, when
   * the caller knows it) and the request ids in the payload name the payment in the "no trustworthy answer" warning.
   */
  async call<A extends UpstreamApi>(api: A, payload: UpstreamRequestOf<A>, ref: UpstreamRef = {}): Promise<UpstreamOutcome<UpstreamAnswerOf<A>>> {
    const ids = { paymentId: ref.paymentId ?? null, ...requestIdsOf(payload) };
    const path = `/ams/${this.sandboxPaths ? 'sandbox/' : ''}api/v1/${api}`;
    const body = JSON.stringify(payload); // the same bytes on every attempt
    const deadline = Date.now() + this.config.UPSTREAM_TOTAL_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt<UpstreamAnswerOf<A>>(api, path, body, deadline, ids);
      const wait = backoffMs(this.config.UPSTREAM_RETRY_BACKOFF_MS, attempt);
      if (!isRetryable(outcome) || attempt >= this.config.UPSTREAM_RETRIES || Date.now() + wait >= deadline) return outcome;
      this.retries.inc({ api });
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  circuitState(): CircuitState {
    return this.breaker.state();
  }

  private async attempt<T>(
    api: string,
    path: string,
    body: string,
    deadline: number,
    ids: Record<string, string | null>,
  ): Promise<UpstreamOutcome<T>> {
    const started = process.hrtime.bigint();
    let outcome: UpstreamOutcome<T>;
    try {
      outcome = await this.breaker.run(async () => {
        const o = await this.send<T>(path, body, Math.max(1, Math.min(this.config.UPSTREAM_TIMEOUT_MS, deadline - Date.now())));
        if (o.kind === 'no-answer') throw new NoAnswerError(o.reason); // counts as a failure for the breaker
        return o;
      });
    } catch (e) {
      outcome = this.breaker.isOpenError(e)
        ? { kind: 'no-answer', reason: 'circuit open: the upstream is failing, request not sent', notSent: true }
        : { kind: 'no-answer', reason: e instanceof Error ? e.message : 'no answer' };
    }
    const code = outcome.kind === 'answer' ? resultCodeOf(outcome.body) : outcome.notSent ? 'CIRCUIT_OPEN' : 'NO_ANSWER';
    this.metrics.observeUpstream(api, outcome.kind === 'answer' ? resultStatusOf(outcome.body) : code, code, started);
    if (outcome.kind === 'no-answer') this.logger.warn({ api, ...ids, reason: outcome.reason }, 'no trustworthy answer from upstream');
    return outcome;
  }

  private async send<T>(path: string, body: string, timeoutMs: number): Promise<UpstreamOutcome<T>> {
    const time = formatResponseTime();
    const signature = sign({ path, clientId: this.creds.clientId, time, body }, this.creds.privateKey);
    try {
      const res = await this.pool.request({
        method: 'POST',
        path,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // A hard deadline for the whole exchange: the idle timeouts above alone let an acquirer that
        // trickles a byte now and then hold a payment indefinitely.
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': this.creds.clientId,
          'request-time': time,
          signature: formatSignatureHeader(signature),
        },
      });
      const raw = await readBounded(res.body, UPSTREAM_ANSWER_LIMIT_BYTES);
      return this.accept<T>(path, res.statusCode, res.headers, raw);
    } catch (e) {
      return { kind: 'no-answer', reason: e instanceof Error ? e.name + ': ' + e.message : 'network error' };
    }
  }

  private accept<T>(path: string, status: number, headers: Record<string, string | string[] | undefined>, raw: Buffer): UpstreamOutcome<T> {
    if (status !== 200) return { kind: 'no-answer', reason: `HTTP ${status}` };
    const one = (n: string) => {
      const h = headers[n];
      return Array.isArray(h) ? h[0] : h;
    };
    const sig = parseSignatureHeader(one('signature'));
    const time = one('response-time');
    const clientId = one('client-id') ?? this.creds.clientId;
    if (!sig || !time || !verify({ path, clientId, time, body: raw }, sig.signature, this.creds.acquirerPublicKey)) {
      return { kind: 'no-answer', reason: 'response signature missing or invalid' };
    }
    try {
      return { kind: 'answer', body: JSON.parse(raw.toString('utf8')) as T };
    } catch {
      return { kind: 'no-answer', reason: 'response body is not JSON' };
    }
  }

  /**
   * For /health. An open circuit is `down` without another probe; otherwise a quick GET (any answer below 500 means
   * the acquirer is reachable); reachable but half-open or with failed calls in the last 10 s is `degraded`.
   */
  async health(): Promise<UpstreamHealth> {
    const breaker = this.breaker.state();
    const { calls, failures } = this.breaker.recent();
    const base = { breaker, recentCalls: calls, recentFailures: failures };
    if (breaker === 'open') return { state: 'down', ...base, reason: 'circuit breaker open: calls answer U at once without reaching the acquirer' };
    if (!(await this.reachable())) return { state: 'down', ...base, reason: 'acquirer unreachable (no answer below HTTP 500 within 2 s)' };
    if (breaker === 'half-open') return { state: 'degraded', ...base, reason: 'circuit breaker half-open: a trial call decides' };
    if (failures > 0)
      return { state: 'degraded', ...base, reason: `${failures} of ${calls} acquirer calls got no trustworthy answer in the last 10 s` };
    return { state: 'up', ...base };
  }

  private async reachable(): Promise<boolean> {
    try {
      const res = await this.pool.request({
        method: 'GET',
        path: '/health',
        headersTimeout: 2000,
        bodyTimeout: 2000,
        signal: AbortSignal.timeout(2000),
      });
      await res.body.dump();
      return res.statusCode < 500;
    } catch {
      return false;
    }
  }

  /**
   * Lets calls in flight finish for a moment, then cuts them: a payment left without its answer stays
   * UNKNOWN and reconciliation settles it, which beats a shutdown that hangs on a slow acquirer.
   */
  async onModuleDestroy(): Promise<void> {
    this.breaker.shutdown();
    const closed = this.pool.close().then(() => true);
    const grace = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref());
    if (!(await Promise.race([closed, grace]))) await this.pool.destroy();
  }
}

function resultStatusOf(body: unknown): string {
  const r = (body as { result?: { resultStatus?: unknown } })?.result?.resultStatus;
  return r === 'S' || r === 'F' || r === 'U' ? r : 'MISSING_RESULT';
}

function resultCodeOf(body: unknown): string {
  const r = (body as { result?: { resultCode?: unknown } })?.result?.resultCode;
  return typeof r === 'string' ? r.slice(0, 64) : 'MISSING_RESULT';
}
