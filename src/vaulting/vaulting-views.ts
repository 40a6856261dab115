import { maskFromBinAndLast4 } from '../antom/card-mask';
import { AntomResult, antomResult } from '../antom/result-codes';
import {
  InquireVaultingAnswer,
  VaultedPaymentMethodDetail,
  VaultingResultNotification,
  VaultingSessionAnswer,
  VaultPaymentMethodAnswer,
} from '../antom/wire';
import type { StoredCardView } from '../pci/card-collection/card-tokens.service';
import type { Vaulting } from './vaulting.repository';

/*
 * Antom's vaulting answers and notification, field for field as the SDK models type them (Go SDK v1.3.5:
 * response/vaulting/*.go, request/notify/AlipayVaultingNotify.go, model/PaymentMethodDetail.go,
 * model/CardPaymentMethodDetail.go): every value a JSON string, nulls omitted. The card is masked: token,
 * brand, BIN, last four and the masked number; never the number, the expiry or a CVV.
 */

const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** PaymentMethodDetail of a vaulted card (paymentMethodDetailType CARD, `card` a CardPaymentMethodDetail). */
export function vaultedCardDetail(card: StoredCardView): VaultedPaymentMethodDetail {
  return {
    paymentMethodDetailType: 'CARD',
    paymentMethodType: 'CARD',
    card: {
      cardToken: card.cardToken,
      brand: card.cardBrand,
      bin: card.cardBin,
      lastFour: card.lastFour,
      maskedCardNo: maskFromBinAndLast4(card.cardBin, card.lastFour),
    },
  };
}

/** What a vaulting is now: an open session past its expiry has failed (nothing can complete it any more). */
export function statusOf(v: Vaulting, now = new Date()): Vaulting['status'] {
  if (v.status === 'PROCESSING' && v.sessionExpiresAt && v.sessionExpiresAt <= now) return 'FAIL';
  return v.status;
}

export function normalUrlOf(v: Vaulting, publicUrl: string): string | undefined {
  return v.sessionId && statusOf(v) === 'PROCESSING' ? `${publicUrl}/collect/${v.sessionId}` : undefined;
}

/** createVaultingSession: the same answer for every replay (the page's URL until the sweeper drops the spent session). */
export function sessionAnswer(v: Vaulting, publicUrl: string): VaultingSessionAnswer {
  return compactAnswer<VaultingSessionAnswer>({
    result: antomResult('SUCCESS'),
    vaultingSessionData: v.sessionId ?? undefined,
    vaultingSessionId: v.id,
    vaultingSessionExpiryTime: v.sessionExpiresAt ? iso(v.sessionExpiresAt) : undefined,
    normalUrl: v.sessionId ? `${publicUrl}/collect/${v.sessionId}` : undefined,
  });
}

/** vaultPaymentMethod: S with the card, U while the buyer has the session's page, F once it expired unused. */
export function vaultAnswer(v: Vaulting, publicUrl: string): VaultPaymentMethodAnswer {
  const status = statusOf(v);
  const result: AntomResult =
    status === 'SUCCESS'
      ? antomResult('SUCCESS')
      : status === 'PROCESSING'
        ? antomResult('VERIFICATION_IN_PROCESS')
        : antomResult('ORDER_IS_CLOSED', 'The vaulting session expired before the buyer entered a card; create a new one.');
  return compactAnswer<VaultPaymentMethodAnswer>({
    result,
    vaultingRequestId: v.vaultingRequestId,
    paymentMethodDetail: status === 'SUCCESS' ? (v.paymentMethodDetail ?? undefined) : undefined,
    normalUrl: normalUrlOf(v, publicUrl),
  });
}

/** inquireVaulting: `result` says the inquiry worked; `vaultingStatus` is the vaulting's own state. */
export function inquiryAnswer(v: Vaulting, publicUrl: string): InquireVaultingAnswer {
  const status = statusOf(v);
  return compactAnswer<InquireVaultingAnswer>({
    result: antomResult('SUCCESS'),
    vaultingRequestId: v.vaultingRequestId,
    vaultingStatus: status,
    paymentMethodDetail: status === 'SUCCESS' ? (v.paymentMethodDetail ?? undefined) : undefined,
    normalUrl: normalUrlOf(v, publicUrl),
  });
}

/**
 * notifyVaulting, sent once the vaulting is final. `vaultingStatus` is in Antom's documentation of the
 * notification (not in the Go model, which ignores it); Antom's notifyVaulting has no notifyType.
 */
export function vaultingNotice(v: Vaulting): VaultingResultNotification | null {
  if (!v.paymentMethodDetail) return null; // not final: nothing to notify
  return compactAnswer<VaultingResultNotification>({
    result: antomResult('SUCCESS'),
    vaultingRequestId: v.vaultingRequestId,
    vaultingStatus: 'SUCCESS',
    paymentMethodDetail: v.paymentMethodDetail,
    vaultingCreateTime: iso(v.completedAt ?? v.createdAt),
  });
}

function compactAnswer<T extends object>(o: T): T {
  const fields = o as { [field: string]: unknown };
  for (const k of Object.keys(fields)) if (fields[k] === undefined || fields[k] === null) delete fields[k];
  return o;
}
