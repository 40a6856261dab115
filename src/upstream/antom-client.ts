import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'undici';
import { Logger } from 'pino';
import { formatResponseTime } from '../antom/request-time';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../antom/signature';
import { GatewayConfig } from '../config/gateway-config';
import { LOGGER } from '../platform/logging/logger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from './upstream-credentials';

export type UpstreamOutcome<T> =
  | { kind: 'answer'; body: T }
  /** No trustworthy answer: timeout, network error, non-200, unsigned or forged response. The operation may have happened. */
  | { kind: 'no-answer'; reason: string };

/**
 * The Antom client. One keep-alive pool, every request signed, every response signature verified: an
 * answer we cannot verify is treated exactly like no answer, because acting on a forged "F" could
 * lose a real payment and acting on a forged "S" could ship unpaid goods.
 */
@Injectable()
export class AntomClient implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly sandboxPaths: boolean;

  constructor(
    @Inject(UPSTREAM_CREDENTIALS) private readonly creds: UpstreamCredentials,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.pool = new Pool(new URL(creds.baseUrl).origin, {
      connections: 128,
      pipelining: 1,
      connectTimeout: 5_000,
      headersTimeout: config.UPSTREAM_TIMEOUT_MS,
      bodyTimeout: config.UPSTREAM_TIMEOUT_MS,
      keepAliveTimeout: 30_000,
    });
    this.sandboxPaths = creds.clientId.startsWith('SANDBOX_');
  }

  /** `api` is the part after `/v1/`, e.g. `payments/pay`. */
  async call<T>(api: string, payload: object): Promise<UpstreamOutcome<T>> {
    const path = `/ams/${this.sandboxPaths ? 'sandbox/' : ''}api/v1/${api}`;
    const body = JSON.stringify(payload);
    const time = formatResponseTime();
    const signature = sign({ path, clientId: this.creds.clientId, time, body }, this.creds.privateKey);
    const started = process.hrtime.bigint();
    let outcome: UpstreamOutcome<T>;
    try {
      const res = await this.pool.request({
        method: 'POST',
        path,
        body,
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': this.creds.clientId,
          'request-time': time,
          signature: formatSignatureHeader(signature),
        },
      });
      const raw = Buffer.from(await res.body.arrayBuffer());
      outcome = this.accept<T>(path, res.statusCode, res.headers, raw);
    } catch (e) {
      outcome = { kind: 'no-answer', reason: e instanceof Error ? e.name + ': ' + e.message : 'network error' };
    }
    this.metrics.observeUpstream(api, outcome.kind === 'answer' ? resultCodeOf(outcome.body) : 'NO_ANSWER', started);
    if (outcome.kind === 'no-answer') this.logger.warn({ api, reason: outcome.reason }, 'no trustworthy answer from upstream');
    return outcome;
  }

  private accept<T>(path: string, status: number, headers: Record<string, string | string[] | undefined>, raw: Buffer): UpstreamOutcome<T> {
    if (status !== 200) return { kind: 'no-answer', reason: `HTTP ${status}` };
    const one = (n: string) => (Array.isArray(headers[n]) ? headers[n]![0] : (headers[n] as string | undefined));
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

  async reachable(): Promise<boolean> {
    try {
      const res = await this.pool.request({ method: 'GET', path: '/health', headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      return res.statusCode < 500;
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}

function resultCodeOf(body: unknown): string {
  const r = (body as { result?: { resultCode?: unknown } })?.result?.resultCode;
  return typeof r === 'string' ? r.slice(0, 64) : 'MISSING_RESULT';
}
