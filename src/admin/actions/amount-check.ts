import { AdminPayment } from '../payments/admin-payments.service';
import { formatMoney } from '../payments/money';
import { MoneyAction } from './approvals.service';

/**
 * What the operator can see before confirming: is the amount possible at all? Checked before the
 * confirmation page and before a four-eyes request, so an impossible amount never waits for a second
 * person. The lifecycle service checks again (with in-flight captures) when the money moves.
 */
export function amountRefusal(action: MoneyAction, p: AdminPayment, amount: bigint): string | null {
  if (amount <= 0n) return 'The amount must be more than zero.';
  if (action === 'ACCEPT_DISPUTE') return null; // the acquirer's disputed amount, not one the operator chose
  const left = action === 'CAPTURE' ? p.capturable : p.refundable;
  const waiting = (action === 'CAPTURE' ? p.pendingCapture : p.pendingRefund) ?? 0n;
  const done = action === 'CAPTURE' ? 'captured' : 'refunded';
  const note = waiting > 0n ? ` (${formatMoney(waiting, p.currency)} more is waiting for approval)` : '';
  if (left === 0n)
    return waiting > 0n
      ? `Nothing more can be ${done} on this payment${note}.`
      : `Nothing can be ${done} on this payment any more (status ${p.status}).`;
  if (amount > left) return `At most ${formatMoney(left, p.currency)} can still be ${done}${note}.`;
  return null;
}
