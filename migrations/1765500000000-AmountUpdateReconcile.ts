import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open amount updates become reconciliation's work, as captures are: `next_reconcile_at` is when the
 * worker next resends the update (same updateRequestId: the acquirer is idempotent on it), null once it is
 * final; `reconcile_attempts` drives the backoff. Rows already open are due at once.
 */
export class AmountUpdateReconcile1765500000000 implements MigrationInterface {
  name = 'AmountUpdateReconcile1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE amount_update ADD COLUMN next_reconcile_at timestamptz, ADD COLUMN reconcile_attempts int NOT NULL DEFAULT 0`);
    await q.query(`UPDATE amount_update SET next_reconcile_at = now() WHERE status = 'PROCESSING'`);
    await q.query(`CREATE INDEX amount_update_due_idx ON amount_update (next_reconcile_at) WHERE status = 'PROCESSING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS amount_update_due_idx`);
    await q.query(`ALTER TABLE amount_update DROP COLUMN IF EXISTS next_reconcile_at, DROP COLUMN IF EXISTS reconcile_attempts`);
  }
}
