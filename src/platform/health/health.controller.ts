import { createHash, timingSafeEqual } from 'node:crypto';

import { Controller, Get, Inject, OnModuleInit, Optional, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';

import { GatewayConfig } from '../../config/gateway-config';
import { DatabaseProbe } from '../database/database-probe';
import { LOGGER } from '../logging/logger.tokens';
import { MetricsService } from '../metrics/metrics.service';
import { MetricsAccess, metricsAccess, metricsListenerHost } from '../metrics/metrics-access';
import { UpstreamProbe } from './upstream-probe';

/** Under GATEWAY_WORKERS, which worker answered: operations can tell a stuck worker from a stuck instance. */
const WORKER = process.env.GATEWAY_WORKER_INDEX ? { worker: Number(process.env.GATEWAY_WORKER_INDEX) } : {};

@Controller()
export class HealthController implements OnModuleInit {
  private readonly metricsAccess: MetricsAccess;

  constructor(
    private readonly database: DatabaseProbe,
    private readonly metrics: MetricsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly upstream?: UpstreamProbe,
  ) {
    this.metricsAccess = metricsAccess(config);
  }

  onModuleInit(): void {
    // Said once at start-up: a scraper getting 404 is explained in the log, not by the endpoint.
    if (this.metricsAccess === 'closed') {
      this.logger.warn(
        { listener: metricsListenerHost(this.config) },
        '/metrics is not served: its listener is not loopback and METRICS_TOKEN is unset',
      );
    }
  }

  /**
   * For a person and for alerting: `ok`, `degraded` (the database answers, the acquirer does not or not well —
   * payments answer U and are driven to completion later) or `down` (the database does not answer). HTTP 200
   * unless the database is down (503), so an old-style health check keeps its meaning.
   */
  @Get('/health')
  async health(@Res() reply: FastifyReply) {
    const [database, acquirer] = await Promise.all([this.databaseState(), this.upstream?.health()]);
    const upstream = acquirer?.state ?? 'unknown';
    const status = database === 'up' ? (upstream === 'up' ? 'ok' : 'degraded') : 'down';
    void reply.status(database === 'up' ? 200 : 503).send({ status, database, upstream, ...(acquirer ? { acquirer } : {}), ...WORKER });
  }

  /** Liveness: the process and its event loop answer. Nothing else is asked: restarting cures neither a database nor an acquirer outage. */
  @Get('/health/live')
  live(@Res() reply: FastifyReply) {
    void reply.status(200).send({ status: 'live', ...WORKER });
  }

  /**
   * Readiness, for a load balancer: 200 while this instance can take payments (its database answers), 503 when not.
   * An acquirer outage does not make it unready: every instance shares the acquirer, and a U answer is safe (the
   * merchant retries with the same id); the acquirer's state is in the body and in `/health`.
   */
  @Get('/health/ready')
  async ready(@Res() reply: FastifyReply) {
    const database = await this.databaseState();
    void reply.status(database === 'up' ? 200 : 503).send({ status: database === 'up' ? 'ready' : 'not ready', database, ...WORKER });
  }

  private async databaseState(): Promise<'up' | 'down'> {
    return (await this.database.reachable()) ? 'up' : 'down';
  }

  /**
   * Prometheus text, as `metricsAccess` decides: with METRICS_TOKEN only for `Authorization: Bearer <METRICS_TOKEN>`
   * (401 otherwise); without it open on a loopback listener, and on any other a 404 like an absent route.
   */
  @Get('/metrics')
  async metricsText(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (this.metricsAccess === 'closed') {
      void reply.status(404).send({ statusCode: 404, message: 'Not Found' });
      return;
    }
    const token = this.config.METRICS_TOKEN;
    if (this.metricsAccess === 'token' && (!token || !sameSecret(bearerOf(req.headers.authorization), token))) {
      void reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').send({ statusCode: 401, message: 'Unauthorized' });
      return;
    }
    void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(await this.metrics.registry.metrics());
  }
}

function bearerOf(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : '';
}

/** Constant time whatever the lengths: both sides hashed first. */
function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return given !== '' && timingSafeEqual(h(given), h(expected));
}
