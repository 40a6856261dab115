import { randomBytes } from 'node:crypto';

import * as argon2 from 'argon2';

import { withHashSlot } from './hash-slots';

// argon2id with the library's defaults (64 MiB, t=3, p=4): ~170 ms here, the OWASP-recommended class.
// Both run in a bounded number of slots (hash-slots.ts); they throw HashesBusy when none comes free.
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => argon2.hash(password, { type: argon2.argon2id }));
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return withHashSlot(() => verifyInHeldSlot(hash, password));
}

let verifications = 0;

/** argon2 verifications begun in this process: what a sign-in costs, counted (tests compare unknown, locked and wrong names by it). */
export function argon2Verifications(): number {
  return verifications;
}

/** For a caller that already holds a slot (the sign-in holds one from before its attempt is counted). */
export async function verifyInHeldSlot(hash: string, password: string): Promise<boolean> {
  verifications++;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time on an unknown, locked or disabled account as on a real check, so timing does
 * not tell them apart. The caller holds a slot.
 */
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id });
  await verifyInHeldSlot(await dummy, password);
}

/** A one-time password for a new account or a reset: 20 characters, ~120 bits. */
export function oneTimePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** PCI DSS 8.3.7: a new password may not be any of the last four (the current one and PASSWORD_HISTORY before it). */
export const PASSWORD_HISTORY = 3;

/** Null when acceptable, else the reason to show. PCI DSS 8.3.6: at least 12 characters, letters and digits. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 12) return 'Use at least 12 characters.';
  if (password.length > 256) return 'Use at most 256 characters.';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'Use both letters and digits.';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the user name.';
  return null;
}
