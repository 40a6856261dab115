import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import { bigintColumn } from './payment.entity';

export type OperationStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'UNKNOWN';

@Entity('capture')
export class Capture {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'capture_id' }) captureId: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId: string;
  @Column({ name: 'capture_request_id' }) captureRequestId: string;
  @Column({ name: 'request_hash' }) requestHash: string;
  @Column() currency: string;
  @Column(bigintColumn) amount: bigint;
  @Column({ name: 'is_last' }) isLast: boolean;
  /** Made by the acquirer for captureMode AUTOMATIC, learnt from its capture notification. */
  @Column() automatic: boolean;
  @Column({ type: 'varchar' }) status: OperationStatus;
  @Column({ name: 'upstream_capture_id', type: 'varchar', nullable: true }) upstreamCaptureId: string | null;
  /** Antom's `acquirerReferenceNo` of the capture (the scheme's reference, e.g. an ARN). */
  @Column({ name: 'acquirer_reference_no', type: 'varchar', nullable: true }) acquirerReferenceNo: string | null;
  @Column({ name: 'result_status', type: 'varchar', nullable: true }) resultStatus: 'S' | 'F' | 'U' | null;
  @Column({ name: 'result_code', type: 'varchar', nullable: true }) resultCode: string | null;
  @Column({ name: 'result_message', type: 'varchar', nullable: true }) resultMessage: string | null;
  @Column({ name: 'capture_time', type: 'timestamptz', nullable: true }) captureTime: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('refund')
export class Refund {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'refund_id' }) refundId: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId: string;
  @Column({ name: 'refund_request_id' }) refundRequestId: string;
  @Column({ name: 'request_hash' }) requestHash: string;
  @Column() currency: string;
  @Column(bigintColumn) amount: bigint;
  @Column({ type: 'varchar', nullable: true }) reason: string | null;
  @Column({ name: 'notify_url', type: 'varchar', nullable: true }) notifyUrl: string | null;
  @Column({ type: 'varchar' }) status: Exclude<OperationStatus, 'UNKNOWN'>;
  @Column({ name: 'upstream_refund_id', type: 'varchar', nullable: true }) upstreamRefundId: string | null;
  @Column({ name: 'result_status', type: 'varchar', nullable: true }) resultStatus: 'S' | 'F' | 'U' | null;
  @Column({ name: 'result_code', type: 'varchar', nullable: true }) resultCode: string | null;
  @Column({ name: 'result_message', type: 'varchar', nullable: true }) resultMessage: string | null;
  @Column({ name: 'refund_time', type: 'timestamptz', nullable: true }) refundTime: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
