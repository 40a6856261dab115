import { Injectable } from '@nestjs/common';

import { AdminActionsRepository } from './admin-actions.repository';
import { MoneyAction } from './approvals.service';
import { chainLink, chainRefusal, passwordKnowers } from './creation-chain';

/**
 * Four-eyes and role limits count what a person moved, not one action at a time: four EUR 1,000 captures
 * weigh what one EUR 4,000 capture does. "A person" is the account and every account that might be the same
 * human being: whoever last set its password (created it or reset it — they knew that password), and every
 * account whose password it last set. Read from the hash-chained audit log, which nobody can quietly edit.
 */
@Injectable()
export class CumulativeControlsService {
  constructor(private readonly repo: AdminActionsRepository) {}

  /** The account, who last set its password, and the accounts whose password it last set. */
  async circle(userId: string): Promise<string[]> {
    const rows = await this.repo.circleRows(userId);
    const ids = new Set<string>([userId]);
    for (const r of rows) ids.add(r.id === userId ? r.setter : r.id);
    return [...ids];
  }

  /**
   * Null when the approver is independent of the requester; else why not, in words. Not the one-hop circle
   * above: the whole creation chain, up and down, at any moment since the request was made (creation-chain.ts).
   */
  async approverLink(requesterId: string, approverId: string, since: Date): Promise<string | null> {
    return (await this.independenceChecker())(requesterId, approverId, since);
  }

  /** `approverLink` for many pairs over one read of the grants (the approvals page asks for every request and person). */
  async independenceChecker(): Promise<(requesterId: string, approverId: string, since: Date) => string | null> {
    const rows = await this.repo.credentialGrants();
    const names = new Map<string, string>();
    for (const r of rows) names.set(r.account, r.account_name).set(r.setter, r.setter_name);
    const grants = rows.map((r) => ({ account: r.account, setter: r.setter, at: new Date(r.at) }));
    const bySince = new Map<number, ReturnType<typeof passwordKnowers>>();
    return (requesterId, approverId, since) => {
      let knowers = bySince.get(since.getTime());
      if (!knowers) bySince.set(since.getTime(), (knowers = passwordKnowers(grants, since)));
      const route = chainLink(knowers, requesterId, approverId);
      if (!route) return null;
      if (route.length === 1) return 'You asked for this action yourself; a second person must approve it.';
      return chainRefusal(route, names, requesterId, approverId, !knowers.get(requesterId)?.size);
    };
  }

  /** What the circle captured (or refunded) on this payment without anyone's approval. */
  async unapprovedOnPayment(circle: string[], action: MoneyAction, paymentId: string): Promise<bigint> {
    return this.repo.unapprovedOnPayment(circle, action, paymentId);
  }

  /** What the circle captured (or refunded) in this currency over the last 24 hours without anyone's approval. */
  async unapprovedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    return this.repo.unapprovedLastDay(circle, action, currency);
  }

  /**
   * Everything the circle moved or asked to move in this currency over the last 24 hours: its own captures
   * (refunds) plus its four-eyes requests that are waiting, running or done — what role limits count.
   */
  async askedLastDay(circle: string[], action: MoneyAction, currency: string): Promise<bigint> {
    const own = await this.unapprovedLastDay(circle, action, currency);
    const requested = await this.repo.requestedLastDay(circle, action, currency);
    return own + requested;
  }

  /**
   * Runs `fn` while no other console money action in this currency runs (every gateway instance): the
   * totals read before an action cannot be overtaken by a second tab submitting at the same moment.
   */
  async serialized<T>(currency: string, fn: () => Promise<T>): Promise<T> {
    const key = `admin-money:${currency}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      // Only the holder keeps a connection: waiters try again, so they cannot use up the pool the holder needs.
      const runner = await this.repo.connectedRunner();
      try {
        if (await this.repo.tryAdvisoryLock(runner, key)) {
          try {
            return await fn();
          } finally {
            await this.repo.advisoryUnlock(runner, key);
          }
        }
      } finally {
        await runner.release();
      }
      if (Date.now() > deadline) throw new Error('another console money action in this currency is still running');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}
