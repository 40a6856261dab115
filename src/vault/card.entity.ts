import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** PCI scope. PAN, expiry and name exist here only as AES-256-GCM ciphertext under a per-record data key. */
@Entity('card')
export class CardRecord {
  @PrimaryColumn('uuid') id: string;
  @Column() token: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  @Column({ name: 'kek_version', type: 'int' }) kekVersion: number;
  @Column({ name: 'wrapped_dek', type: 'bytea' }) wrappedDek: Buffer;
  @Column({ name: 'pan_enc', type: 'bytea' }) panEnc: Buffer;
  @Column({ name: 'expiry_enc', type: 'bytea' }) expiryEnc: Buffer;
  @Column({ name: 'holder_enc', type: 'bytea', nullable: true }) holderEnc: Buffer | null;
  @Column() fingerprint: string;
  @Column() bin: string;
  @Column() last4: string;
  @Column({ type: 'varchar', array: true }) brands: string[];
  @Column({ name: 'on_file' }) onFile: boolean;
  @Column({ name: 'token_expires_at', type: 'timestamptz', nullable: true }) tokenExpiresAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** CVV (sensitive authentication data): lives only until the authorization completes or `expiresAt`. */
@Entity('card_secret')
export class CardSecret {
  @PrimaryColumn({ name: 'card_id', type: 'uuid' }) cardId: string;
  @Column({ name: 'cvv_enc', type: 'bytea' }) cvvEnc: Buffer;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
}
