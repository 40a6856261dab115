import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';

import { GatewayConfig } from '../config/gateway-config';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { PaymentsRepository } from '../payments/payments.repository';
import { RedriveLeaseRepository } from '../payments/redrive-lease.repository';
import { LOGGER } from '../platform/logging/logger.tokens';
import { PaymentProcessor } from '../upstream/payment-processor';
import { AmountUpdateSettlement, closedCode } from './amount-update-settlement';
import { RedriveTiming, redriveTiming, underLease } from './redrive-timing';

/** The first resend's wait after the claim, doubled per attempt up to RECONCILE_INTERVAL_SECONDS. */
const BACKOFF_BASE_SECONDS = 5;
/**
 * Resends of an update whose payment is no longer authorized (cancelled, expired) before the gateway
 * stops asking: the acquirer refuses any update of a closed authorization (AUTH_CANCELLED, AUTH_EXPIRED),
 * so that is written as its answer — the hold is released with the payment, whatever the update did.
 */
export const CLOSED_PAYMENT_RESENDS = 5;

/**
 * Updates left PROCESSING (the acquirer said U, the call timed out, or the process died after the row was
 * reserved) are resent by reconciliation, without any merchant call: the same updateRequestId (the
 * acquirer is idempotent on it), the answer applied by AmountUpdateSettlement as the synchronous one is.
 * The rows are the queue (`next_reconcile_at`), claimed with SKIP LOCKED, so instances share it.
 */
@Injectable()
export class AmountUpdateReconciliation {
  private readonly timing: RedriveTiming;

  constructor(
    private readonly updates: AmountUpdatesRepository,
    private readonly payments: PaymentsRepository,
    private readonly settlement: AmountUpdateSettlement,
    private readonly upstream: PaymentProcessor,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly leases: RedriveLeaseRepository,
  ) {
    this.timing = redriveTiming(config);
  }

  async runDue(limit = 20): Promise<number> {
    const max = this.config.RECONCILE_INTERVAL_SECONDS;
    const due = await this.updates.claimDue(Math.min(BACKOFF_BASE_SECONDS, max), max, limit);
    for (const d of due) {
      await this.resend(d.id, d.attempts).catch((e: unknown) =>
        this.logger.warn(
          { amountUpdateId: d.id, err: e instanceof Error ? e.message : String(e) },
          'amount update reconciliation failed; will retry',
        ),
      );
    }
    return due.length;
  }

  /**
   * One resend of an open update, its answer applied; `attempts` counts this one. Under the update's
   * re-drive lease, as the merchant's retry resends it: held by a retry, this look is skipped (the claim
   * already set the next).
   */
  async resend(id: string, attempts: number): Promise<void> {
    await underLease(this.leases, 'amount_update', id, this.timing, () => this.resendHeld(id, attempts));
  }

  private async resendHeld(id: string, attempts: number): Promise<void> {
    const u = await this.updates.find({ id });
    if (!u || u.status !== 'PROCESSING') return;
    const p = await this.payments.findById(u.paymentId);
    if (!p) return;
    const outcome = await this.upstream.updateAmount(
      { updateRequestId: u.id, paymentId: p.upstreamPaymentId ?? '', amount: { currency: u.currency, value: u.amount.toString() } },
      { paymentId: p.paymentId },
    );
    const { update, payment } = await this.settlement.apply(u.id, outcome, 'RECONCILIATION');
    if (update.status !== 'PROCESSING' || payment.status === 'AUTHORIZED' || attempts < CLOSED_PAYMENT_RESENDS) return;
    const code = closedCode(payment);
    await this.settlement.apply(
      u.id,
      {
        kind: 'answer',
        body: {
          result: {
            resultStatus: 'F',
            resultCode: code,
            resultMessage: `The payment is ${payment.status}: the acquirer no longer holds an authorization to raise.`,
          },
        },
      },
      'RECONCILIATION',
    );
  }
}
