/** A payment's merchant notice, as the outbox keeps it until the merchant acknowledges it. */
export interface OutboundNotification {
  merchantId: string;
  paymentId: string;
  /** NOTIFY_DISPUTE: Antom's notifyDispute, whose body carries no notifyType (it has disputeNotificationType). */
  notifyType: 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT' | 'UPDATE_AMOUNT_RESULT' | 'NOTIFY_DISPUTE';
  /** One notification per final outcome: a second enqueue of the same outcome is a no-op. */
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}

/** A vaulting's notice (notifyVaulting): no payment, so no timeline row. */
export interface OutboundVaultingNotification {
  merchantId: string;
  vaultingId: string;
  dedupeKey: string;
  url: string | null;
  payload: Record<string, unknown>;
}
