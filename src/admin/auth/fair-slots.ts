/**
 * A few slots, a short bounded queue, fair between claimants (issue 23: a flood of sign-ins with unknown names
 * from one address filled the plain FIFO queue, and staff signing in from elsewhere got "too many sign-ins").
 *
 * Each claim carries keys (its client address, the user name typed). A key's load is how many of its claims
 * hold a slot or wait; a claim weighs as much as its heaviest key. Invariants:
 * - at most `slots` claims run at once, at most `queueSize` wait, none waits longer than `waitMs`;
 * - a freed slot goes to the lightest waiting claim (the oldest among equals), so one address's or one name's
 *   backlog never stands in front of a claim from an address and name with little or nothing waiting;
 * - a full queue takes a newcomer only in place of the newest claim of the heaviest weight, and only when that
 *   weight is above what the newcomer's would be once admitted: a flood can never push out its own claims, nor a
 *   claim lighter than itself, so it takes at most its share. A refused or pushed-out claim never ran: busy().
 * What it cannot do: tell apart many addresses that each send a few claims with unknown names (the per-IP
 * limit and the account lockout are the other layers). Keys live only while their claims do.
 */
export class FairSlots {
  private inFlight = 0;
  private highWater = 0;
  private pushedOut = 0;
  private seq = 0;
  private readonly queue: Waiter[] = [];
  private readonly load = new Map<string, number>();

  constructor(
    readonly slots: number,
    readonly queueSize: number,
    readonly waitMs: number,
    private readonly busy: () => Error,
  ) {}

  /** Resolves with the slot's release once a slot is this claim's; rejects with busy() when refused, pushed out or timed out. */
  acquire(keys: string[]): Promise<() => void> {
    const claim: Claim = { keys: keys.length ? [...new Set(keys)] : [`claim:${this.seq}`], seq: this.seq++ };
    if (this.inFlight < this.slots && this.queue.length === 0) {
      this.count(claim.keys, 1);
      return Promise.resolve(this.run(claim));
    }
    if (this.queue.length >= this.queueSize) {
      const victim = this.pick((a, b) => this.weight(a) - this.weight(b) || a.seq - b.seq);
      if (!victim || this.weight(victim) <= this.weightOnceAdmitted(claim)) return Promise.reject(this.busy());
      this.leave(victim);
      this.pushedOut++;
      victim.refuse();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ...claim,
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.run(waiter));
        },
        refuse: () => {
          clearTimeout(waiter.timer);
          reject(this.busy());
        },
        timer: setTimeout(() => {
          this.leave(waiter);
          reject(this.busy());
        }, this.waitMs),
      };
      waiter.timer.unref();
      this.queue.push(waiter);
      this.count(waiter.keys, 1);
    });
  }

  /** What runs now, the most ever at once, how many wait, and how many waiting claims were pushed out for a lighter one. */
  stats(): { inFlight: number; highWater: number; queued: number; pushedOut: number } {
    return { inFlight: this.inFlight, highWater: this.highWater, queued: this.queue.length, pushedOut: this.pushedOut };
  }

  /** The claim holds a slot (its keys stay counted until the release). */
  private run(claim: Claim): () => void {
    this.inFlight++;
    this.highWater = Math.max(this.highWater, this.inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.count(claim.keys, -1);
      this.grantNext();
    };
  }

  private grantNext(): void {
    while (this.inFlight < this.slots && this.queue.length > 0) {
      const next = this.pick((a, b) => this.weight(b) - this.weight(a) || b.seq - a.seq);
      if (!next) break;
      this.queue.splice(this.queue.indexOf(next), 1); // still counted: it goes on to hold a slot
      next.grant();
    }
  }

  /** Leaves the queue without running (pushed out or timed out). */
  private leave(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.count(waiter.keys, -1);
  }

  /** The waiter that `better` ranks highest (better(a, b) > 0: a ranks above b). */
  private pick(better: (a: Waiter, b: Waiter) => number): Waiter | undefined {
    let best: Waiter | undefined;
    for (const w of this.queue) if (!best || better(w, best) > 0) best = w;
    return best;
  }

  private weight(claim: Claim): number {
    return Math.max(...claim.keys.map((k) => this.load.get(k) ?? 0));
  }

  private weightOnceAdmitted(claim: Claim): number {
    return this.weight(claim) + 1;
  }

  private count(keys: string[], by: 1 | -1): void {
    for (const k of keys) {
      const n = (this.load.get(k) ?? 0) + by;
      if (n > 0) this.load.set(k, n);
      else this.load.delete(k);
    }
  }
}

interface Claim {
  keys: string[];
  seq: number;
}

interface Waiter extends Claim {
  grant(): void;
  refuse(): void;
  timer: NodeJS.Timeout;
}
