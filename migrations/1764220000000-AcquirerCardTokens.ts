import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Card tokens the acquirer issued for cards its hosted page collected, kept per merchant so the merchant
 * can pay with them again. The gateway never saw these cards: only the masked view is kept, never card data.
 */
export class AcquirerCardTokens1764220000000 implements MigrationInterface {
  name = 'AcquirerCardTokens1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE acquirer_card_token (
        token varchar(128) PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchant(id),
        card_bin varchar(8),
        card_last4 varchar(4),
        card_brand varchar(32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX acquirer_card_token_merchant ON acquirer_card_token (merchant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE acquirer_card_token`);
  }
}
