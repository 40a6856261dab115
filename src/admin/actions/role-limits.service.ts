import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminRole } from '../auth/roles';

export interface RoleLimit {
  role: AdminRole;
  currency: string;
  maxAmount: bigint;
  updatedAt: Date;
}

/**
 * The largest single capture or refund a role may request, per currency ('*' for any other).
 * No row means no limit for that role and currency; viewers never move money at all.
 */
@Injectable()
export class RoleLimitsService {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<RoleLimit[]> {
    const rows = await this.db.query('SELECT role, currency, max_amount::text AS max_amount, updated_at FROM admin_role_limit ORDER BY role, currency');
    return rows.map((r: Record<string, string>) => ({ role: r.role as AdminRole, currency: r.currency.trim(), maxAmount: BigInt(r.max_amount), updatedAt: new Date(r.updated_at) }));
  }

  async maxFor(role: AdminRole, currency: string): Promise<bigint | null> {
    const rows = await this.db.query(
      `SELECT max_amount::text AS m FROM admin_role_limit WHERE role = $1 AND currency IN ($2, '*') ORDER BY (currency = $2) DESC LIMIT 1`,
      [role, currency],
    );
    return rows[0] ? BigInt(rows[0].m) : null;
  }

  async set(role: AdminRole, currency: string, maxAmount: bigint, by: string): Promise<void> {
    await this.db.query(
      `INSERT INTO admin_role_limit (role, currency, max_amount, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (role, currency) DO UPDATE SET max_amount = EXCLUDED.max_amount, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [role, currency, maxAmount.toString(), by],
    );
  }

  async remove(role: AdminRole, currency: string): Promise<void> {
    await this.db.query('DELETE FROM admin_role_limit WHERE role = $1 AND currency = $2', [role, currency]);
  }
}
