import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics. Labels are API names and result codes only: never an id, amount or card field. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_merchant_requests_total',
    help: 'Merchant API requests by API and result code',
    labelNames: ['api', 'result_code'] as const,
    registers: [this.registry],
  });
  private readonly upstreamLatency = new Histogram({
    name: 'gateway_upstream_request_seconds',
    help: 'Upstream (Antom) call latency by API and result code',
    labelNames: ['api', 'result_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  countRequest(api: string, resultCode: string): void {
    this.requests.inc({ api, result_code: resultCode });
  }

  observeUpstream(api: string, resultCode: string, startedNs: bigint): void {
    this.upstreamLatency.observe({ api, result_code: resultCode }, Number(process.hrtime.bigint() - startedNs) / 1e9);
  }
}
