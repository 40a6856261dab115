import { Controller, Get, Header, Optional, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { UpstreamProbe } from './upstream-probe';

/** Under GATEWAY_WORKERS, which worker answered: operations can tell a stuck worker from a stuck instance. */
const WORKER = process.env.GATEWAY_WORKER_INDEX ? { worker: Number(process.env.GATEWAY_WORKER_INDEX) } : {};

@Controller()
export class HealthController {
  constructor(private readonly db: DataSource, private readonly metrics: MetricsService, @Optional() private readonly upstream?: UpstreamProbe) {}

  @Get('/health')
  async health(@Res() reply: FastifyReply) {
    const [database, upstream] = await Promise.all([
      this.db.query('SELECT 1').then(() => 'up', () => 'down'),
      this.upstream ? this.upstream.reachable().then((ok) => (ok ? 'up' : 'down')) : Promise.resolve('unknown'),
    ]);
    const status = database === 'up' ? (upstream === 'up' ? 'ok' : 'degraded') : 'down';
    void reply.status(database === 'up' ? 200 : 503).send({ status, database, upstream, ...WORKER });
  }

  @Get('/metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText() {
    return this.metrics.registry.metrics();
  }
}
