import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { Payment } from '../payments/payment.entity';
import { RideAlong, TRANSITION_ROW } from '../platform/database/ride-along';
import { Sql, sql } from '../platform/database/sql';
import { AcquirerCardToken, isVaultToken } from './acquirer-card-tokens';

/**
 * Keeps the acquirer's token of a card the gateway never held (hosted form), for the payment's merchant:
 * the insert, or null when the payment carries no acquirer token; `after` as in the outbox. The first
 * merchant to receive a token owns it; a repeat (duplicate notification, inquiry) changes nothing.
 */
function acquirerTokenSql(p: Payment, after?: string): Sql | null {
  const info = p.paymentResultInfo ?? {};
  const token = info.cardToken;
  if (p.cardId || typeof token !== 'string' || !token || token.length > 128 || isVaultToken(token)) return null;
  const values = [token, p.merchantId, short(p.cardBin, 8), short(p.cardLast4, 4), short(p.cardBrand, 32)];
  const params = '$1::varchar, $2::uuid, $3::varchar, $4::varchar, $5::varchar';
  return sql(
    `INSERT INTO acquirer_card_token (token, merchant_id, card_bin, card_last4, card_brand) ${after ? `SELECT ${params} FROM ${after}` : `VALUES (${params})`} ON CONFLICT (token) DO NOTHING`,
    values,
  );
}

/** Intent: keep the acquirer's card token the answer carries, in the statement of the transition; null when it carries none. */
export function acquirerTokenKeptAlong(p: Payment): RideAlong | null {
  const insert = acquirerTokenSql(p, TRANSITION_ROW);
  return insert ? { ctes: [['acquirer_token', insert]] } : null;
}

/** Whether the answer carries an acquirer card token to keep (its write then waits for the disk). */
export function carriesAcquirerToken(p: Payment): boolean {
  return acquirerTokenSql(p) !== null;
}

/** acquirer_card_token: the acquirer's tokens of hosted-form cards, masked view only; written by `acquirerTokenSql`. */
@Injectable()
export class AcquirerCardTokenRepository {
  constructor(private readonly db: DataSource) {}

  async find(token: string): Promise<AcquirerCardToken | null> {
    const rows = await this.db.query(`SELECT token, merchant_id, card_bin, card_last4, card_brand FROM acquirer_card_token WHERE token = $1`, [
      token,
    ]);
    const r = rows[0];
    return r
      ? { token: r.token, merchantId: r.merchant_id, bin: r.card_bin ?? '', last4: r.card_last4 ?? '', brand: r.card_brand ?? 'UNKNOWN' }
      : null;
  }
}

function short(v: string | null | undefined, n: number): string | null {
  return typeof v === 'string' && v ? v.slice(0, n) : null;
}
