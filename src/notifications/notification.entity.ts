import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One outbound notification to a merchant, delivered on Antom's retry schedule until acknowledged. */
@Entity('merchant_notification')
export class MerchantNotification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId: string;
  @Column({ name: 'notify_type' }) notifyType: string;
  @Column({ name: 'dedupe_key' }) dedupeKey: string;
  @Column() url: string;
  /** The exact bytes sent (and signed) on every attempt, so retries are byte-identical. */
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'varchar' }) status: 'PENDING' | 'DELIVERED' | 'FAILED';
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_error', type: 'varchar', nullable: true }) lastError: string | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('notification_attempt')
export class NotificationAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'notification_id', type: 'uuid' }) notificationId: string;
  @Column({ type: 'int' }) attempt: number;
  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz' }) attemptedAt: Date;
  @Column({ name: 'http_status', type: 'int', nullable: true }) httpStatus: number | null;
  @Column({ type: 'varchar' }) outcome: 'ACKED' | 'REJECTED' | 'ERROR';
  @Column({ type: 'varchar', nullable: true }) error: string | null;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
}

/** Inbound notifications already applied (Antom sends duplicates by design). */
@Entity('notification_in')
export class InboundNotification {
  @PrimaryColumn({ name: 'dedupe_key' }) dedupeKey: string;
  @Column({ name: 'notify_type' }) notifyType: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
