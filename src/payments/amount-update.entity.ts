import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import { bigintColumn } from './payment.entity';

/**
 * One incremental authorization (updateAmount). `amount` is the new authorized TOTAL asked for (Antom: "not
 * the increment"), `previousAmount` the total it raises. PROCESSING until the acquirer answers S or F (reconciliation resends it
 * meanwhile, see `nextReconcileAt`); its
 * `id` is the acquirer's `updateRequestId`, so a resend is idempotent upstream.
 */
@Entity('amount_update')
export class AmountUpdate {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId: string;
  @Column({ name: 'update_request_id' }) updateRequestId: string;
  @Column({ name: 'request_hash' }) requestHash: string;
  @Column() currency: string;
  @Column(bigintColumn) amount: bigint;
  @Column({ ...bigintColumn, name: 'previous_amount' }) previousAmount: bigint;
  @Column({ type: 'varchar' }) status: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  @Column({ name: 'result_status', type: 'varchar', nullable: true }) resultStatus: 'S' | 'F' | 'U' | null;
  @Column({ name: 'result_code', type: 'varchar', nullable: true }) resultCode: string | null;
  @Column({ name: 'result_message', type: 'varchar', nullable: true }) resultMessage: string | null;
  /** When reconciliation next resends this update (null: final, nothing to do). */
  @Column({ name: 'next_reconcile_at', type: 'timestamptz', nullable: true }) nextReconcileAt: Date | null;
  @Column({ name: 'reconcile_attempts', type: 'int', default: 0 }) reconcileAttempts: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
