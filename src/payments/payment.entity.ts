import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import { PaymentStatus } from './payment-status';

/** bigint columns arrive from pg as strings; keep them as bigint in memory, never as float. */
export const bigintColumn = {
  type: 'bigint' as const,
  transformer: { to: (v?: bigint | null) => (v == null ? v : v.toString()), from: (v?: string | null) => (v == null ? v : BigInt(v)) },
};

@Entity('payment')
export class Payment {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'payment_id' }) paymentId: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'payment_request_id' }) paymentRequestId: string;
  @Column({ name: 'request_hash' }) requestHash: string;
  @Column({ type: 'varchar' }) status: PaymentStatus;
  @Column({ name: 'capture_mode', type: 'varchar' }) captureMode: 'AUTOMATIC' | 'MANUAL';
  @Column() currency: string;
  @Column(bigintColumn) amount: bigint;
  @Column({ ...bigintColumn, name: 'authorized_amount' }) authorizedAmount: bigint;
  @Column({ ...bigintColumn, name: 'captured_amount' }) capturedAmount: bigint;
  @Column({ ...bigintColumn, name: 'refunded_amount' }) refundedAmount: bigint;
  @Column({ name: 'card_id', type: 'uuid', nullable: true }) cardId: string | null;
  @Column({ name: 'card_bin', type: 'varchar', nullable: true }) cardBin: string | null;
  @Column({ name: 'card_last4', type: 'varchar', nullable: true }) cardLast4: string | null;
  @Column({ name: 'card_brand', type: 'varchar', nullable: true }) cardBrand: string | null;
  @Column({ name: 'reference_order_id', type: 'varchar', nullable: true }) referenceOrderId: string | null;
  @Column({ name: 'order_description', type: 'varchar', nullable: true }) orderDescription: string | null;
  @Column({ name: 'reference_buyer_id', type: 'varchar', nullable: true }) referenceBuyerId: string | null;
  @Column({ name: 'client_ip', type: 'varchar', nullable: true }) clientIp: string | null;
  @Column({ name: 'payment_notify_url', type: 'varchar', nullable: true }) paymentNotifyUrl: string | null;
  @Column({ name: 'payment_redirect_url', type: 'varchar', nullable: true }) paymentRedirectUrl: string | null;
  @Column({ name: 'upstream_payment_id', type: 'varchar', nullable: true }) upstreamPaymentId: string | null;
  @Column({ name: 'result_status', type: 'varchar', nullable: true }) resultStatus: 'S' | 'F' | 'U' | null;
  @Column({ name: 'result_code', type: 'varchar', nullable: true }) resultCode: string | null;
  @Column({ name: 'result_message', type: 'varchar', nullable: true }) resultMessage: string | null;
  @Column({ name: 'payment_result_info', type: 'jsonb', nullable: true })
  paymentResultInfo: Record<string, any> | null;
  /** The buyer's next step while PENDING_ACTION: `normalUrl` and/or `redirectActionForm`. */
  @Column({ type: 'jsonb', nullable: true }) action: {
    normalUrl?: string;
    redirectActionForm?: Record<string, any>;
    challengeActionForm?: Record<string, any>;
  } | null;
  @Column({ name: 'auth_expiry_time', type: 'timestamptz', nullable: true }) authExpiryTime: Date | null;
  @Column({ name: 'payment_time', type: 'timestamptz', nullable: true }) paymentTime: Date | null;
  /** Set when a cancel is asked for: from then on a late success cannot turn the payment into a charge. */
  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true }) cancelRequestedAt: Date | null;
  @Column({ name: 'cancel_time', type: 'timestamptz', nullable: true }) cancelTime: Date | null;
  /** When the reconciliation job should next ask the upstream about this payment (null: nothing to settle). */
  @Column({ name: 'next_reconcile_at', type: 'timestamptz', nullable: true }) nextReconcileAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
