import { readBounded } from '../../platform/http/read-bounded';
import { eventsFromCte } from '../../payments/payments.repository';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { request } from 'undici';
import { formatResponseTime } from '../../antom/request-time';
import { formatSignatureHeader, sign } from '../../antom/signature';
import { GatewayConfig } from '../../config/gateway-config';
import { GatewaySigningKey } from '../../platform/gateway-signing-key';
import { IntervalWorker } from '../../platform/jobs/interval-worker';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { crashPoint } from '../../platform/crash-hook';
import { MAX_ATTEMPTS, delayBeforeAttemptMs } from './retry-schedule';
import { WriteBatcher } from './write-batcher';
import { assertPublicLiteral, publicOnlyAgent } from './notify-target-guard';
import type { Agent } from 'undici';

interface ClaimedNotification {
  id: string;
  /** Null for a vaulting's notice (notifyVaulting): no payment, no ordering, no timeline. */
  payment_id: string | null;
  notify_type: string;
  url: string;
  body: string;
  attempts: number;
  client_id: string;
}

interface SendOutcome {
  outcome: 'ACKED' | 'REJECTED' | 'ERROR';
  httpStatus?: number;
  error?: string;
}

interface DeliveryResult extends SendOutcome {
  n: ClaimedNotification;
  status: 'DELIVERED' | 'FAILED' | 'PENDING';
  delayMs: number;
  attemptedAt: Date;
  durationMs: number;
  detail: string;
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
  /** Set when notify URLs must not reach private addresses (NOTIFY_PRIVATE_HOSTS). */
  private readonly publicOnly?: Agent;
  private readonly results = new WriteBatcher<DeliveryResult>((r) => this.record(r));

  constructor(
    private readonly db: DataSource,
    private readonly key: GatewaySigningKey,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.worker = new IntervalWorker('notification-delivery', config.WORKER_POLL_MS, () => this.deliverDue(), logger);
    this.publicOnly = config.notifyMayReachPrivateHosts ? undefined : publicOnlyAgent();
    // Read on scrape, never on the delivery or pay path.
    metrics.gaugeOnScrape('gateway_notification_backlog', 'Merchant notifications not yet delivered nor given up (PENDING)', async () => (await this.backlog()).pending);
    metrics.gaugeOnScrape('gateway_notification_oldest_pending_seconds', 'Age of the oldest merchant notification still PENDING', async () => (await this.backlog()).oldestSeconds);
  }

