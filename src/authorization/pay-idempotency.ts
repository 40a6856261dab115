import { Injectable } from '@nestjs/common';

import { PayRedrive } from '../acquirer-answers/pay-redrive';
import { AntomError } from '../antom/antom-error';
import { retryAdvice } from '../antom/unknown-advice';
import { PayAnswer } from '../antom/wire';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { isUniqueViolation } from '../platform/database/unique-violation';

const DUPLICATE_WAIT_MS = 10_000;

/** Drives a payment left U once more (PayRedrive, with the pay path's own resend); null: another re-drive holds it. */
export type Redrive = (current: Payment) => Promise<Payment | null>;

/**
 * Antom's idempotency for pay: the same paymentRequestId with the same key fields gets the stored answer
 * (waiting briefly for an in-flight twin); different key fields get REPEAT_REQ_INCONSISTENT. A payment
 * left U is re-driven first (`redrive`): the retry Antom's answer asks for makes progress — inquired,
 * resent if the acquirer never received it, its result applied — and answers what is then known.
 * The payment row's unique key is the lock, not process memory; the re-drive's lease is the row's too.
 */
@Injectable()
export class PayIdempotency {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly payRedrive: PayRedrive,
  ) {}

  async replay(existing: Payment, requestHash: string, redrive: Redrive): Promise<PayAnswer> {
    if (existing.requestHash !== requestHash) {
      throw new AntomError('REPEAT_REQ_INCONSISTENT', 'A payment with this paymentRequestId exists with different amount or payment method.');
    }
    let current = existing;
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    // A twin's first call in flight: its answer is the answer. One whose process died is re-driven below.
    while (current.status === 'RECEIVED' && !this.payRedrive.redrivable(current) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = await this.mustFind(existing.merchantId, existing.paymentRequestId);
    }
    if (this.payRedrive.redrivable(current)) {
      current = (await redrive(current)) ?? (await this.mustFind(existing.merchantId, existing.paymentRequestId));
    }
    if (current.status === 'RECEIVED') throw new AntomError('UNKNOWN_EXCEPTION', retryAdvice('payment'));
    return payResponse(current);
  }

  /**
   * Writes a new payment with `insert`. When a concurrent twin with the same paymentRequestId won the
   * unique key, answers what the twin answers. Null: this request created the payment and goes upstream.
   */
  async insertOrReplay(
    merchantId: string,
    paymentRequestId: string,
    requestHash: string,
    insert: () => Promise<unknown>,
    redrive: Redrive,
  ): Promise<PayAnswer | null> {
    try {
      await insert();
      return null;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return this.replay(await this.mustFind(merchantId, paymentRequestId), requestHash, redrive);
    }
  }

  async mustFind(merchantId: string, paymentRequestId: string): Promise<Payment> {
    const p = await this.payments.findByRequestId(merchantId, paymentRequestId);
    if (!p) throw new AntomError('UNKNOWN_EXCEPTION', 'The payment could not be read back; inquire later.');
    return p;
  }
}
