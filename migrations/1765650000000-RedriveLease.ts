import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A U answer's re-drive (the merchant's same-id retry, or reconciliation closing what never reached the
 * acquirer) is one at a time per row: `redrive_until` is the lease — while it lies ahead, no other re-drive
 * of that payment, capture, refund or amount update starts (a concurrent retry replays instead). A re-drive
 * that ends sets it a short interval ahead (at most one re-drive per interval); one that dies lets it run
 * out. Null: never re-driven.
 */
export class RedriveLease1765650000000 implements MigrationInterface {
  name = 'RedriveLease1765650000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['payment', 'capture', 'refund', 'amount_update']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS redrive_until timestamptz`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['payment', 'capture', 'refund', 'amount_update']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS redrive_until`);
    }
  }
}
