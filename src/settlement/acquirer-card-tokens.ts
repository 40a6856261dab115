import { EntityManager } from 'typeorm';
import { Payment } from '../payments/payment.entity';
import { Sql, sql } from '../platform/database/sql';

/** A card token the acquirer issued for a card its hosted page collected: the masked view only. */
export interface AcquirerCardToken {
  token: string;
  merchantId: string;
  bin: string;
  last4: string;
  brand: string;
}

/** The gateway's own vault tokens; anything else a merchant pays with is the acquirer's. */
export const isVaultToken = (token: string) => token.startsWith('tok_');

/**
 * Keeps the acquirer's token of a card the gateway never held (hosted form), for the payment's merchant:
 * the insert, or null when the payment carries no acquirer token; `after` as in the outbox. The first
 * merchant to receive a token owns it; a repeat (duplicate notification, inquiry) changes nothing.
 */
export function acquirerTokenSql(p: Payment, after?: string): Sql | null {
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

export async function findAcquirerToken(db: Pick<EntityManager, 'query'>, token: string): Promise<AcquirerCardToken | null> {
  const rows = await db.query(`SELECT token, merchant_id, card_bin, card_last4, card_brand FROM acquirer_card_token WHERE token = $1`, [token]);
  const r = rows[0];
  return r ? { token: r.token, merchantId: r.merchant_id, bin: r.card_bin ?? '', last4: r.card_last4 ?? '', brand: r.card_brand ?? 'UNKNOWN' } : null;
}

function short(v: string | null | undefined, n: number): string | null {
  return typeof v === 'string' && v ? v.slice(0, n) : null;
}
