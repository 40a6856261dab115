import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UpstreamUpdateAmountAnswer } from '../antom/answers';
import { isWellFormedCode, upstreamUnknownCode } from '../antom/result-codes';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { AmountUpdate } from '../payments/amount-update.entity';
import { AmountUpdatesRepository } from '../payments/amount-updates.repository';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { updateAmountResultNotice } from './merchant-notices';

/** Where the acquirer's word on an update came from: the merchant's call, reconciliation's resend, a notification. */
export type AmountUpdateSource = 'RESPONSE' | 'RECONCILIATION' | 'NOTIFICATION';

/**
 * The acquirer's answer to an updateAmount, applied in one place — whichever road brings it (the
 * synchronous answer, reconciliation's resend, Antom's UPDATE_AMOUNT_RESULT notification). Lock order: the
 * update row, then the payment row, so the same result arriving by two roads at once is applied once,
 * and a final update never moves again. S raises the authorized amount, F is final, anything else stays
 * open (due for reconciliation's next resend: its claim already set when). A final result is notified to the
 * merchant as Antom does (notifyPayment UPDATE_AMOUNT_RESULT), in the same transaction, once per update.
 */
@Injectable()
export class AmountUpdateSettlement {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly updates: AmountUpdatesRepository,
    private readonly outbox: OutboxService,
  ) {}

  apply(
    id: string,
    outcome: UpstreamOutcome<UpstreamUpdateAmountAnswer>,
    source: AmountUpdateSource,
  ): Promise<{ payment: Payment; update: AmountUpdate }> {
    return this.db.transaction(async (tx) => {
      const u = await this.updates.lock(tx, id);
      if (!u) throw new Error('amount update not found');
      const p = await this.payments.lock(tx, u.paymentId);
      if (!p) throw new Error('payment not found');
      if (u.status !== 'PROCESSING') return { payment: p, update: u };
      const r = outcome.kind === 'answer' ? (outcome.body.result ?? {}) : {};
      const detail = { updateRequestId: u.updateRequestId, previousAmount: u.previousAmount.toString(), source };
      if (r.resultStatus === 'S' && p.status === 'AUTHORIZED' && u.amount > p.authorizedAmount) {
        Object.assign(u, { status: 'SUCCESS', resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.', nextReconcileAt: null });
        await this.updates.save(tx, u);
        await this.payments.transition(tx, p, p.status, 'AMOUNT_UPDATED', { authorizedAmount: u.amount }, detail);
        await this.outbox.enqueue(tx, updateAmountResultNotice(p, u));
      } else if (r.resultStatus === 'S') {
        // Cancelled (or expired) while the update was on the wire: the hold it raised is void with the rest.
        Object.assign(u, {
          status: 'FAIL',
          resultStatus: 'F',
          resultCode: closedCode(p),
          resultMessage: `The payment became ${p.status} while the update was in process; nothing can be captured of it.`,
          nextReconcileAt: null,
        });
        await this.updates.save(tx, u);
        await this.payments.event(tx, p.id, 'AMOUNT_UPDATE_VOID', p.status, p.status, u.amount, detail);
        await this.outbox.enqueue(tx, updateAmountResultNotice(p, u));
      } else if (r.resultStatus === 'F') {
        const code = isWellFormedCode(r.resultCode) ? r.resultCode : 'PROCESS_FAIL';
        const message =
          typeof r.resultMessage === 'string' && r.resultMessage
            ? Array.from(r.resultMessage).slice(0, 256).join('')
            : `The acquirer refused the amount update (${code}).`;
        Object.assign(u, { status: 'FAIL', resultStatus: 'F', resultCode: code, resultMessage: message, nextReconcileAt: null });
        await this.updates.save(tx, u);
        await this.payments.event(tx, p.id, 'AMOUNT_UPDATE_FAILED', p.status, p.status, u.amount, { ...detail, resultCode: code });
        // Antom notifies the result of an update it accepted; a refusal in the merchant's own answer is the answer.
        if (source !== 'RESPONSE') await this.outbox.enqueue(tx, updateAmountResultNotice(p, u));
      } else {
        Object.assign(u, {
          resultStatus: 'U',
          resultCode: upstreamUnknownCode('updateAmount', r.resultCode),
          resultMessage: 'The amount update result is unknown; retry with the same updateRequestId.',
        });
        await this.updates.save(tx, u);
      }
      return { payment: p, update: u };
    });
  }
}

/** What Antom answers an update of a payment no longer authorized. */
export function closedCode(p: Pick<Payment, 'status'>): 'AUTH_CANCELLED' | 'AUTH_EXPIRED' | 'ORDER_STATUS_INVALID' {
  if (p.status === 'CANCELLED') return 'AUTH_CANCELLED';
  return p.status === 'EXPIRED' ? 'AUTH_EXPIRED' : 'ORDER_STATUS_INVALID';
}
