import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** PCI scope. PAN, expiry and name exist here only as AES-256-GCM ciphertext under a per-record data key. */
@Entity('card')
export class CardRecord {
  @PrimaryColumn('uuid') id: string;
  @Column() token: string;
  @Column({ name: 'merchant_id', type: 'uuid' }) merchantId: string;
  /** The KEK version that wraps `wrappedDek` now; changes when rotation re-wraps the data key. */
  @Column({ name: 'kek_version', type: 'int' }) kekVersion: number;
  /** The version named in the fields' AAD: the KEK version at write time, never changed (see VaultService). */
  @Column({ name: 'field_key_version', type: 'int' }) fieldKeyVersion: number;
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
  /** Set when a one-time token is spent by a payment. */
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true }) consumedAt: Date | null;
  /** browserInfo / clientIp gathered by the hosted collection page (no card data). */
  @Column({ name: 'buyer_env', type: 'jsonb', nullable: true }) buyerEnv: Record<string, string | number | boolean | object> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** CVV (sensitive authentication data): lives only until the authorization completes or `expiresAt`. */
@Entity('card_secret')
export class CardSecret {
  @PrimaryColumn({ name: 'card_id', type: 'uuid' }) cardId: string;
  @Column({ name: 'cvv_enc', type: 'bytea' }) cvvEnc: Buffer;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
}

/**
 * The CVV's own data key (PCI DSS 3.3.1.2), wrapped by the KEK, one per CVV. An UNLOGGED table: its rows
 * never reach the WAL, a replica or a physical backup, and `card_secret` rows reach them without it. It
 * is deleted with its `card_secret` row (ON DELETE CASCADE), so once the CVV is destroyed no copy of its
 * ciphertext anywhere can be decrypted; a crash truncates it, which only destroys in-flight CVVs sooner.
 */
@Entity('cvv_key')
export class CvvKey {
  @PrimaryColumn({ name: 'card_id', type: 'uuid' }) cardId: string;
  @Column({ name: 'kek_version', type: 'int' }) kekVersion: number;
  @Column({ name: 'wrapped_key', type: 'bytea' }) wrappedKey: Buffer;
}
