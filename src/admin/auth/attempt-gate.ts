import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES } from '../admin-settings';

/** An attempt that was let through: its number in the current run of failures. */
export interface AttemptClaim {
  attempt: number;
  lockedUntil: Date | null;
}

/**
 * The lockout decision, one atomic SQL statement per attempt, taken BEFORE the secret is checked:
 * every attempt (password, TOTP code, current password on the account page, TOTP disable) counts as
 * a failure in advance, and the attempt that makes it the tenth sets the lock. Attempts on a locked
 * account are refused without looking at what was typed, so neither parallel requests nor a second
 * factor on an open session can get past a lock. A right answer then settles its own attempt:
 * `succeeded` clears the count, but only while no other attempt has locked the account meanwhile.
 */
@Injectable()
export class AttemptGate {
  constructor(private readonly db: DataSource) {}

  /** Null when the account is locked (or gone): refuse without checking anything. */
  async claim(userId: string): Promise<AttemptClaim | null> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET
         failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_attempts + 1 END,
         locked_until = CASE
           WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
           WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3)
           ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
       RETURNING failed_attempts, locked_until`,
      [userId, LOCKOUT_AFTER_FAILURES, LOCKOUT_MINUTES],
    );
    const r = rows[0]; // TypeORM answers UPDATE … RETURNING with [rows, rowCount]
    return r ? { attempt: r.failed_attempts, lockedUntil: r.locked_until ? new Date(r.locked_until) : null } : null;
  }

  /**
   * The attempt's answer was right and ends the sign-in (or the guarded action): the count starts
   * again. False when another attempt locked the account in the meantime; a lock this attempt set
   * itself (it was the tenth, and right) is lifted.
   */
  async succeeded(userId: string, claim: AttemptClaim, lastLogin = true): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET failed_attempts = 0, locked_until = NULL, updated_at = now()${lastLogin ? ', last_login_at = now()' : ''}
       WHERE id = $1 AND (${this.ownLock})
       RETURNING id`,
      [userId, claim.attempt, LOCKOUT_AFTER_FAILURES],
    );
    return rows.length > 0;
  }

  /**
   * The password was right but a second factor is still due: this attempt stops counting as a
   * failure, the count of the others stays (knowing the password does not reset it). False when
   * another attempt locked the account meanwhile.
   */
  async passedFirstFactor(userId: string, claim: AttemptClaim): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_user SET
         failed_attempts = GREATEST(failed_attempts - 1, 0),
         locked_until = CASE WHEN $2::int >= $3::int AND failed_attempts = $2::int THEN NULL ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 AND (${this.ownLock})
       RETURNING id`,
      [userId, claim.attempt, LOCKOUT_AFTER_FAILURES],
    );
    return rows.length > 0;
  }

  /** Not locked, or locked by this very attempt ($2, the tenth): nobody else can have claimed since. */
  private readonly ownLock = 'locked_until IS NULL OR locked_until <= now() OR ($2::int >= $3::int AND failed_attempts = $2::int)';
}
