import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's *Failing notifications* page (src/admin/payments/failing-notifications.repository.ts) reads the
 * notices that gave up (FAILED) or failed at least once and wait to try again, newest first, by keyset on
 * (created_at, id). A partial index over exactly that predicate: it holds only the failing few, however many
 * notices were delivered, so a page is an index range scan.
 */
export class FailingNotificationsIndex1765740000000 implements MigrationInterface {
  name = 'FailingNotificationsIndex1765740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS merchant_notification_failing_idx ON merchant_notification (created_at DESC, id DESC)
       WHERE payment_id IS NOT NULL AND (status = 'FAILED' OR (status = 'PENDING' AND attempts > 0))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS merchant_notification_failing_idx`);
  }
}
