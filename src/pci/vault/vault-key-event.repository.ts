import { EntityManager } from 'typeorm';

/** One lock id for every key action, on every instance: rotations and retirements never interleave. */
const KEY_ACTION_LOCK = 0x7661_756c; // 'vaul'

/** vault_key_event: the audit of key actions, and the cross-instance lock they run under. */
export class VaultKeyEventRepository {
  /** Held until the caller's transaction ends. */
  async lockKeyActions(tx: Pick<EntityManager, 'query'>): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [KEY_ACTION_LOCK]);
  }

  async record(
    tx: Pick<EntityManager, 'query'>,
    action: string,
    keyVersion: number | null,
    actor: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(`INSERT INTO vault_key_event (action, key_version, actor, detail) VALUES ($1, $2, $3, $4)`, [
      action,
      keyVersion,
      actor,
      JSON.stringify(detail),
    ]);
  }
}
