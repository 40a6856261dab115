import * as fs from 'node:fs';
import * as path from 'node:path';

import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How long one scrape waits for a gauge that needs SQL; past it the gauge keeps its last value. */
export const SCRAPE_SQL_TIMEOUT_MS = 1000;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics. Labels are API names, result statuses and codes, outcomes: never an id, amount or card
 * field. Gauges that need the database are read on scrape (`gaugeOnScrape`), with a timeout, never on the pay path.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_merchant_requests_total',
    help: 'Merchant API requests by API, result status and result code (every answer, refusals included)',
    labelNames: ['api', 'result_status', 'result_code'] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: 'gateway_merchant_request_seconds',
    help: 'Merchant API answer time by API and result status',
    labelNames: ['api', 'result_status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly paySeconds = new Histogram({
    name: 'gateway_pay_seconds',
    help: 'payments/pay answer time by result status',
    labelNames: ['result_status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly upstreamLatency = new Histogram({
    name: 'gateway_upstream_request_seconds',
    help: 'Upstream (Antom) call latency by API and result code',
    labelNames: ['api', 'result_code'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly upstreamOutcomes = new Counter({
    name: 'gateway_upstream_requests_total',
    help: "Upstream (Antom) attempts by API and outcome: S, F, U (the answer's resultStatus), NO_ANSWER, CIRCUIT_OPEN",
    labelNames: ['api', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'gateway_notification_deliveries_total',
    help: 'Merchant notification delivery attempts by outcome: ACKED, REJECTED (answered without the ack), ERROR (no answer)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly givenUp = new Counter({
    name: 'gateway_notification_given_up_total',
    help: 'Merchant notifications given up after the last attempt of the retry schedule',
    registers: [this.registry],
  });
  private readonly vaultOps = new Counter({
    name: 'gateway_vault_operations_total',
    help: 'Vault operations by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly signInFailures = new Counter({
    name: 'gateway_admin_sign_in_failures_total',
    help: 'Refused admin console sign-ins by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly ipLimited = new Counter({
    name: 'gateway_ip_rate_limited_total',
    help: 'Requests refused by a per-client-IP limit on an unauthenticated route, by route group',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  private readonly cspReports = new Counter({
    name: 'gateway_csp_reports_total',
    help: 'CSP violation reports from the hosted card page, by directive (PCI DSS 6.4.3, 11.6.1); nothing of a report is kept',
    labelNames: ['directive'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'gateway_build_info',
      help: 'Always 1; the labels name the running build',
      labelNames: ['version', 'node'] as const,
      registers: [this.registry],
    }).set({ version: packageVersion(), node: process.version }, 1);
  }

  countRequest(api: string, resultStatus: string, resultCode: string, seconds: number): void {
    this.requests.inc({ api, result_status: resultStatus, result_code: resultCode });
    this.requestSeconds.observe({ api, result_status: resultStatus }, seconds);
    if (api === 'payments/pay') this.paySeconds.observe({ result_status: resultStatus }, seconds);
  }

  observeUpstream(api: string, outcome: string, resultCode: string, startedNs: bigint): void {
    this.upstreamOutcomes.inc({ api, outcome });
    this.upstreamLatency.observe({ api, result_code: resultCode }, Number(process.hrtime.bigint() - startedNs) / 1e9);
  }

  countDelivery(outcome: 'ACKED' | 'REJECTED' | 'ERROR', gaveUp: boolean): void {
    this.deliveries.inc({ outcome });
    if (gaveUp) this.givenUp.inc();
  }

  countVault(operation: string, outcome: 'ok' | 'error'): void {
    this.vaultOps.inc({ operation, outcome });
  }

  countCspReport(directive: string): void {
    this.cspReports.inc({ directive });
  }

  countIpLimited(route: string): void {
    this.ipLimited.inc({ route });
  }

  countSignInFailure(reason: string): void {
    this.signInFailures.inc({ reason: reason.toLowerCase().replace(/[^a-z0-9]+/g, '_') });
  }

  /**
   * A gauge read when /metrics is scraped. `read` gets at most SCRAPE_SQL_TIMEOUT_MS; slower or failing, the
   * gauge keeps its last value and `gateway_metrics_scrape_errors_total` counts it (seen from the next scrape on).
   */
  gaugeOnScrape(name: string, help: string, read: () => Promise<number>): void {
    const errors = this.scrapeErrors;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        let timer: NodeJS.Timeout | undefined;
        try {
          const value = await Promise.race([
            read(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('timeout')), SCRAPE_SQL_TIMEOUT_MS);
            }),
          ]);
          this.set(value);
        } catch {
          errors.inc({ gauge: name });
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }

  private readonly scrapeErrors = new Counter({
    name: 'gateway_metrics_scrape_errors_total',
    help: 'Gauges that could not be read on a scrape (database slow or down), by gauge',
    labelNames: ['gauge'] as const,
    registers: [this.registry],
  });
}

/** The version in the repository's package.json (found upwards from here: src/ and dist/src/ alike). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'antom-card-gateway' && pkg.version) return pkg.version;
    } catch {
      /* not here */
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
