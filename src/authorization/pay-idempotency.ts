import { isUniqueViolation } from '../platform/database/unique-violation';
import { Injectable } from '@nestjs/common';
import { AntomError } from '../antom/antom-error';
import { ReconciliationService } from '../settlement/reconciliation.service';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';

const DUPLICATE_WAIT_MS = 10_000;

/**
 * Antom's idempotency for pay: the same paymentRequestId with the same key fields gets the stored answer
 * (waiting briefly for an in-flight twin, or finishing an unknown one); different key fields get
 * REPEAT_REQ_INCONSISTENT. The payment row's unique key is the lock, not process memory.
 */
@Injectable()
export class PayIdempotency {
  constructor(private readonly payments: PaymentsRepository, private readonly reconciliation: ReconciliationService) {}

  async replay(existing: Payment, requestHash: string): Promise<Record<string, unknown>> {
    if (existing.requestHash !== requestHash) {
      throw new AntomError('REPEAT_REQ_INCONSISTENT', 'A payment with this paymentRequestId exists with different amount or payment method.');
    }
    let current = existing;
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    while (current.status === 'RECEIVED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = await this.mustFind(existing.merchantId, existing.paymentRequestId);
    }
    if (current.status === 'UNKNOWN') {
      // A retry after an unknown result drives the same operation to completion.
      await this.reconciliation.settle(current.id);
      current = await this.mustFind(existing.merchantId, existing.paymentRequestId);
    }
    if (current.status === 'RECEIVED') {
      throw new AntomError('UNKNOWN_EXCEPTION', 'The payment is still being processed; retry with the same paymentRequestId or inquire.');
    }
    return payResponse(current);
  }

  /**
   * Writes a new payment with `insert`. When a concurrent twin with the same paymentRequestId won the
   * unique key, answers what the twin answers. Null: this request created the payment and goes upstream.
   */
  async insertOrReplay(merchantId: string, paymentRequestId: string, requestHash: string, insert: () => Promise<unknown>): Promise<Record<string, unknown> | null> {
    try {
      await insert();
      return null;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return this.replay(await this.mustFind(merchantId, paymentRequestId), requestHash);
    }
  }

  async mustFind(merchantId: string, paymentRequestId: string): Promise<Payment> {
    const p = await this.payments.findByRequestId(merchantId, paymentRequestId);
    if (!p) throw new AntomError('UNKNOWN_EXCEPTION', 'The payment could not be read back; inquire later.');
    return p;
  }
}
