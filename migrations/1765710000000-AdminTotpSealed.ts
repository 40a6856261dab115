import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PCI DSS 8.3.2: an admin's TOTP seed is stored sealed in the vault's envelope scheme (SecretSealer), which
 * no longer fits varchar(64). Seeds stored in clear before are sealed at start-up by AdminUsersRepository
 * (a migration has no access to the vault keys); until then they still verify.
 */
export class AdminTotpSealed1765710000000 implements MigrationInterface {
  name = 'AdminTotpSealed1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_user ALTER COLUMN totp_secret TYPE text`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed values do not fit varchar(64): going down forgets them (the admins enrol again).
    await q.query(`UPDATE admin_user SET totp_secret = NULL WHERE totp_secret LIKE 'vault:%'`);
    await q.query(`ALTER TABLE admin_user ALTER COLUMN totp_secret TYPE varchar(64)`);
  }
}
