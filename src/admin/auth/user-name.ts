import { containsCardNumber } from '../../antom/pan-runs';
import { USERNAME } from './admin-users.service';

/**
 * A user name: a-z, 0-9, '.', '_', '-', 2–64 characters, at least one letter, and no card number in
 * it. A card number typed into the name field (it happens) must never become an account name or an
 * audit actor, and the audit log is append-only: the check comes before anything is written.
 */
export function isUserName(name: string): boolean {
  return USERNAME.test(name) && /[a-z]/.test(name) && !containsCardNumber(name);
}
