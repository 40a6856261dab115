import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import type { Agent } from 'undici';
import { request } from 'undici';

import { formatResponseTime } from '../../antom/request-time';
import { formatSignatureHeader, sign } from '../../antom/signature';
import { GatewayConfig } from '../../config/gateway-config';
import { crashPoint } from '../../platform/crash-hook';
import { GatewaySigningKey } from '../../platform/gateway-signing-key';
import { readBounded } from '../../platform/http/read-bounded';
import { IntervalWorker } from '../../platform/jobs/interval-worker';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { assertReachableLiteral, notifyTargetAgent } from './notify-target-guard';
import { ClaimedNotification, DeliveryRecord, OutboxRepository } from './outbox.repository';
import { delayBeforeAttemptMs, MAX_ATTEMPTS } from './retry-schedule';
import { WriteBatcher } from './write-batcher';

interface SendOutcome {
  outcome: 'ACKED' | 'REJECTED' | 'ERROR';
  httpStatus?: number;
  error?: string;
}

const BATCH = 32;

/** Longest notify answer read from a merchant (Antom's ack is under 100 bytes). */
const NOTIFY_ANSWER_LIMIT_BYTES = 16 * 1024;

/**
 * Delivers merchant notifications, signed by the gateway the way Antom signs, until the merchant
 * acknowledges with Antom's ack body. Durable: the schedule lives in the rows, not in memory.
 */
@Injectable()
export class NotificationDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;
  /**
   * Every delivery connects through this (notify-target-guard.ts): never to link-local or metadata addresses,
   * to loopback and private networks only as NOTIFY_PRIVATE_HOSTS allows, checked on the address connected to.
   */
  private readonly guarded: Agent;
  /** Results are written as they come, coalesced into few statements (see `OutboxRepository.recordDeliveries`). */
  private readonly results = new WriteBatcher<DeliveryRecord>((r) => this.notices.recordDeliveries(r));

  constructor(
    private readonly notices: OutboxRepository,
    private readonly key: GatewaySigningKey,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.worker = new IntervalWorker('notification-delivery', config.WORKER_POLL_MS, () => this.deliverDue(), logger);
    this.guarded = notifyTargetAgent(config.notifyReach);
    // Read on scrape, never on the delivery or pay path.
    metrics.gaugeOnScrape(
      'gateway_notification_backlog',
      'Merchant notifications not yet delivered nor given up (PENDING)',
      async () => (await this.backlog()).pending,
    );
    metrics.gaugeOnScrape(
      'gateway_notification_oldest_pending_seconds',
      'Age of the oldest merchant notification still PENDING',
      async () => (await this.backlog()).oldestSeconds,
    );
  }

  /** The outbox backlog: PENDING rows (due, backing off, leased or held) and the age of the oldest. */
  backlog(): Promise<{ pending: number; oldestSeconds: number }> {
    return this.notices.backlog();
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
    await this.guarded.close();
  }

  /**
   * Claims and delivers due notifications; a full batch means more are waiting, so it claims again at once.
   * Round trips: one claim per batch; results are written as they come, coalesced into few statements.
   */
  async deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return total;
      // One notice per payment per claim (see `claim`), so all of them can go in parallel.
      await Promise.all(claimed.map(async (n) => this.results.add(await this.deliver(n))));
      total += claimed.length;
      if (claimed.length < BATCH || total >= BATCH * 50) return total;
    }
  }

  /** Leases due notices, one statement per batch; one notice per payment at a time (`claimDue`). */
  private claim(): Promise<ClaimedNotification[]> {
    return this.notices.claimDue(this.config.NOTIFY_LEASE_SECONDS, BATCH);
  }

  private async deliver(n: ClaimedNotification): Promise<DeliveryRecord> {
    const started = Date.now();
    const outcome = await this.send(n);
    crashPoint('after-notification-send'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const delay = outcome.outcome === 'ACKED' ? null : delayBeforeAttemptMs(n.attempts + 1, this.config.NOTIFY_TIME_SCALE);
    const status = outcome.outcome === 'ACKED' ? 'DELIVERED' : delay === null ? 'FAILED' : 'PENDING';
    const detail = {
      notifyType: n.notify_type,
      attempt: n.attempts,
      of: MAX_ATTEMPTS,
      httpStatus: outcome.httpStatus,
      final: status !== 'PENDING' ? status : undefined,
    };
    this.metrics.countDelivery(outcome.outcome, status === 'FAILED');
    if (outcome.outcome !== 'ACKED') {
      // One line per failed delivery. The payment and the attempt, never the URL (it may carry a merchant's secret) nor the body.
      this.logger.warn(
        {
          paymentId: merchantPaymentId(n),
          clientId: n.client_id,
          notifyType: n.notify_type,
          attempt: n.attempts,
          of: MAX_ATTEMPTS,
          outcome: outcome.outcome,
          httpStatus: outcome.httpStatus ?? null,
          error: outcome.error ?? null,
          nextAttemptInMs: delay,
          gaveUp: status === 'FAILED',
        },
        'merchant notification delivery failed',
      );
    }
    return {
      id: n.id,
      paymentId: n.payment_id,
      status,
      delayMs: delay ?? 0,
      error: outcome.error ?? null,
      attempt: n.attempts,
      httpStatus: outcome.httpStatus ?? null,
      outcome: outcome.outcome,
      attemptedAt: new Date(),
      durationMs: Date.now() - started,
      detail: JSON.stringify(detail),
    };
  }

  private async send(n: ClaimedNotification): Promise<SendOutcome> {
    try {
      const url = new URL(n.url);
      assertReachableLiteral(url, this.config.notifyReach);
      const time = formatResponseTime();
      const signature = sign({ path: url.pathname + url.search, clientId: n.client_id, time, body: n.body }, this.key.privateKey);
      const res = await request(url, {
        method: 'POST',
        body: n.body,
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': n.client_id,
          'request-time': time,
          signature: formatSignatureHeader(signature),
        },
        headersTimeout: this.config.NOTIFY_TIMEOUT_MS,
        bodyTimeout: this.config.NOTIFY_TIMEOUT_MS,
        dispatcher: this.guarded,
      });
      // The ack is a few dozen bytes: a bigger answer is cut, recorded as this attempt's error.
      const text = (await readBounded(res.body, NOTIFY_ANSWER_LIMIT_BYTES)).toString('utf8');
      if (res.statusCode === 200 && isAck(text)) return { outcome: 'ACKED', httpStatus: 200 };
      return { outcome: 'REJECTED', httpStatus: res.statusCode, error: 'no Antom ack in the answer' };
    } catch (e) {
      return { outcome: 'ERROR', error: (e instanceof Error ? `${e.name}: ${e.message}` : 'error').slice(0, 256) };
    }
  }
}

/** The merchant-facing payment id (`gwp_…`) or vaultingRequestId the notice carries, else the row's subject id. */
function merchantPaymentId(n: ClaimedNotification): string {
  try {
    const body = JSON.parse(n.body) as { paymentId?: unknown; vaultingRequestId?: unknown };
    const id = body.paymentId ?? body.vaultingRequestId;
    if (typeof id === 'string' && /^[\w-]{1,64}$/.test(id)) return id;
  } catch {
    /* not JSON: the row id */
  }
  return n.payment_id ?? n.id;
}

function isAck(text: string): boolean {
  try {
    const r = JSON.parse(text)?.result;
    return r?.resultStatus === 'S' && r?.resultCode === 'SUCCESS';
  } catch {
    return false;
  }
}
