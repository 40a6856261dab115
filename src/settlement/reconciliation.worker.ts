import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { GatewayConfig } from '../config/gateway-config';
import { IntervalWorker } from '../platform/jobs/interval-worker';
import { LOGGER } from '../platform/logging/logger.tokens';
import { ReconciliationService } from './reconciliation.service';

/** Background reconciliation, shared safely by every gateway instance. */
@Injectable()
export class ReconciliationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(private readonly reconciliation: ReconciliationService, @Inject(GatewayConfig) private readonly config: GatewayConfig, @Inject(LOGGER) logger: Logger) {
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
  }
}
