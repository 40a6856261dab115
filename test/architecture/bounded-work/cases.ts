/*
 * Every regular expression and parser that untrusted input reaches, with the most input it can receive
 * and why its work is linear in it (compliance/hardening-controls.md, issue 23).
 * bounded-work.spec.ts feeds each one adversarial input of at least that size; a regex that backtracks
 * super-linearly takes hours on it and fails the spec at its deadline instead of passing unseen. Every
 * regex in src/ and sandbox/ is either covered here or listed in TRUSTED with the reason no outsider
 * reaches it: a new one fails the spec until it is classified.
 */
import { ACQUIRER } from './acquirer';
import { CONSOLE } from './console';
import { Case } from './harness';
import { MERCHANT_API } from './merchant-api';
import { OUTSIDE } from './outside';

export { FLOOR, LIMITS } from './harness';
export type { Attack, Case, Limit } from './harness';
export { TRUSTED } from './trusted';

export const CASES: Case[] = [...MERCHANT_API, ...ACQUIRER, ...CONSOLE, ...OUTSIDE];