  /** The outbox backlog: PENDING rows (due, backing off, leased or held) and the age of the oldest. */
  async backlog(): Promise<{ pending: number; oldestSeconds: number }> {
    const [r] = await this.db.query(
      `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
         FROM merchant_notification WHERE status = 'PENDING'`,
    );
    return { pending: Number(r.pending), oldestSeconds: Number(r.oldest) };
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
    await this.publicOnly?.close();
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

  /**
   * Leases due notices. A notice waits while an older one of its payment is still pending (due, leased to
   * a sender on any instance, held, or backing off): a merchant hears PAYMENT_RESULT before CAPTURE_RESULT
   * before REFUND_RESULT, and never two of one payment at once.
   */
  private claim(): Promise<ClaimedNotification[]> {
    return this.db.query(
      `UPDATE merchant_notification n SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
       FROM merchant m
       WHERE m.id = n.merchant_id AND n.id IN (
         SELECT id FROM merchant_notification d WHERE status = 'PENDING' AND next_attempt_at <= now()
           AND NOT EXISTS (SELECT 1 FROM merchant_notification o WHERE o.payment_id = d.payment_id AND o.status = 'PENDING' AND (o.created_at, o.id) < (d.created_at, d.id))
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.payment_id, n.notify_type, n.url, n.body, n.attempts, m.client_id`,
      [this.config.NOTIFY_LEASE_SECONDS, BATCH],
    ).then((r: [ClaimedNotification[], number] | ClaimedNotification[]) => (Array.isArray(r[0]) ? (r[0] as ClaimedNotification[]) : (r as ClaimedNotification[])));
  }

  private async deliver(n: ClaimedNotification): Promise<DeliveryResult> {
    const started = Date.now();
    const outcome = await this.send(n);
    crashPoint('after-notification-send'); // test hook (GATEWAY_CRASH_AT), no-op in production
    const delay = outcome.outcome === 'ACKED' ? null : delayBeforeAttemptMs(n.attempts + 1, this.config.NOTIFY_TIME_SCALE);
    const status = outcome.outcome === 'ACKED' ? 'DELIVERED' : delay === null ? 'FAILED' : 'PENDING';
    const detail = { notifyType: n.notify_type, attempt: n.attempts, of: MAX_ATTEMPTS, httpStatus: outcome.httpStatus, final: status !== 'PENDING' ? status : undefined };
    this.metrics.countDelivery(outcome.outcome, status === 'FAILED');
    if (outcome.outcome !== 'ACKED') {
      // One line per failed delivery. The payment and the attempt, never the URL (it may carry a merchant's secret) nor the body.
      this.logger.warn(
        { paymentId: merchantPaymentId(n), clientId: n.client_id, notifyType: n.notify_type, attempt: n.attempts, of: MAX_ATTEMPTS, outcome: outcome.outcome,
          httpStatus: outcome.httpStatus ?? null, error: outcome.error ?? null, nextAttemptInMs: delay, gaveUp: status === 'FAILED' },
        'merchant notification delivery failed',
      );
    }
    return { n, ...outcome, status, delayMs: delay ?? 0, attemptedAt: new Date(), durationMs: Date.now() - started, detail: JSON.stringify(detail) };
  }

  /**
   * Delivery results as ONE statement (atomic without BEGIN/COMMIT): each row's new state, its attempt
   * log row and its timeline event. Until it commits the rows stay leased, so a crash means a resend.
   */
  private async record(results: DeliveryResult[]): Promise<void> {
    const col = <T>(f: (r: DeliveryResult) => T) => results.map(f);
    await this.db.query(
      `WITH r AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::float8[], $5::varchar[], $6::int[], $7::int[], $8::varchar[], $9::int[], $10::timestamptz[], $11::jsonb[])
           AS r(id, payment_id, status, delay_ms, error, attempt, http_status, outcome, duration_ms, attempted_at, detail)
       ), m AS (
         UPDATE merchant_notification n SET status = r.status,
           next_attempt_at = CASE WHEN r.status = 'PENDING' THEN now() + make_interval(secs => r.delay_ms / 1000) END,
           last_error = r.error, delivered_at = CASE WHEN r.status = 'DELIVERED' THEN now() END
         FROM r WHERE n.id = r.id
       ), a AS (
         INSERT INTO notification_attempt (notification_id, attempt, attempted_at, http_status, outcome, error, duration_ms)
         SELECT id, attempt, attempted_at, http_status, outcome, error, duration_ms FROM r
       )
       ${eventsFromCte('r WHERE r.payment_id IS NOT NULL', `'NOTIFICATION_' || outcome`)}`,
      [
        col((r) => r.n.id), col((r) => r.n.payment_id), col((r) => r.status), col((r) => r.delayMs), col((r) => r.error ?? null),
        col((r) => r.n.attempts), col((r) => r.httpStatus ?? null), col((r) => r.outcome), col((r) => r.durationMs), col((r) => r.attemptedAt), col((r) => r.detail),
      ],
    );
  }

  private async send(n: ClaimedNotification): Promise<SendOutcome> {
    try {
      const url = new URL(n.url);
      if (this.publicOnly) assertPublicLiteral(url);
      const time = formatResponseTime();
      const signature = sign({ path: url.pathname + url.search, clientId: n.client_id, time, body: n.body }, this.key.privateKey);
      const res = await request(url, {
        method: 'POST',
        body: n.body,
        headers: { 'content-type': 'application/json; charset=UTF-8', 'client-id': n.client_id, 'request-time': time, signature: formatSignatureHeader(signature) },
        headersTimeout: this.config.NOTIFY_TIMEOUT_MS,
        bodyTimeout: this.config.NOTIFY_TIMEOUT_MS,
        dispatcher: this.publicOnly,
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
  } catch { /* not JSON: the row id */ }
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
