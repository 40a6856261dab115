import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config';
import { IntervalWorker } from '../platform/jobs/interval-worker';
import { LOGGER } from '../platform/logging/logger.tokens';
import { ReconciliationService } from './reconciliation.service';

/** Background reconciliation and authorization expiry, shared safely by every gateway instance. */
@Injectable()
export class ReconciliationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(private readonly reconciliation: ReconciliationService, private readonly db: DataSource, @Inject(GatewayConfig) private readonly config: GatewayConfig, @Inject(LOGGER) logger: Logger) {
    this.worker = new IntervalWorker('reconciliation', config.WORKER_POLL_MS, () => this.tick(), logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }

  private async tick(): Promise<void> {
    await this.reconciliation.runDue();
    await this.expireAuthorizations();
  }

  /** Uncaptured holds past authExpiryTime are released by the acquirer; record it (one transaction per batch). */
  private async expireAuthorizations(): Promise<void> {
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
