import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';

import { GatewayConfig } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { DueAuthorization, PaymentsRepository } from '../payments/payments.repository';
import { IntervalWorker } from '../platform/jobs/interval-worker';
import { LOGGER } from '../platform/logging/logger.tokens';
import { CaptureService } from './capture.service';

/**
 * Uncaptured authorizations near `authExpiryTime` follow the merchant's policy: CAPTURE the rest, VOID
 * the hold, or let it EXPIRE. The operations use deterministic request ids, so two instances acting on the
 * same payment at once make one capture or one cancel upstream.
 */
@Injectable()
export class AuthorizationExpiryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(
    private readonly payments: PaymentsRepository,
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
    for (const due of await this.payments.dueForExpiryPolicy(this.config.AUTH_EXPIRY_LEAD_SECONDS)) await this.apply(due);
    // Holds past authExpiryTime are released by the acquirer: recorded through the transition table.
    await this.payments.expirePastDue();
    await this.payments.releaseExpiredRemainders();
  }

  private async apply(due: DueAuthorization): Promise<void> {
    // After a capture nothing upstream can void the rest (Antom refuses a cancel once captured): the
    // acquirer releases it at authExpiryTime, and `releaseExpiredRemainders` records that.
    if (due.policy === 'VOID' && due.status === 'PARTIALLY_CAPTURED') return;
    const merchant = await this.merchants.findById(due.merchant_id);
    if (!merchant) return;
    const result =
      due.policy === 'VOID' || (due.policy === 'CAPTURE' && due.remaining === '0')
        ? await this.lifecycle.cancel(merchant, { paymentId: due.payment_id }).catch((e: unknown) => ({ error: e }))
        : await this.lifecycle
            .capture(merchant, {
              captureRequestId: `expiry_${due.payment_id}`.slice(0, 64),
              paymentId: due.payment_id,
              captureAmount: { currency: due.currency, value: due.remaining },
              isLastCapture: true,
            })
            .catch((e: unknown) => ({ error: e }));
    this.logger.info({ paymentId: due.payment_id, policy: due.policy, ok: !('error' in result) }, 'authorization expiry policy applied');
  }
}
