import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only audit of key actions (a trigger refuses UPDATE and DELETE). Never holds key bytes. */
@Entity('vault_key_event')
export class VaultKeyEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column() action: string;
  @Column({ name: 'key_version', type: 'int', nullable: true }) keyVersion: number | null;
  @Column() actor: string;
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
}
