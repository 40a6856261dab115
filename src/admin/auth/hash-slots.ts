/**
 * A bounded number of argon2 computations in flight (each takes ~64 MiB and a thread of libuv's pool
 * for ~170 ms): the rest wait briefly in a short queue, and beyond that are refused at once, so a
 * flood of sign-ins cannot take the threads and memory that payments need.
 */
export class HashesBusy extends Error {
  constructor() {
    super('too many password checks in flight');
  }
}

export const HASH_SLOTS = 2;
export const HASH_QUEUE = 32;
export const HASH_WAIT_MS = 10_000;

interface Waiter {
  grant(): void;
  timer: NodeJS.Timeout;
}

let inFlight = 0;
let highWater = 0;
const queue: Waiter[] = [];

/** Runs `work` holding one of the slots; throws HashesBusy when the queue is full or the wait too long. */
export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await work();
  } finally {
    release();
  }
}

function acquire(): Promise<void> {
  if (inFlight < HASH_SLOTS) return take();
  if (queue.length >= HASH_QUEUE) return Promise.reject(new HashesBusy());
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      grant: () => {
        clearTimeout(waiter.timer);
        void take().then(resolve);
      },
      timer: setTimeout(() => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        reject(new HashesBusy());
      }, HASH_WAIT_MS),
    };
    waiter.timer.unref();
    queue.push(waiter);
  });
}

function take(): Promise<void> {
  inFlight++;
  highWater = Math.max(highWater, inFlight);
  return Promise.resolve();
}

function release(): void {
  inFlight--;
  queue.shift()?.grant();
}

/** For tests and metrics: what is in flight now, the most ever at once, and how many wait. */
export function hashSlotStats(): { inFlight: number; highWater: number; queued: number } {
  return { inFlight, highWater, queued: queue.length };
}
