import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payment's notices go out oldest first: the delivery claim skips a notice while an older one of the same
 * payment is still pending, which looks them up by payment. The console's notification list does too.
 */
export class NotificationPaymentIndex1764420000000 implements MigrationInterface {
  name = 'NotificationPaymentIndex1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS merchant_notification_payment_idx ON merchant_notification (payment_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS merchant_notification_payment_idx`);
  }
}
