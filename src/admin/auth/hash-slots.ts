import { isIPv6 } from 'node:net';

import { FairSlots } from './fair-slots';

/**
 * A bounded number of argon2 computations in flight (each takes ~64 MiB and a thread of libuv's pool
 * for ~170 ms): the rest wait briefly in a short queue, and beyond that are refused at once, so a
 * flood of sign-ins cannot take the threads and memory that payments need. The queue is fair per client
 * address and per user name (fair-slots.ts): a flood from some addresses, or aimed at one name, takes its
 * share and no more, so staff signing in from elsewhere are checked. Per process, like the work it bounds.
 */
export class HashesBusy extends Error {
  constructor() {
    super('too many password checks in flight');
  }
}

export const HASH_SLOTS = 2;
export const HASH_QUEUE = 32;
export const HASH_WAIT_MS = 10_000;

/** Whose password check it is: the client address and the user name typed (a valid one), either when known. */
export interface HashClaimant {
  address?: string;
  name?: string;
}

const slots = new FairSlots(HASH_SLOTS, HASH_QUEUE, HASH_WAIT_MS, () => new HashesBusy());

/** Runs `work` holding one of the slots; throws HashesBusy when no slot is this claimant's in time. */
export async function withHashSlot<T>(work: () => Promise<T>, who: HashClaimant = {}): Promise<T> {
  const release = await slots.acquire(claimantKeys(who));
  try {
    return await work();
  } finally {
    release();
  }
}

/** The fairness keys: an IPv6 address counts per /64 (one host's usual share), as the per-IP limit does. */
export function claimantKeys(who: HashClaimant): string[] {
  const keys: string[] = [];
  if (who.address) keys.push(`address:${addressGroup(who.address)}`);
  if (who.name) keys.push(`name:${who.name}`);
  return keys;
}

function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** For tests and metrics: what is in flight now, the most ever at once, how many wait, how many were pushed out. */
export function hashSlotStats(): { inFlight: number; highWater: number; queued: number; pushedOut: number } {
  return slots.stats();
}
