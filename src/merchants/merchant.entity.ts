import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('merchant')
export class Merchant {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'client_id' }) clientId: string;
  @Column() name: string;
  @Column() status: 'ACTIVE' | 'SUSPENDED';
  @Column({ name: 'notify_url', type: 'varchar', nullable: true }) notifyUrl: string | null;
  /** What to do with an uncaptured authorization nearing authExpiryTime: CAPTURE, VOID or EXPIRE. */
  @Column({ name: 'auth_expiry_policy', type: 'varchar' }) authExpiryPolicy: 'CAPTURE' | 'VOID' | 'EXPIRE';
  /** What to do when AVS or CVV checks fail on a manual-capture authorization. */
  @Column({ name: 'avs_policy', type: 'varchar' }) avsPolicy: 'ACCEPT' | 'REVIEW' | 'VOID';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @OneToMany(() => MerchantKey, (k) => k.merchant) keys: MerchantKey[];
}

/** A merchant's request-signing public key; `keyVersion` comes from the Signature header. */
@Entity('merchant_key')
export class MerchantKey {
  @PrimaryColumn({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @PrimaryColumn({ name: 'key_version', type: 'int' }) keyVersion: number;
  @Column({ name: 'public_key_pem', type: 'text' }) publicKeyPem: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @ManyToOne(() => Merchant, (m) => m.keys) @JoinColumn({ name: 'merchant_id' }) merchant: Merchant;
}
