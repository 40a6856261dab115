import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * A merchant notice that is failing: it gave up (FAILED) or failed at least once and waits to try again
 * (PENDING with attempts). Vaulting notices have no payment and are left out. The predicate is the partial
 * index's (migration FailingNotificationsIndex), word for word, so the planner can use it.
 */
const FAILING = `n.payment_id IS NOT NULL AND (n.status = 'FAILED' OR (n.status = 'PENDING' AND n.attempts > 0))`;

export interface FailingNotificationRow {
  id: string;
  /** Keyset cursor: created_at in whole microseconds since the epoch, as text (a JS Date would drop the microseconds). */
  cursor_us: string;
  notify_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  created_at: Date;
  payment_uuid: string;
  payment_id: string;
  merchant_name: string;
  merchant_client_id: string;
}

/** Reads for the console-wide *Failing notifications* page; the outbox repository owns every write. */
@Injectable()
export class FailingNotificationsRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, `limit` rows strictly older than the cursor (created_at µs, id) when one is given. */
  page(limit: number, before: { us: string; id: string } | null): Promise<FailingNotificationRow[]> {
    const params: unknown[] = [limit];
    let after = '';
    if (before) {
      params.push(before.us, before.id);
      after = `AND (n.created_at, n.id) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid)`;
    }
    return this.db.query(
      `SELECT n.id, (extract(epoch FROM n.created_at) * 1000000)::bigint::text AS cursor_us, n.notify_type, n.status, n.attempts,
              n.next_attempt_at, n.last_error, la.attempted_at AS last_attempt_at, n.created_at,
              p.id AS payment_uuid, p.payment_id, m.name AS merchant_name, m.client_id AS merchant_client_id
       FROM merchant_notification n
       JOIN payment p ON p.id = n.payment_id
       JOIN merchant m ON m.id = n.merchant_id
       LEFT JOIN LATERAL (SELECT a.attempted_at FROM notification_attempt a WHERE a.notification_id = n.id ORDER BY a.id DESC LIMIT 1) la ON true
       WHERE ${FAILING} ${after}
       ORDER BY n.created_at DESC, n.id DESC
       LIMIT $1`,
      params,
    );
  }

  /** One notice of a payment with its payment's ids, whatever its status (the retry page and its result). */
  async byId(id: string): Promise<FailingNotificationRow | undefined> {
    const rows = await this.db.query(
      `SELECT n.id, (extract(epoch FROM n.created_at) * 1000000)::bigint::text AS cursor_us, n.notify_type, n.status, n.attempts,
              n.next_attempt_at, n.last_error, la.attempted_at AS last_attempt_at, n.created_at,
              p.id AS payment_uuid, p.payment_id, m.name AS merchant_name, m.client_id AS merchant_client_id
       FROM merchant_notification n
       JOIN payment p ON p.id = n.payment_id
       JOIN merchant m ON m.id = n.merchant_id
       LEFT JOIN LATERAL (SELECT a.attempted_at FROM notification_attempt a WHERE a.notification_id = n.id ORDER BY a.id DESC LIMIT 1) la ON true
       WHERE n.id = $1`,
      [id],
    );
    return rows[0];
  }
}
