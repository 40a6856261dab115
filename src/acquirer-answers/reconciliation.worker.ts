import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';

import { GatewayConfig } from '../config/gateway-config';
import { PaymentsRepository } from '../payments/payments.repository';
import { IntervalWorker } from '../platform/jobs/interval-worker';
import { LOGGER } from '../platform/logging/logger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import { AmountUpdateReconciliation } from './amount-update-reconciliation';
import { ReconciliationService } from './reconciliation.service';

/** Background reconciliation, shared safely by every gateway instance. */
@Injectable()
export class ReconciliationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  readonly worker: IntervalWorker;

  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly amountUpdates: AmountUpdateReconciliation,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
    payments: PaymentsRepository,
    metrics: MetricsService,
  ) {
    this.worker = new IntervalWorker('reconciliation', config.WORKER_POLL_MS, () => this.tick(), logger);
    // Read on scrape (never on the pay path): a queue that grows means the acquirer's inquiries are not settling payments.
    metrics.gaugeOnScrape(
      'gateway_reconciliation_due',
      'Payments whose reconciliation (inquiry upstream) is due now',
      async () => (await payments.reconcileQueue()).due,
    );
    metrics.gaugeOnScrape(
      'gateway_reconciliation_oldest_due_seconds',
      'How long the longest-waiting due reconciliation has been due',
      async () => (await payments.reconcileQueue()).oldestDueSeconds,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }

  private async tick(): Promise<void> {
    await this.reconciliation.runDue();
    // Open amount updates: their own queue (amount_update.next_reconcile_at), whatever the payment's state.
    await this.amountUpdates.runDue();
  }
}
