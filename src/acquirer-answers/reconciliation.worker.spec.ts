import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { loadConfig } from '../config/gateway-config';
import { PaymentsRepository } from '../payments/payments.repository';
import { MetricsService } from '../platform/metrics/metrics.service';
import { AmountUpdateReconciliation } from './amount-update-reconciliation';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationWorker } from './reconciliation.worker';

function setup(enabled: boolean) {
  const reconciliation = mock<ReconciliationService>();
  const amountUpdates = mock<AmountUpdateReconciliation>();
  const payments = mock<PaymentsRepository>();
  const metrics = mock<MetricsService>();
  const worker = new ReconciliationWorker(
    reconciliation,
    amountUpdates,
    loadConfig({}, { WORKERS_ENABLED: enabled ? 'true' : 'false' }),
    mock<Logger>(),
    payments,
    metrics,
  );
  return { worker, reconciliation, amountUpdates, payments, metrics };
}

describe('ReconciliationWorker', () => {
  it('a tick runs the payments queue, then the amount updates queue', async () => {
    const { worker, reconciliation, amountUpdates } = setup(false);
    const order: string[] = [];
    reconciliation.runDue.mockImplementation(async () => {
      order.push('payments');
      return 0;
    });
    amountUpdates.runDue.mockImplementation(async () => {
      order.push('amount updates');
      return 0;
    });
    await worker.worker.runOnce();
    expect(order).toEqual(['payments', 'amount updates']);
  });

  it('the queue gauges are read on scrape from the repository (never on the pay path)', async () => {
    const { metrics, payments } = setup(false);
    payments.reconcileQueue.mockResolvedValue({ due: 3, oldestDueSeconds: 12 });
    const read = Object.fromEntries(metrics.gaugeOnScrape.mock.calls.map((c) => [c[0], c[2]]));
    await expect(read.gateway_reconciliation_due()).resolves.toBe(3);
    await expect(read.gateway_reconciliation_oldest_due_seconds()).resolves.toBe(12);
  });

  it('starts only where workers are enabled', async () => {
    const off = setup(false);
    off.worker.onApplicationBootstrap();
    const on = setup(true);
    const start = jest.spyOn(on.worker.worker, 'start').mockImplementation(() => undefined);
    on.worker.onApplicationBootstrap();
    expect(start).toHaveBeenCalledTimes(1);
    await off.worker.onModuleDestroy();
    await on.worker.onModuleDestroy();
  });
});
