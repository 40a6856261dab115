import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { bigintColumn } from './payment.entity';

/** One row per state transition or notable step: the payment's timeline. Never holds card data. */
@Entity('payment_event')
export class PaymentEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId: string;
  @Column() type: string;
  @Column({ name: 'from_status', type: 'varchar', nullable: true }) fromStatus: string | null;
  @Column({ name: 'to_status', type: 'varchar', nullable: true }) toStatus: string | null;
  @Column({ ...bigintColumn, nullable: true }) amount: bigint | null;
  @Column({ type: 'jsonb', nullable: true }) detail: Record<string, any> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
