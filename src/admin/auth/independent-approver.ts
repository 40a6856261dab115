import { DataSource } from 'typeorm';

import { containsCardNumber } from '../../antom/pan-runs';
import { AuditService } from '../../audit/audit.service';
import { AdminUsersRepository } from './admin-users.repository';
import { hashPassword, oneTimePassword } from './passwords';
import { AdminRole } from './roles';
import { isUserName } from './user-name';

/**
 * The first independent approver (four eyes from a fresh install). Every console account descends from the first
 * admin, and whoever set an account's password may know it (creation-chain.ts): the first admin's own accounts can
 * never approve each other's requests across that chain, and an account the first admin creates in the console can
 * never be independent of it. So the first independent approver is created OUTSIDE the console, by a named person
 * with access to the gateway's host or database (the same trust the first admin's creation has), who attests in
 * words that they hold no console account and hand the one-time password to the approver in person:
 *
 * - the account is created with a one-time password printed to that person's terminal only (never to a console
 *   user), to be changed at first sign-in (and TOTP enrolled, where required);
 * - the audit log records CREATE_USER with no creating account (`actor_id` NULL, actor `cli:<name> (os user@host)`)
 *   and the attestation — in the same transaction, in the hash-chained log; the creation chain therefore starts
 *   fresh at this account, as it does at the first admin;
 * - an attester who holds a console account of the same name is refused (they would be in the chain themselves).
 */
export interface IndependentApprover {
  username: string;
  displayName: string;
  role: AdminRole;
  attestation: string;
  /** `cli:<name> (os user@host)`, from named-operator.ts. */
  actor: string;
  /** The attester's own name (to refuse an attester who holds a console account of that name). */
  attester: string;
}

export const MIN_ATTESTATION = 20;

export class ApproverInputError extends Error {}

/** Creates the account and its audit entry together; answers the one-time password (to print once, never to store). */
export async function createIndependentApprover(
  db: DataSource,
  audit: AuditService,
  a: IndependentApprover,
): Promise<{ id: string; password: string }> {
  if (!isUserName(a.username)) throw new ApproverInputError('--user must be a user name: a-z, 0-9, . _ -, 2–64 characters, with a letter');
  if (a.role !== 'operator' && a.role !== 'admin') throw new ApproverInputError('--role must be operator or admin (a viewer cannot approve)');
  const displayName = a.displayName.trim().slice(0, 128);
  if (!displayName || containsCardNumber(displayName)) throw new ApproverInputError("--name (the person's full name) is required");
  const attestation = a.attestation.trim().slice(0, 1000);
  if (attestation.length < MIN_ATTESTATION || containsCardNumber(attestation))
    throw new ApproverInputError(
      `--attest needs a statement of at least ${MIN_ATTESTATION} characters, e.g. "I hold no console account and handed the one-time password to Dora in person"`,
    );
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  const id = await db.transaction(async (tx) => {
    if (await AdminUsersRepository.exists(tx, a.attester.toLowerCase()))
      throw new ApproverInputError(
        `the attester "${a.attester}" holds a console account of that name: an account holder cannot vouch for an approver independent of them`,
      );
    const created = await AdminUsersRepository.insertIn(tx, a.username, displayName, a.role, hash);
    if (!created) throw new ApproverInputError(`the user name ${a.username} is taken`);
    await audit.append(
      {
        actorId: null,
        actor: a.actor,
        action: 'CREATE_USER',
        target: a.username,
        outcome: 'SUCCESS',
        detail: { role: a.role, independentApprover: true, attestation },
      },
      tx,
    );
    return created;
  });
  return { id, password };
}
