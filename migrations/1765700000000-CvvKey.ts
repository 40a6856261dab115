import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PCI DSS 3.3.1.2: each CVV under its own data key, in `cvv_key`, deleted with the CVV (ON DELETE
 * CASCADE from `card_secret`). UNLOGGED: the key rows never reach the WAL, a streaming replica or a
 * physical backup (pg_basebackup skips unlogged data); a logical dump must use --no-unlogged-table-data
 * (docs/operations.md). A crash truncates the table: CVVs in flight become unreadable, which is their
 * fate within minutes anyway.
 *
 * CVVs written before this migration are under their card's key, so a copy stays decryptable while the
 * card exists: they are dropped here (they live minutes; an authorization in flight goes on without CVV).
 */
export class CvvKey1765700000000 implements MigrationInterface {
  name = 'CvvKey1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE IF NOT EXISTS cvv_key (
        card_id uuid PRIMARY KEY REFERENCES card_secret(card_id) ON DELETE CASCADE,
        kek_version int NOT NULL,
        wrapped_key bytea NOT NULL
      )`);
    await q.query(`DELETE FROM card_secret s WHERE NOT EXISTS (SELECT 1 FROM cvv_key k WHERE k.card_id = s.card_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS cvv_key`);
  }
}
