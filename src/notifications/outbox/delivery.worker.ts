import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { request } from 'undici';
import { formatResponseTime } from '../../antom/request-time';
import { formatSignatureHeader, sign } from '../../antom/signature';
import { GatewayConfig } from '../../config/gateway-config';
import { GatewaySigningKey } from '../../merchant-api/gateway-signing-key';
import { IntervalWorker } from '../../platform/jobs/interval-worker';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { PaymentsRepository } from '../../payments/payments.repository';
import { crashPoint } from '../../platform/crash-hook';
import { MAX_ATTEMPTS, delayBeforeAttemptMs } from './retry-schedule';

interface ClaimedNotification {
  id: string;
  payment_id: string;
  notify_type: string;
  url: string;
  body: string;
  attempts: number;
  client_id: string;
}

const BATCH = 32;

/**
 * Delivers merchant notifications, signed by the gateway the way Antom signs, until the merchant
 * acknowledges with Antom's ack body. Durable: the schedule lives in the rows, not in memory.
 */
@Injectable()
export class NotificationDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly key: GatewaySigningKey,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.worker = new IntervalWorker('notification-delivery', config.WORKER_POLL_MS, () => this.deliverDue(), logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }

  /** Claims and delivers due notifications; a full batch means more are waiting, so it claims again at once. */
  async deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      await Promise.all(claimed.map((n) => this.deliver(n)));
      total += claimed.length;
      if (claimed.length < BATCH || total >= BATCH * 50) return total;
    }
  }

  private claim(): Promise<ClaimedNotification[]> {
    return this.db.query(
      `UPDATE merchant_notification n SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
       FROM merchant m
       WHERE m.id = n.merchant_id AND n.id IN (
         SELECT id FROM merchant_notification WHERE status = 'PENDING' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.payment_id, n.notify_type, n.url, n.body, n.attempts, m.client_id`,
      [this.config.NOTIFY_LEASE_SECONDS, BATCH],
    ).then((r: [ClaimedNotification[], number] | ClaimedNotification[]) => (Array.isArray(r[0]) ? (r[0] as ClaimedNotification[]) : (r as ClaimedNotification[])));
  }

  private async deliver(n: ClaimedNotification): Promise<void> {
    const started = Date.now();
    const outcome = await this.send(n);
    crashPoint('after-notification-send'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const durationMs = Date.now() - started;
    const delay = outcome.outcome === 'ACKED' ? null : delayBeforeAttemptMs(n.attempts + 1, this.config.NOTIFY_TIME_SCALE);
    const status = outcome.outcome === 'ACKED' ? 'DELIVERED' : delay === null ? 'FAILED' : 'PENDING';
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE merchant_notification SET status = $2::varchar,
           next_attempt_at = CASE WHEN $2::varchar = 'PENDING' THEN now() + make_interval(secs => $3::double precision / 1000) END,
           last_error = $4, delivered_at = CASE WHEN $2::varchar = 'DELIVERED' THEN now() END WHERE id = $1`,
        [n.id, status, delay ?? 0, outcome.error ?? null],
      );
      await tx.query(
        `INSERT INTO notification_attempt (notification_id, attempt, http_status, outcome, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [n.id, n.attempts, outcome.httpStatus ?? null, outcome.outcome, outcome.error ?? null, durationMs],
      );
      await this.payments.event(tx, n.payment_id, `NOTIFICATION_${outcome.outcome}`, null, null, null, {
        notifyType: n.notify_type, attempt: n.attempts, of: MAX_ATTEMPTS, httpStatus: outcome.httpStatus, final: status !== 'PENDING' ? status : undefined,
      });
    });
  }

  private async send(n: ClaimedNotification): Promise<{ outcome: 'ACKED' | 'REJECTED' | 'ERROR'; httpStatus?: number; error?: string }> {
    try {
      const url = new URL(n.url);
      const time = formatResponseTime();
      const signature = sign({ path: url.pathname + url.search, clientId: n.client_id, time, body: n.body }, this.key.privateKey);
      const res = await request(url, {
        method: 'POST',
        body: n.body,
        headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': n.client_id, 'request-time': time, signature: formatSignatureHeader(signature) },
        headersTimeout: this.config.NOTIFY_TIMEOUT_MS,
        bodyTimeout: this.config.NOTIFY_TIMEOUT_MS,
      });
      const text = await res.body.text();
      if (res.statusCode === 200 && isAck(text)) return { outcome: 'ACKED', httpStatus: 200 };
      return { outcome: 'REJECTED', httpStatus: res.statusCode, error: 'no Antom ack in the answer' };
    } catch (e) {
      return { outcome: 'ERROR', error: (e instanceof Error ? `${e.name}: ${e.message}` : 'error').slice(0, 256) };
    }
  }
}

function isAck(text: string): boolean {
  try {
    const r = JSON.parse(text)?.result;
    return r?.resultStatus === 'S' && r?.resultCode === 'SUCCESS';
  } catch {
    return false;
  }
}
