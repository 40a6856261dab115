import { Injectable } from '@nestjs/common';

import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES } from '../admin-settings';
import { AdminUsersRepository, AttemptRow } from './admin-users.repository';

/** An attempt that was let through: its number in the current run of failures. */
export type AttemptClaim = AttemptRow;

/**
 * The lockout decision, one atomic SQL statement per attempt (AdminUsersRepository), taken BEFORE the secret is checked:
 * every attempt (password, TOTP code, current password on the account page, TOTP disable) counts as
 * a failure in advance, and the attempt that makes it the tenth sets the lock. Attempts on a locked
 * account are refused without looking at what was typed, so neither parallel requests nor a second
 * factor on an open session can get past a lock. A right answer then settles its own attempt:
 * `succeeded` clears the count, but only while no other attempt has locked the account meanwhile.
 */
@Injectable()
export class AttemptGate {
  constructor(private readonly users: AdminUsersRepository) {}

  /** Null when the account is locked (or gone): refuse without checking anything. */
  claim(userId: string): Promise<AttemptClaim | null> {
    return this.users.claimAttempt(userId, LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES);
  }

  /**
   * The attempt's answer was right and ends the sign-in (or the guarded action): the count starts
   * again. False when another attempt locked the account in the meantime; a lock this attempt set
   * itself (it was the tenth, and right) is lifted.
   */
  succeeded(userId: string, claim: AttemptClaim, lastLogin = true): Promise<boolean> {
    return this.users.clearAttempts(userId, claim.attempt, LOCKOUT_AFTER_FAILURES, lastLogin);
  }

  /**
   * The password was right but a second factor is still due: this attempt stops counting as a
   * failure, the count of the others stays (knowing the password does not reset it). False when
   * another attempt locked the account meanwhile.
   */
  passedFirstFactor(userId: string, claim: AttemptClaim): Promise<boolean> {
    return this.users.uncountAttempt(userId, claim.attempt, LOCKOUT_AFTER_FAILURES);
  }
}
