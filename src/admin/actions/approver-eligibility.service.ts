import { Injectable } from '@nestjs/common';

import { AdminUser, AdminUsersService } from '../auth/admin-users.service';
import { AdminRole, MONEY_ROLES } from '../auth/roles';
import { formatMoney } from '../payments/money';
import { ACTION_WORDS, ApprovalRequest, MoneyAction } from './approvals.service';
import { CumulativeControlsService } from './cumulative-controls.service';
import { RoleLimitsService } from './role-limits.service';

/** Where the docs say how to make the first approver independent of the first admin's creation chain. */
export const INDEPENDENT_APPROVER_HINT =
  'An independent approver is set up outside the console with npm run admin:approver (docs/console.md, "First independent approver").';

/** Whether the signed-in person may approve a waiting request, why not, and who on this console could. */
export interface Eligibility {
  mine: boolean;
  canApprove: boolean;
  why: string | null;
  /** User names of the active accounts that could approve it (never the requester). */
  others: string[];
}

/** The role rule for an approver: a money role, and the amount within their own role limit for one request. */
export function approverRoleRefusal(role: AdminRole, limit: bigint | null, action: MoneyAction, amount: bigint, currency: string): string | null {
  if (!MONEY_ROLES.includes(role)) return `Your role (${role}) may not approve this (${ACTION_WORDS[action].verb}).`;
  if (limit !== null && amount > limit)
    return `${formatMoney(amount, currency)} is above your role's limit of ${formatMoney(limit, currency)}: an approver must be allowed to move the amount themselves.`;
  return null;
}

/**
 * Four-eyes decided before the button is shown: the approvals page offers *Approve* only to a person the approval
 * itself would accept (PaymentActionsService.approve applies the same two rules: the creation chain, then the role
 * and its limit), says why not to everyone else, and names who could — or, when nobody could (a fresh install where
 * every account descends from the first admin), how to set up the first independent approver.
 */
@Injectable()
export class ApproverEligibilityService {
  constructor(
    private readonly cumulative: CumulativeControlsService,
    private readonly limits: RoleLimitsService,
    private readonly users: AdminUsersService,
  ) {}

  async forRequests(me: AdminUser, requests: ApprovalRequest[]): Promise<Map<string, Eligibility>> {
    const out = new Map<string, Eligibility>();
    if (requests.length === 0) return out;
    const linked = await this.cumulative.independenceChecker();
    const candidates = (await this.users.list()).filter((u) => !u.disabled && MONEY_ROLES.includes(u.role));
    const limitCache = new Map<string, Promise<bigint | null>>();
    const limitOf = (role: AdminRole, currency: string) => {
      const key = `${role}/${currency}`;
      const known = limitCache.get(key);
      if (known) return known;
      const read = this.limits.maxFor(role, currency);
      limitCache.set(key, read);
      return read;
    };
    const refusal = async (u: AdminUser, a: ApprovalRequest) =>
      linked(a.requestedBy, u.id, a.requestedAt) ?? approverRoleRefusal(u.role, await limitOf(u.role, a.currency), a.action, a.amount, a.currency);
    for (const a of requests) {
      const others: string[] = [];
      for (const u of candidates) if (u.id !== me.id && u.id !== a.requestedBy && (await refusal(u, a)) === null) others.push(u.username);
      if (a.requestedBy === me.id) {
        out.set(a.id, { mine: true, canApprove: false, why: 'You asked for this; a second person must approve it.', others });
        continue;
      }
      const why = await refusal(me, a);
      out.set(a.id, { mine: false, canApprove: why === null, why, others });
    }
    return out;
  }
}
