import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The rows a U answer's re-drive is about (each has `redrive_until`, migration RedriveLease). */
export type RedriveTable = 'payment' | 'capture' | 'refund' | 'amount_update';

const TABLES: ReadonlySet<string> = new Set<RedriveTable>(['payment', 'capture', 'refund', 'amount_update']);

export interface RedriveClaim {
  claimed: boolean;
  /** The lease the claim replaced: when the last re-drive ended (or its lease ran out); null if none ever ran. */
  previous: Date | null;
}

/**
 * One re-drive at a time per row, across instances. Invariants:
 *  - a claim succeeds only while `redrive_until` is null or past, and moves it `leaseMs` ahead in the same
 *    statement (the row lock orders two claims: the second sees the first's lease and fails);
 *  - the lease covers the longest re-drive (an inquiry and a resend, each within the upstream budget), so a
 *    process that dies holding it blocks re-drives only until it runs out;
 *  - `release` sets it `intervalMs` ahead: a row is re-driven at most once per interval, however often the
 *    merchant retries (a retry in between replays the stored answer).
 */
@Injectable()
export class RedriveLeaseRepository {
  constructor(private readonly db: DataSource) {}

  async claim(table: RedriveTable, id: string, leaseMs: number): Promise<RedriveClaim> {
    const t = checked(table);
    const r: unknown[] = await this.db.query(
      `UPDATE ${t} SET redrive_until = now() + make_interval(secs => $2::float8 / 1000)
         FROM (SELECT id, redrive_until AS previous FROM ${t} WHERE id = $1 FOR UPDATE) old
        WHERE ${t}.id = old.id AND (old.previous IS NULL OR old.previous <= now())
        RETURNING old.previous`,
      [id, leaseMs],
    );
    const rows = (Array.isArray(r[0]) ? r[0] : r) as { previous: Date | null }[];
    return rows.length === 1 ? { claimed: true, previous: rows[0].previous } : { claimed: false, previous: null };
  }

  async release(table: RedriveTable, id: string, intervalMs: number): Promise<void> {
    await this.db.query(`UPDATE ${checked(table)} SET redrive_until = now() + make_interval(secs => $2::float8 / 1000) WHERE id = $1`, [
      id,
      intervalMs,
    ]);
  }
}

/** The table name is interpolated: only the four known names pass. */
function checked(table: RedriveTable): RedriveTable {
  if (!TABLES.has(table)) throw new Error(`not a re-drive table: ${table}`);
  return table;
}
