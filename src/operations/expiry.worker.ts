import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { IntervalWorker } from '../platform/jobs/interval-worker';
import { LOGGER } from '../platform/logging/logger.tokens';
import { CaptureService } from './capture.service';

interface DueAuthorization {
  merchant_id: string;
  payment_id: string;
  currency: string;
  remaining: string;
  policy: 'CAPTURE' | 'VOID';
}

/**
 * Uncaptured authorizations near `authExpiryTime` follow the merchant's policy: CAPTURE the rest, VOID
 * the hold, or let it EXPIRE. The operations use deterministic request ids, so two instances acting on the
 * same payment at once make one capture or one cancel upstream.
 */
@Injectable()
export class AuthorizationExpiryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(
    private readonly db: DataSource,
    private readonly lifecycle: CaptureService,
    private readonly merchants: MerchantsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.worker = new IntervalWorker('authorization-expiry', Math.max(config.WORKER_POLL_MS, 1000), () => this.tick(), logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }

  async tick(): Promise<void> {
    for (const due of await this.dueForPolicy()) await this.apply(due);
    await this.expirePastDue();
  }

  private dueForPolicy(): Promise<DueAuthorization[]> {
    return this.db.query(
      // An authorization answered F (the AVS/CVV policy's) is voided whatever the policy: never captured.
      `SELECT p.merchant_id, p.payment_id, p.currency, (p.authorized_amount - p.captured_amount)::text AS remaining,
              CASE WHEN p.result_status = 'F' THEN 'VOID' ELSE m.auth_expiry_policy END AS policy
       FROM payment p JOIN merchant m ON m.id = p.merchant_id
       WHERE p.status IN ('AUTHORIZED', 'PARTIALLY_CAPTURED') AND m.auth_expiry_policy IN ('CAPTURE', 'VOID')
         AND p.auth_expiry_time <= now() + make_interval(secs => $1) AND p.auth_expiry_time > now() AND p.cancel_requested_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM capture c WHERE c.payment_id = p.id AND c.status IN ('PROCESSING', 'UNKNOWN'))
       ORDER BY p.auth_expiry_time LIMIT 20`,
      [this.config.AUTH_EXPIRY_LEAD_SECONDS],
    );
  }

  private async apply(due: DueAuthorization): Promise<void> {
    const merchant = await this.merchants.findById(due.merchant_id);
    if (!merchant) return;
    const result = due.policy === 'VOID' || (due.policy === 'CAPTURE' && due.remaining === '0')
      ? await this.lifecycle.cancel(merchant, { paymentId: due.payment_id }).catch((e: unknown) => ({ error: e }))
      : await this.lifecycle.capture(merchant, {
          captureRequestId: `expiry_${due.payment_id}`.slice(0, 64),
          paymentId: due.payment_id,
          captureAmount: { currency: due.currency, value: due.remaining },
          isLastCapture: true,
        }).catch((e: unknown) => ({ error: e }));
    this.logger.info({ paymentId: due.payment_id, policy: due.policy, ok: !('error' in result) }, 'authorization expiry policy applied');
  }

  /** Holds past authExpiryTime are released by the acquirer; record it with its timeline row, in one statement. */
  private async expirePastDue(): Promise<void> {
    await this.db.query(
      `WITH expired AS (
         UPDATE payment SET status = 'EXPIRED', updated_at = now() WHERE id IN (
           SELECT id FROM payment WHERE status = 'AUTHORIZED' AND auth_expiry_time <= now() LIMIT 100 FOR UPDATE SKIP LOCKED)
         RETURNING id)
       INSERT INTO payment_event (payment_id, type, from_status, to_status, detail)
       SELECT id, 'AUTHORIZATION_EXPIRED', 'AUTHORIZED', 'EXPIRED', '{}'::jsonb FROM expired`,
    );
  }
}
