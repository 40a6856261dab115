import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** notification_in: the acquirer notifications already applied on the general path, by dedupe key. */
@Injectable()
export class NotificationDedupeRepository {
  constructor(private readonly db: DataSource) {}

  async seen(dedupeKey: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM notification_in WHERE dedupe_key = $1`, [dedupeKey]);
    return rows.length > 0;
  }

  /** Remembers the key in the caller's transaction; false when it was already there (a duplicate). */
  async claim(q: Pick<DataSource, 'query'>, dedupeKey: string, notifyType: string): Promise<boolean> {
    const rows: unknown[] = await q.query(
      `INSERT INTO notification_in (dedupe_key, notify_type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [dedupeKey, notifyType.slice(0, 32)],
    );
    return rows.length === 1;
  }

  async remember(dedupeKey: string, notifyType: string): Promise<void> {
    await this.db.query(`INSERT INTO notification_in (dedupe_key, notify_type) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      dedupeKey,
      notifyType.slice(0, 32),
    ]);
  }
}
