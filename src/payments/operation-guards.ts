import { AntomError } from '../antom/antom-error';
import { Payment } from './payment.entity';

/**
 * One explicit guard per money-moving operation (Hyperswitch-style): the payment's state decides
 * whether the operation may even be tried, with the precise Antom code when it may not.
 */
export function guardCapture(p: Payment, currency: string, amount: bigint, reserved: bigint, now = new Date()): void {
  if (p.captureMode === 'AUTOMATIC')
    throw new AntomError('ORDER_STATUS_INVALID', 'This payment is captured automatically; manual capture is not allowed.');
  if (p.status === 'CANCELLED' || p.cancelRequestedAt) throw new AntomError('AUTH_CANCELLED', 'The authorization was cancelled.');
  if (p.status === 'EXPIRED' || (p.authExpiryTime && p.authExpiryTime <= now && p.status === 'AUTHORIZED')) {
    throw new AntomError('AUTH_EXPIRED', 'The authorization expired; the hold has been released.');
  }
  // An authorization the merchant was answered F for (the AVS/CVV policy voids it; its cancel may have
  // been refused upstream) is never captured: money would move on a payment reported as failed.
  if (p.status === 'AUTHORIZED' && p.resultStatus === 'F') {
    throw new AntomError(
      'ORDER_STATUS_INVALID',
      `This authorization was answered F${p.resultCode ? ` ${p.resultCode}` : ''}; it cannot be captured.`,
    );
  }
  if (p.status === 'CAPTURED') throw new AntomError('MULTI_CAPTURE_NOT_SUPPORTED', 'The payment is fully captured or its last capture was made.');
  if (p.status !== 'AUTHORIZED' && p.status !== 'PARTIALLY_CAPTURED') {
    throw new AntomError('ORDER_STATUS_INVALID', `A payment in status ${p.status} cannot be captured.`);
  }
  if (currency !== p.currency) throw new AntomError('PARAM_ILLEGAL', `captureAmount.currency must be ${p.currency}, the payment's currency.`);
  if (amount <= 0n) throw new AntomError('PARAM_ILLEGAL', 'captureAmount.value must be greater than 0.');
  const capturable = p.authorizedAmount - reserved;
  if (amount > capturable) {
    throw new AntomError(
      'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
      `The capture exceeds the capturable amount (${capturable} ${p.currency} in minor units).`,
    );
  }
}

export function guardCancel(p: Payment): 'ALREADY' | 'OK' {
  if (p.status === 'CANCELLED') return 'ALREADY';
  if (['RECEIVED', 'UNKNOWN', 'PENDING_ACTION', 'AUTHORIZED'].includes(p.status)) return 'OK';
  if (p.status === 'FAILED' || p.status === 'EXPIRED')
    throw new AntomError('ORDER_IS_CLOSED', `The payment is ${p.status === 'FAILED' ? 'failed' : 'expired'}; there is nothing to cancel.`);
  throw new AntomError('ORDER_STATUS_INVALID', 'The payment has been captured; refund it instead of cancelling.');
}

export function guardRefund(p: Payment, currency: string, amount: bigint, reserved: bigint): void {
  if (p.status === 'AUTHORIZED')
    throw new AntomError('ORDER_STATUS_INVALID', 'The payment is authorized but not captured; cancel it instead of refunding.');
  if (!['SUCCEEDED', 'CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED'].includes(p.status)) {
    throw new AntomError('ORDER_STATUS_INVALID', `A payment in status ${p.status} cannot be refunded.`);
  }
  // Not final: the acquirer's capture is not booked yet (it will be); the same refundRequestId can be retried.
  if (p.capturedAmount === 0n)
    throw new AntomError('UNKNOWN_EXCEPTION', 'The capture is not booked yet; retry the refund with the same refundRequestId shortly.');
  if (currency !== p.currency) throw new AntomError('PARAM_ILLEGAL', `refundAmount.currency must be ${p.currency}, the payment's currency.`);
  if (amount <= 0n) throw new AntomError('PARAM_ILLEGAL', 'refundAmount.value must be greater than 0.');
  const refundable = p.capturedAmount - reserved;
  if (amount > refundable)
    throw new AntomError('REFUND_AMOUNT_EXCEED', `The refund exceeds the refundable amount (${refundable} ${p.currency} in minor units).`);
}

/** Antom's limit of amount adjustments per authorization. */
export const MAX_AMOUNT_UPDATES = 10;

export interface UpdateAmountState {
  /** Σ of the payment's captures that hold money (not failed). */
  captured: bigint;
  /** Updates the acquirer already approved. */
  updatesMade: number;
  /** Another update of this payment is waiting for the acquirer. */
  inFlight: boolean;
}

/**
 * updateAmount (incremental authorization): only a manual authorization still capturable and not yet
 * captured, raised to a new TOTAL above the current one, in the payment's currency. Checked in the order
 * capture checks them; an update in flight is a condition that passes by itself (U, not F).
 */
export function guardUpdateAmount(p: Payment, currency: string, amount: bigint, s: UpdateAmountState, now = new Date()): void {
  if (p.captureMode === 'AUTOMATIC')
    throw new AntomError('ORDER_STATUS_INVALID', 'This payment is captured automatically; its amount cannot be raised.');
  if (p.status === 'CANCELLED' || p.cancelRequestedAt) throw new AntomError('AUTH_CANCELLED', 'The authorization was cancelled.');
  if (p.status === 'EXPIRED' || (p.authExpiryTime && p.authExpiryTime <= now && p.status === 'AUTHORIZED')) {
    throw new AntomError('AUTH_EXPIRED', 'The authorization expired; the hold has been released.');
  }
  if (p.status === 'AUTHORIZED' && p.resultStatus === 'F') {
    throw new AntomError(
      'ORDER_STATUS_INVALID',
      `This authorization was answered F${p.resultCode ? ` ${p.resultCode}` : ''}; its amount cannot be raised.`,
    );
  }
  if (p.status === 'PARTIALLY_CAPTURED' || p.status === 'CAPTURED' || (p.status === 'AUTHORIZED' && s.captured > 0n)) {
    throw new AntomError('INCREMENTAL_NOT_SUPPORT', 'A capture has been made or asked for; the authorized amount can no longer be raised.');
  }
  if (p.status !== 'AUTHORIZED') throw new AntomError('ORDER_STATUS_INVALID', `A payment in status ${p.status} cannot have its amount raised.`);
  const flag = p.paymentResultInfo?.incrementalAuthorizationAvailable;
  if (flag === false || flag === 'false')
    throw new AntomError('INCREMENTAL_NOT_SUPPORT', 'The acquirer answered incrementalAuthorizationAvailable false for this authorization.');
  if (s.inFlight)
    throw new AntomError('UNKNOWN_EXCEPTION', 'Another amount update of this payment is in process; retry with the same updateRequestId shortly.');
  if (s.updatesMade >= MAX_AMOUNT_UPDATES)
    throw new AntomError('INCREMENTAL_NOT_SUPPORT', `The authorized amount was already raised ${MAX_AMOUNT_UPDATES} times.`);
  if (currency !== p.currency)
    throw new AntomError('PARAM_ILLEGAL', `Illegal parameter amount.currency: must be ${p.currency}, the payment's currency.`);
  if (amount <= p.authorizedAmount) {
    throw new AntomError(
      'PARAM_ILLEGAL',
      `Illegal parameter amount.value: the new authorized total must be greater than the current one (${p.authorizedAmount} ${p.currency} in minor units).`,
    );
  }
}
