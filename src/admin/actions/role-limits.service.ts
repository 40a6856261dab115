import { Injectable } from '@nestjs/common';

import { AdminRole } from '../auth/roles';
import { AdminActionsRepository } from './admin-actions.repository';

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
  constructor(private readonly repo: AdminActionsRepository) {}

  async list(): Promise<RoleLimit[]> {
    const rows = await this.repo.listRoleLimits();
    return rows.map((r) => ({
      role: r.role as AdminRole,
      currency: r.currency.trim(),
      maxAmount: BigInt(r.max_amount),
      updatedAt: new Date(r.updated_at),
    }));
  }

  async maxFor(role: AdminRole, currency: string): Promise<bigint | null> {
    const m = await this.repo.roleLimitFor(role, currency);
    return m !== undefined ? BigInt(m) : null;
  }

  async set(role: AdminRole, currency: string, maxAmount: bigint, by: string): Promise<void> {
    await this.repo.upsertRoleLimit(role, currency, maxAmount, by);
  }

  async remove(role: AdminRole, currency: string): Promise<void> {
    await this.repo.deleteRoleLimit(role, currency);
  }
}
