import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 27: the foreign keys of the hot child tables dropped. Each one made PostgreSQL run a
 * `SELECT 1 FROM ONLY <parent> … FOR KEY SHARE` (a nested statement, a row lock on the parent and a
 * MultiXact when two writers share it) per child row: 15 of the 20 foreign-key checks an automatic-capture pay cost
 * (`pg_stat_statements.track=all`, issue 27). DEFERRABLE INITIALLY DEFERRED would only move each check
 * to the commit, not remove it.
 *
 * Why integrity holds without them — each child has ONE writer, which takes the parent from the same
 * statement or transaction that wrote or locked it:
 * - `payment_event.payment_id`: written only by the payments repositories, as a CTE that runs
 *   `INSERT … SELECT … FROM <the payment UPDATE/INSERT's RETURNING>` (no row back, no event), or inside
 *   the transaction that holds the payment's row lock; the outbox's delivery events take the id from the
 *   notice row they update. Payment rows are never deleted (`PaymentsRepository.reload`), so the
 *   former ON DELETE CASCADE never fired.
 * - `merchant_notification.payment_id` / `.merchant_id`: the notice rides along with the payment's
 *   transition (`noticeQueuedAlong`: `SELECT … FROM main`) or the automatic-capture booking (`FROM u`);
 *   a vaulting's notice has no payment and takes its merchant from the vaulting row it answers.
 * - `notification_attempt.notification_id`: written only by `OutboxRepository.recordDeliveries`, for
 *   notices it claimed (leased) and still holds.
 * - `capture.payment_id` / `.merchant_id` (not append-only, but its keys never change after the INSERT):
 *   written only by the payments repositories — the automatic-capture booking as `INSERT … SELECT … FROM u`
 *   (the payment UPDATE that gates it), a merchant's or operator's capture by `OperationsRepository.reserve`
 *   inside the transaction that holds the payment's row lock, with the ids of that locked row.
 * `test/db/orphans.db-spec.ts` drives the pay path's writers (and a ghost payment) and checks `orphanCounts()` (the same query an operator
 * can run: `PaymentsRepository.orphanCounts`, `OutboxRepository.orphanCounts`) finds none. The parent tables (`payment`, `merchant`,
 * `merchant_notification`) keep their own keys; the payment's foreign keys to merchant and card stay, and so do
 * the card tables' (their ON DELETE actions are the CVV's and the expired card's destruction).
 */
export class HotTableForeignKeys1765900000100 implements MigrationInterface {
  name = 'HotTableForeignKeys1765900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_event DROP CONSTRAINT IF EXISTS payment_event_payment_id_fkey`);
    await q.query(`ALTER TABLE merchant_notification DROP CONSTRAINT IF EXISTS merchant_notification_payment_id_fkey`);
    await q.query(`ALTER TABLE merchant_notification DROP CONSTRAINT IF EXISTS merchant_notification_merchant_id_fkey`);
    await q.query(`ALTER TABLE notification_attempt DROP CONSTRAINT IF EXISTS notification_attempt_notification_id_fkey`);
    await q.query(`ALTER TABLE capture DROP CONSTRAINT IF EXISTS capture_payment_id_fkey`);
    await q.query(`ALTER TABLE capture DROP CONSTRAINT IF EXISTS capture_merchant_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE capture ADD CONSTRAINT capture_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payment(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE capture ADD CONSTRAINT capture_merchant_id_fkey FOREIGN KEY (merchant_id) REFERENCES merchant(id)`);
    await q.query(
      `ALTER TABLE payment_event ADD CONSTRAINT payment_event_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payment(id) ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE merchant_notification ADD CONSTRAINT merchant_notification_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payment(id) ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE merchant_notification ADD CONSTRAINT merchant_notification_merchant_id_fkey FOREIGN KEY (merchant_id) REFERENCES merchant(id)`,
    );
    await q.query(
      `ALTER TABLE notification_attempt ADD CONSTRAINT notification_attempt_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES merchant_notification(id) ON DELETE CASCADE`,
    );
  }
}
