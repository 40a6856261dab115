/**
 * Approver independence (issue 23): who may know whose console password, along creation chains of any length.
 *
 * A credential grant is an account's creation or an admin's reset of its password (audit `CREATE_USER`,
 * `CHANGE_USER` `reset-password`): the setter saw the one-time password, so may know the password, and so may
 * everyone who may know the setter's password at that moment — they could have made the grant as the setter.
 * Knowledge runs down chains of any length: A creates B, B creates C → A may know C's password.
 *
 * A grant stands until the account's next grant (a reset also ends the account's sessions); the account's own
 * password change ends nothing (the setter might have been the one who chose it). A later grant of the setter's
 * own password does not reach back: whoever learns B's new password did not see the one B set for C before.
 *
 * THE RULE: an approver may not be the requester, nor anyone in the requester's creation chain, up or down —
 * anyone who may know the requester's password (created it, directly or through accounts created in between)
 * or whose password the requester may know (created from the requester's account, directly or indirectly) —
 * at any moment from the request to now. Accounts that only share a creator (siblings, cousins) are not linked:
 * every account descends from the first admin, so that would leave nobody to approve anything. Consequence: the
 * first admin (created by the system, not by an account) can be approved only by an account not created from it,
 * directly or indirectly; on a console whose accounts all come from it, by nobody (the refusal says so).
 */

/** `setter` set `account`'s password at `at` (ids of admin_user); in audit-log order. */
export interface CredentialGrant {
  account: string;
  setter: string;
  at: Date;
}

/** [knower, …, account]: each set the next one's password. */
export type GrantRoute = string[];

/** Per account: who may know its password, each with the route by which. */
export type Knowers = Map<string, Map<string, GrantRoute>>;

/**
 * Replays the grants (oldest first): who may know each account's password as it stood at `since`, together with
 * everyone any later grant made a knower (the union over [since, now], each knower's first route kept).
 */
export function passwordKnowers(grants: CredentialGrant[], since: Date): Knowers {
  const standing: Knowers = new Map();
  let seen: Knowers | null = null;
  for (const g of grants) {
    if (!seen && g.at.getTime() >= since.getTime()) seen = new Map(standing);
    const knowers = new Map<string, GrantRoute>([[g.setter, [g.setter, g.account]]]);
    for (const [k, route] of standing.get(g.setter) ?? []) if (!knowers.has(k)) knowers.set(k, [...route, g.account]);
    knowers.delete(g.account);
    standing.set(g.account, knowers); // a fresh map: snapshots share the old one, never see it change
    if (seen) seen.set(g.account, new Map([...knowers, ...(seen.get(g.account) ?? [])]));
  }
  return seen ?? standing;
}

/** The route by which one of the two may know the other's password (the approver up or down the requester's chain), or null. */
export function chainLink(knowers: Knowers, requester: string, approver: string): GrantRoute | null {
  if (requester === approver) return [requester];
  return knowers.get(requester)?.get(approver) ?? knowers.get(approver)?.get(requester) ?? null;
}

/**
 * Why the approver may not approve, in words: the chain by name ("you" for the approver), the rule, and for a
 * requester whose own password no account set (the first admin), that only an account not created from theirs can.
 */
export function chainRefusal(route: GrantRoute, names: Map<string, string>, requester: string, approver: string, requesterIsRoot: boolean): string {
  const name = (id: string) => (id === approver ? 'you' : (names.get(id) ?? 'an account'));
  const who = names.get(requester) ?? 'the requester';
  const chain = route.map(name).join(' → ');
  const how =
    route.length === 2
      ? `one of you created the other's account or reset its password (${chain})`
      : `one of you created the other's account through accounts in between (${chain}: each created the next one's account or reset its password)`;
  const root = requesterIsRoot
    ? ` No account created ${who}'s, so every account created from it, directly or indirectly, is in that chain: only an account set up by someone else can approve ${who}'s requests. On a fresh install, set one up with npm run admin:approver (docs/console.md, "First independent approver").`
    : '';
  return `You and ${who} are linked: ${how}. An approver may not be in the requester's creation chain, up or down.${root} Someone outside that chain must approve it.`;
}
