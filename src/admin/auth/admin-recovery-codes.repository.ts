import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The admin_recovery_code table: hashes only; marking a code used is the check that it was unused. */
@Injectable()
export class AdminRecoveryCodesRepository {
  constructor(private readonly db: DataSource) {}

  /** The person's set becomes exactly these hashes (one transaction). */
  async replace(userId: string, hashes: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM admin_recovery_code WHERE user_id = $1', [userId]);
      for (const h of hashes) await tx.query('INSERT INTO admin_recovery_code (user_id, code_hash) VALUES ($1, $2)', [userId, h]);
    });
  }

  async markUsed(userId: string, hash: string): Promise<boolean> {
    const [rows] = await this.db.query(
      'UPDATE admin_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1',
      [userId, hash],
    );
    return rows.length > 0;
  }

  async unusedCount(userId: string): Promise<number> {
    return (await this.db.query('SELECT count(*)::int AS n FROM admin_recovery_code WHERE user_id = $1 AND used_at IS NULL', [userId]))[0].n;
  }

  async removeAll(userId: string): Promise<void> {
    await this.db.query('DELETE FROM admin_recovery_code WHERE user_id = $1', [userId]);
  }
}
